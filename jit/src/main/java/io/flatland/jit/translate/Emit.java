package io.flatland.jit.translate;

import io.flatland.jit.Insn;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.*;

/**
 * Emits one guest instruction into a block's {@code run(Cpu)} method (local 0 = the block,
 * local 1 = the Cpu). Hand-written emitters come first; anything else is the reference
 * semantics: {@code cpu.eip = addr; Exec.execute(cpu, insn)}.
 */
final class Emit {
    final MethodVisitor mv;
    final int[] eips;
    final boolean handWritten;

    /**
     * Guest registers live in JVM locals {@code REG0..REG0+7} while hand-written code runs:
     * loaded at entry, written back before anything that reads {@code cpu.reg} (the reference
     * semantics, stack helpers, sub-word register access), at every exit and in every fault
     * handler. Translation-time state per register: the local holds the current value
     * ({@code inLocal}) and it is newer than {@code cpu.reg} ({@code dirty}). Code paths inside one
     * instruction never diverge in this state (loads happen before any branch).
     */
    static final int REG0 = 3;
    private final boolean[] inLocal = new boolean[8], dirty = new boolean[8];
    private int pendingSize, pendingReg;

    /** Local: instructions retired by completed iterations of a self-loop. Local 2 of run is the room. */
    static final int DONE = 11;
    static final int ROOM = 2;
    /** The block's last instruction jumps back to its first: the taken branch loops inside run. */
    final boolean selfLoop;
    final org.objectweb.asm.Label loopHead = new org.objectweb.asm.Label();

    Emit(MethodVisitor mv, int[] eips, boolean handWritten, boolean selfLoop) {
        this.mv = mv;
        this.eips = eips;
        this.handWritten = handWritten;
        this.selfLoop = selfLoop;
    }

    /** Pushes DONE + count and returns it. */
    void returnRetired(int count) {
        mv.visitVarInsn(ILOAD, DONE);
        pushInt(count);
        mv.visitInsn(IADD);
        mv.visitInsn(IRETURN);
    }

    /** Before the closing branch of a self-loop: the loop head expects every register in its local. */
    void ensureAllLoaded() {
        for (int r = 0; r < 8; r++) ensureLoaded(r);
    }

    void allDirty() {
        for (int r = 0; r < 8; r++) {
            inLocal[r] = true;
            dirty[r] = true;
        }
    }

    /**
     * Taken branch of the closing jump of a self-loop: another iteration if the room allows
     * (DONE += length; loop while DONE + length <= room), else fall out to the block exit.
     */
    void loopBack() {
        int n = eips.length - 1;
        org.objectweb.asm.Label out = new org.objectweb.asm.Label();
        mv.visitIincInsn(DONE, n);
        mv.visitVarInsn(ILOAD, DONE);
        pushInt(n);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ILOAD, ROOM);
        mv.visitJumpInsn(IF_ICMPGT, out);
        mv.visitJumpInsn(GOTO, loopHead);
        mv.visitLabel(out);
        mv.visitIincInsn(DONE, -n);   // the exit path adds the last iteration itself
    }

    /** Block entry: every register into its local. */
    void prologue() {
        for (int r = 0; r < 8; r++) {
            cpu();
            mv.visitFieldInsn(GETFIELD, Translator.CPU, "reg", "[I");
            pushInt(r);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ISTORE, REG0 + r);
            inLocal[r] = true;
        }
    }

    /** The registers whose local is newer than cpu.reg (what an exit must write back). */
    boolean[] dirtySet() { return dirty.clone(); }

    /** Writes back the given registers without changing the translation-time state (for exit paths). */
    void writeBack(boolean[] set) {
        for (int r = 0; r < 8; r++) {
            if (set[r]) storeToCpu(r);
        }
    }

    private void storeToCpu(int r) {
        cpu();
        mv.visitFieldInsn(GETFIELD, Translator.CPU, "reg", "[I");
        pushInt(r);
        mv.visitVarInsn(ILOAD, REG0 + r);
        mv.visitInsn(IASTORE);
    }

    /** cpu.reg[r] becomes current (something is about to read it). */
    void spill(int r) {
        if (dirty[r]) {
            storeToCpu(r);
            dirty[r] = false;
        }
    }

    void spillAll() {
        for (int r = 0; r < 8; r++) spill(r);
    }

    /** cpu.reg[r] was (or may have been) changed behind the local's back. */
    void invalidate(int r) {
        inLocal[r] = false;
        dirty[r] = false;
    }

    void invalidateAll() {
        for (int r = 0; r < 8; r++) invalidate(r);
    }

    /** Makes the local of r current before a branch, so both paths agree on the state. */
    void ensureLoaded(int r) {
        if (!inLocal[r]) {
            cpu();
            mv.visitFieldInsn(GETFIELD, Translator.CPU, "reg", "[I");
            pushInt(r);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ISTORE, REG0 + r);
            inLocal[r] = true;
        }
    }

    /** Before a store that happens on one path only: the state after it must hold on both paths. */
    void prepareConditionalStore(int size, int r) {
        if (size == 4) ensureLoaded(r); else spill(fullReg(size, r));
    }

    /** The 32-bit register a sub-word register number (AL..BH, AX..DI) lives in. */
    private static int fullReg(int size, int r) {
        return size == 1 && r >= 4 ? r - 4 : r;
    }

    /** Local holding an int across a call (an address, a popped value). */
    static final int TMP = 12;
    /** A second int temporary (locals 13-14 hold a long host address). */
    static final int TMP2 = 15;
    private static final String C = "L" + Translator.CPU + ";";
    private static final String OPERANDS = "io/flatland/jit/Operands";

    /** Emits instruction {@code k}; returns true if it left {@code cpu.eip} at the next instruction (or the branch target). */
    boolean instruction(int k, Insn in, boolean last) {
        if (handWritten) {
            int done = Emitters.emit(this, k, in, last);
            if (done != Emitters.NO) return done == Emitters.DONE_EIP;
        }
        spillAll();
        setEip(eips[k]);
        mv.visitVarInsn(ALOAD, 1);
        Translator.loadInsn(mv, k);
        mv.visitMethodInsn(INVOKESTATIC, "io/flatland/jit/Exec", "execute", "(L" + Translator.CPU + ";L" + Translator.INSN + ";)V", false);
        invalidateAll();
        return true;
    }

    void setEip(int eip) {
        mv.visitVarInsn(ALOAD, 1);
        pushInt(eip);
        mv.visitFieldInsn(PUTFIELD, Translator.CPU, "eip", "I");
    }

    void pushInt(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    void cpu() { mv.visitVarInsn(ALOAD, 1); }

    /** Pushes the register operand {@code r} of {@code size} bytes (AH..BH for bytes 4-7). */
    void loadReg(int size, int r) {
        if (size == 4) {
            ensureLoaded(r);
            mv.visitVarInsn(ILOAD, REG0 + r);
        } else {
            spill(fullReg(size, r));
            cpu();
            pushInt(size);
            pushInt(r);
            mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "getReg", "(" + C + "II)I", false);
        }
    }

    /** First half of a register write; push the value, then call {@link #regStoreEnd}. */
    void regStoreBegin(int size, int r) {
        pendingSize = size;
        pendingReg = r;
        if (size != 4) {
            cpu();
            pushInt(size);
            pushInt(r);
        }
    }

    void regStoreEnd(int size) {
        int r = pendingReg;
        if (size != pendingSize) throw new IllegalStateException("unbalanced register store");
        if (size == 4) {
            mv.visitVarInsn(ISTORE, REG0 + r);
            inLocal[r] = true;
            dirty[r] = true;
        } else {
            // Operands.setReg merges into cpu.reg: that must be current first, and is the newer copy after.
            int full = fullReg(size, r);
            spill(full);
            mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "setReg", "(" + C + "III)V", false);
            invalidate(full);
        }
    }

    /** Pushes the effective address of a 32-bit-addressed memory operand (Operands.ea, unrolled). */
    void ea(Insn in) {
        pushInt(in.disp);
        if (in.base >= 0) {
            loadReg(4, in.base);
            mv.visitInsn(IADD);
        }
        if (in.index >= 0) {
            loadReg(4, in.index);
            if (in.scale != 0) {
                pushInt(in.scale);
                mv.visitInsn(ISHL);
            }
            mv.visitInsn(IADD);
        }
    }

    /** Pushes the r/m operand (Operands.readRm). */
    void readRm(Insn in, int size) {
        if (!in.mem) {
            loadReg(size, in.rm);
            return;
        }
        cpu();
        pushInt(in.seg);
        ea(in);
        pushInt(size);
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "read", "(" + C + "III)I", false);
    }

    /** First half of a memory write (Operands.write); push the value, then call {@link #writeMemEnd}. */
    void writeMemBegin(Insn in, int size) {
        cpu();
        pushInt(in.seg);
        ea(in);
        pushInt(size);
    }

    void writeMemEnd() {
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "write", "(" + C + "IIII)V", false);
    }

    /** TMP = the checked and write-probed linear address of the memory operand (Operands.rmwLinear). */
    void rmwLinear(Insn in, int size) {
        // Operands.rmwLinear with the effective address unrolled: linear(seg, ea, size, write) then probeWrite.
        cpu();
        pushInt(in.seg);
        ea(in);
        pushInt(size);
        pushInt(1);
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "linear", "(" + C + "IIIZ)I", false);
        mv.visitVarInsn(ISTORE, TMP);
        cpu();
        mv.visitVarInsn(ILOAD, TMP);
        pushInt(size);
        mv.visitMethodInsn(INVOKEVIRTUAL, Translator.CPU, "probeWrite", "(II)V", false);
    }

    /** Local (long, two slots) holding a host address. */
    static final int HOST = 13;
    private static final String MEM = "io/flatland/mmu/PhysicalMemory";

    /**
     * A read-modify-write of the memory operand: {@code writeLin(lin, op(readLin(lin)))} after
     * the write probe, exactly as Exec, with an inlined TLB probe so the common case is two
     * off-heap accesses. {@code op} is emitted twice (fast and slow path): it receives the old
     * value on the stack and must leave the new one, without changing translation state.
     */
    void readModifyWrite(Insn in, int size, Runnable op) {
        org.objectweb.asm.Label slow = new org.objectweb.asm.Label(), done = new org.objectweb.asm.Label();
        cpu();
        pushInt(in.seg);
        ea(in);
        pushInt(size);
        pushInt(1);
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "linear", "(" + C + "IIIZ)I", false);
        mv.visitVarInsn(ISTORE, TMP);
        cpu();
        mv.visitVarInsn(ILOAD, TMP);
        pushInt(size);
        mv.visitMethodInsn(INVOKESTATIC, "io/flatland/jit/translate/FastMem", "rmwHost", "(" + C + "II)J", false);
        mv.visitVarInsn(LSTORE, HOST);
        mv.visitVarInsn(LLOAD, HOST);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFEQ, slow);
        mv.visitVarInsn(LLOAD, HOST);
        mv.visitVarInsn(LLOAD, HOST);
        String sfx = size == 4 ? "Int" : size == 2 ? "Short" : "Byte";
        mv.visitMethodInsn(INVOKESTATIC, MEM, "get" + sfx, "(J)I", false);
        op.run();
        mv.visitMethodInsn(INVOKESTATIC, MEM, "put" + sfx, "(JI)V", false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(slow);
        cpu();
        mv.visitVarInsn(ILOAD, TMP);
        pushInt(size);
        mv.visitMethodInsn(INVOKEVIRTUAL, Translator.CPU, "probeWrite", "(II)V", false);
        cpu();
        mv.visitVarInsn(ILOAD, TMP);
        pushInt(size);
        readLin(size);
        op.run();
        writeLin(size);
        mv.visitLabel(done);
    }

    /** Makes a later {@link #loadReg} of r free of translation-state changes (before code paths split). */
    void prepareRead(int size, int r) {
        if (size == 4) ensureLoaded(r); else spill(fullReg(size, r));
    }

    /** Pushes Operands.readLin(cpu, TMP, size). */
    void readLin(int size) {
        cpu();
        mv.visitVarInsn(ILOAD, TMP);
        pushInt(size);
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "readLin", "(" + C + "II)I", false);
    }

    /** Stack: cpu, lin, size, value -> Operands.writeLin. */
    void writeLin(int size) {
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "writeLin", "(" + C + "III)V", false);
    }

    /** Pushes Flags.cond(cpu, cc) as 0/1. */
    void cond(int cc) {
        cpu();
        pushInt(cc);
        mv.visitMethodInsn(INVOKESTATIC, "io/flatland/jit/Flags", "cond", "(" + C + "I)Z", false);
    }

    /** Raises #GP(0) if the pushed target is beyond the CS limit (Exec.jump's check). */
    void checkCsLimit(Runnable pushTarget) {
        org.objectweb.asm.Label ok = new org.objectweb.asm.Label();
        pushTarget.run();
        cpu();
        mv.visitFieldInsn(GETFIELD, Translator.CPU, "segLimit", "[I");
        pushInt(1);   // Cpu.CS
        mv.visitInsn(IALOAD);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        mv.visitJumpInsn(IFLE, ok);
        cpu();
        pushInt(13);
        pushInt(0);
        mv.visitMethodInsn(INVOKEVIRTUAL, Translator.CPU, "fault", "(II)L" + Translator.FAULT + ";", false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(ok);
    }

    /** A near jump to a constant target within a 32-bit code segment. */
    void jumpTo(int target) {
        checkCsLimit(() -> pushInt(target));
        setEip(target);
    }
}
