package io.flatland.jit;

import io.flatland.cpu.Insn;
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

    /** Local: retired instructions = DONE + index of the current instruction (internal branches adjust it). Local 2 of run is the room. */
    static final int DONE = 11;
    static final int ROOM = 2;
    /** Per instruction: its flag record is dead and only its result is emitted (null: none). */
    boolean[] flagsDead;

    Emit(MethodVisitor mv, java.util.List<Insn> insns, int[] eips, int[] next, boolean[] pathEnd, boolean handWritten) {
        this.mv = mv;
        this.insns = insns;
        this.eips = eips;
        this.next = next;
        this.pathEnd = pathEnd;
        this.handWritten = handWritten;
    }

    final java.util.List<Insn> insns;
    /** Per instruction: the address after it (its fall-through). */
    final int[] next;
    /** Per instruction: the next one in the region is not its fall-through (see {@link BlockScanner.Scan}). */
    final boolean[] pathEnd;

    /** Per instruction index: the label of an internal branch target (null if none). */
    org.objectweb.asm.Label[] targets;

    /** Index of the instruction at {@code eip} if it is an internal branch target of this region, else -1. */
    int internalIndex(int eip) {
        if (targets == null) return -1;
        for (int k = 0; k < eips.length - 1; k++) {
            if (eips[k] == eip) return targets[k] != null ? k : -1;
        }
        return -1;
    }

    /**
     * A taken branch from instruction {@code kSrc} to instruction {@code kTgt} of the region
     * (every register current in its local, as at every target label). DONE keeps
     * "retired = DONE + index of the current instruction" true on every path. A backward
     * branch continues only if the room allows a further run to the end of the region
     * (which is at most {@code n} instructions); else the region exits with EIP at the target
     * (exact state: the dispatcher then services events and interrupts as the interpreter
     * would before that instruction). The dispatcher caps the room, so a loop also returns
     * regularly to see exit requests from other threads (a volatile read here would cost
     * every iteration).
     */
    void internalJump(int kSrc, int kTgt) {
        int n = eips.length - 1;
        int delta = kSrc + 1 - kTgt;
        if (kTgt > kSrc) {
            if (storesBeforeBranch(kSrc)) exitIfDead(kSrc, eips[kTgt]);
            if (delta != 0) mv.visitIincInsn(DONE, delta);
            mv.visitJumpInsn(GOTO, targets[kTgt]);
            return;
        }
        org.objectweb.asm.Label out = new org.objectweb.asm.Label();
        if (storesBeforeBranch(kSrc)) exitIfDead(kSrc, eips[kTgt]);
        mv.visitIincInsn(DONE, delta);
        mv.visitVarInsn(ILOAD, DONE);
        pushInt(n);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ILOAD, ROOM);
        mv.visitJumpInsn(IF_ICMPGT, out);
        mv.visitJumpInsn(GOTO, targets[kTgt]);
        mv.visitLabel(out);
        mv.visitIincInsn(DONE, -delta);
        exit(eips[kTgt], kSrc + 1);
    }

    /**
     * Whether instruction k may write memory before its branch inside the region: a call's
     * push, or a store at the end of a path that runs into held code (jumps never store).
     */
    private boolean storesBeforeBranch(int k) {
        Insn in = insns.get(k);
        boolean call = in.op == io.flatland.cpu.Op.CALL_REL || in.op == io.flatland.cpu.Op.CALL_E;
        return (call || !InsnKinds.endsBlock(in)) && InsnKinds.mayStore(in);
    }

    /** At an internal target label: the state every branch to it guarantees. */
    void atTarget() {
        ensureAllLoaded();
        allDirty();
        lastRecord = -1;
    }

    /** At the start of a later path: only branches arrive, all in the state {@link #atTarget} describes. */
    void startPath() {
        allDirty();
        lastRecord = -1;
    }

    /**
     * After instruction k stored to memory: if the store hit this region's page (the code cache
     * killed the region), leave with EIP at {@code nextEip} before a stale instruction runs.
     */
    void exitIfDead(int k, int nextEip) {
        org.objectweb.asm.Label alive = new org.objectweb.asm.Label();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, Translator.BLOCK, "dead", "Z");
        mv.visitJumpInsn(IFEQ, alive);
        exit(nextEip, k + 1);
        mv.visitLabel(alive);
    }

    /**
     * An indirect transfer of instruction k whose target (already checked against the CS limit
     * and with every other effect done) is in local TMP: a branch to the matching labelled
     * instruction of the region (a return address, a profiled target, the entry, a loop head),
     * else {@code cpu.eip = TMP} and the caller's exit.
     */
    void dispatchIndirect(int k) {
        java.util.TreeMap<Integer, Integer> byEip = new java.util.TreeMap<>();
        if (targets != null) {
            for (int j = 0; j < eips.length - 1; j++) {
                if (targets[j] != null) byEip.putIfAbsent(eips[j], j);
            }
        }
        if (!byEip.isEmpty()) {
            ensureAllLoaded();
            org.objectweb.asm.Label exit = new org.objectweb.asm.Label();
            int[] keys = new int[byEip.size()];
            org.objectweb.asm.Label[] stubs = new org.objectweb.asm.Label[keys.length];
            int i = 0;
            for (int key : byEip.keySet()) {
                keys[i] = key;
                stubs[i++] = new org.objectweb.asm.Label();
            }
            mv.visitVarInsn(ILOAD, TMP);
            mv.visitLookupSwitchInsn(exit, keys, stubs);
            for (i = 0; i < keys.length; i++) {
                mv.visitLabel(stubs[i]);
                internalJump(k, byEip.get(keys[i]));
            }
            mv.visitLabel(exit);
        }
        cpu();
        mv.visitVarInsn(ILOAD, TMP);
        mv.visitFieldInsn(PUTFIELD, Translator.CPU, "eip", "I");
    }

    /** Locals of a shared exit: the EIP to leave at, and the instructions retired (added to DONE). */
    static final int EXIT_EIP = 17, EXIT_N = 18;
    /** Shared exits by the registers they write back (and whether they set EIP), emitted at the method's end. */
    private final java.util.Map<String, org.objectweb.asm.Label> exitLabels = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, boolean[]> exitSets = new java.util.HashMap<>();

    /**
     * Leaves the region with EIP = {@code eip} after {@code count} more instructions (DONE +
     * count retired): the registers dirty now are written back by an exit shared with every
     * other exit that has the same ones dirty, so each exit costs a few bytes of bytecode.
     */
    void exit(int eip, int count) {
        pushInt(eip);
        mv.visitVarInsn(ISTORE, EXIT_EIP);
        exitTo(count, true);
    }

    /** As {@link #exit}, when the instruction already set {@code cpu.eip}. */
    void exitEipSet(int count) {
        exitTo(count, false);
    }

    private void exitTo(int count, boolean setEip) {
        pushInt(count);
        mv.visitVarInsn(ISTORE, EXIT_N);
        boolean[] set = dirtySet();
        String key = java.util.Arrays.toString(set) + setEip;
        org.objectweb.asm.Label l = exitLabels.get(key);
        if (l == null) {
            exitLabels.put(key, l = new org.objectweb.asm.Label());
            exitSets.put(key, set);
        }
        mv.visitJumpInsn(GOTO, l);
    }

    /** The shared exits' code (after the last instruction). */
    void sharedExits() {
        for (var en : exitLabels.entrySet()) {
            mv.visitLabel(en.getValue());
            writeBack(exitSets.get(en.getKey()));
            if (en.getKey().endsWith("true")) {
                cpu();
                mv.visitVarInsn(ILOAD, EXIT_EIP);
                mv.visitFieldInsn(PUTFIELD, Translator.CPU, "eip", "I");
            }
            mv.visitVarInsn(ILOAD, DONE);
            mv.visitVarInsn(ILOAD, EXIT_N);
            mv.visitInsn(IADD);
            mv.visitInsn(IRETURN);
        }
    }

    /** Before a branch to an internal target: the target expects every register in its local. */
    void ensureAllLoaded() {
        for (int r = 0; r < 8; r++) ensureLoaded(r);
    }

    /**
     * Registers (bit r) the region may write in a local: a register outside this set always has
     * its local equal to cpu.reg, so an internal target need not count it as dirty.
     */
    int writable = 0xFF;
    /** Registers some instruction of the region stored in a local (what {@link #writable} can be narrowed to). */
    int everStored;

    void allDirty() {
        for (int r = 0; r < 8; r++) {
            inLocal[r] = true;
            dirty[r] = (writable >> r & 1) != 0;
        }
    }

    /** Block entry: every register into its local. */
    void prologue() {
        for (int r = 0; r < 8; r++) ensureLoaded(r);
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
        ensureLoaded(fullReg(size, r));
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
    private static final String OPERANDS = "io/flatland/cpu/Operands";

    /** Emits instruction {@code k}; returns true if it left {@code cpu.eip} at the next instruction (or the branch target). */
    boolean instruction(int k, Insn in, boolean end) {
        prevRecord = lastRecord;
        lastRecord = -1;
        if (handWritten) {
            int done = Emitters.emit(this, k, in, end);
            if (done != Emitters.NO) {
                if (in.size == 4 && (flagsDead == null || !flagsDead[k])) lastRecord = recordOf(in);
                return done == Emitters.DONE_EIP;
            }
        }
        spillAll();
        setEip(eips[k]);
        mv.visitVarInsn(ALOAD, 1);
        Translator.loadInsn(mv, k);
        mv.visitMethodInsn(INVOKESTATIC, "io/flatland/cpu/Exec", "execute", "(L" + Translator.CPU + ";L" + Translator.INSN + ";)V", false);
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
        int full = fullReg(size, r);
        ensureLoaded(full);
        mv.visitVarInsn(ILOAD, REG0 + full);
        if (size == 4) return;
        // Operands.getReg on the local: AH..BH are bits 8-15 of EAX..EBX.
        if (full != r) {
            pushInt(8);
            mv.visitInsn(IUSHR);
        }
        pushInt(size == 2 ? 0xFFFF : 0xFF);
        mv.visitInsn(IAND);
    }

    /** First half of a register write; push the value, then call {@link #regStoreEnd}. */
    void regStoreBegin(int size, int r) {
        pendingSize = size;
        pendingReg = r;
    }

    void regStoreEnd(int size) {
        int r = pendingReg;
        if (size != pendingSize) throw new IllegalStateException("unbalanced register store");
        int full = fullReg(size, r);
        if (size != 4) {
            // Operands.setReg on the local: merge the low word, low byte or bits 8-15.
            ensureLoaded(full);
            pushInt(size == 2 ? 0xFFFF : 0xFF);
            mv.visitInsn(IAND);
            if (full != r) {
                pushInt(8);
                mv.visitInsn(ISHL);
            }
            mv.visitVarInsn(ILOAD, REG0 + full);
            pushInt(size == 2 ? 0xFFFF0000 : full != r ? 0xFFFF00FF : 0xFFFFFF00);
            mv.visitInsn(IAND);
            mv.visitInsn(IOR);
        }
        mv.visitVarInsn(ISTORE, REG0 + full);
        inLocal[full] = true;
        dirty[full] = true;
        everStored |= 1 << full;
    }

    /** A 32-bit push of the value {@code value} pushes, with ESP in its local (Operands.pushAt). */
    void push32(Runnable value) {
        regStoreBegin(4, io.flatland.cpu.Cpu.ESP);
        cpu();
        loadReg(4, io.flatland.cpu.Cpu.ESP);
        pushInt(4);
        value.run();
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "pushAt", "(" + C + "III)I", false);
        regStoreEnd(4);
    }

    /** Pushes the dword at the top of the stack (Operands.topAt on the ESP local). */
    void top32() {
        cpu();
        loadReg(4, io.flatland.cpu.Cpu.ESP);
        pushInt(4);
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "topAt", "(" + C + "II)I", false);
    }

    /** ESP moves up by {@code delta} bytes (Operands.popAt on the ESP local). */
    void pop(int delta) {
        regStoreBegin(4, io.flatland.cpu.Cpu.ESP);
        cpu();
        loadReg(4, io.flatland.cpu.Cpu.ESP);
        pushInt(delta);
        mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "popAt", "(" + C + "II)I", false);
        regStoreEnd(4);
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
        // TMP = Operands.linear(cpu, seg, ea, size, write = true), the effective address unrolled.
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
        mv.visitMethodInsn(INVOKESTATIC, "io/flatland/jit/FastMem", "rmwHost", "(" + C + "II)J", false);
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
        ensureLoaded(fullReg(size, r));
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

    private static final int SUB32 = io.flatland.cpu.Flags.op(io.flatland.cpu.Flags.SUB, 4),
            LOGIC32 = io.flatland.cpu.Flags.op(io.flatland.cpu.Flags.LOGIC, 4);
    /** The flag record kind the previous (hand-written) instruction left for certain, or -1. */
    private int prevRecord = -1, lastRecord = -1;

    private static int recordOf(Insn in) {
        switch (in.op) {
            case io.flatland.cpu.Op.ALU_GE, io.flatland.cpu.Op.ALU_EG, io.flatland.cpu.Op.ALU_EI, io.flatland.cpu.Op.ALU_AI:
                return switch (in.sub) {
                    case io.flatland.cpu.Alu.SUB_K, io.flatland.cpu.Alu.CMP_K -> SUB32;
                    case io.flatland.cpu.Alu.AND_K, io.flatland.cpu.Alu.OR_K, io.flatland.cpu.Alu.XOR_K -> LOGIC32;
                    default -> -1;
                };
            case io.flatland.cpu.Op.TEST_EG, io.flatland.cpu.Op.TEST_EI, io.flatland.cpu.Op.TEST_AI:
                return LOGIC32;
            default:
                return -1;
        }
    }

    /**
     * Jumps to {@code target} unless condition {@code cc} holds. Right after a 32-bit
     * SUB/CMP or logic record this is Flags.cond's own fast path on the record fields just
     * written (which the JIT compiler forwards from the stores); otherwise a call of Flags.cond.
     */
    void branchIfNot(int cc, org.objectweb.asm.Label target) {
        if (prevRecord == SUB32) {
            int op = switch (cc) {
                case 2, 12 -> IF_ICMPGE;
                case 3, 13 -> IF_ICMPLT;
                case 4 -> IF_ICMPNE;
                case 5 -> IF_ICMPEQ;
                case 6, 14 -> IF_ICMPGT;
                case 7, 15 -> IF_ICMPLE;
                default -> -1;
            };
            if (op >= 0) {
                boolean unsigned = cc < 8;
                cpu();
                mv.visitFieldInsn(GETFIELD, Translator.CPU, "flagDst", "I");
                if (unsigned) { mv.visitLdcInsn(Integer.MIN_VALUE); mv.visitInsn(IXOR); }
                cpu();
                mv.visitFieldInsn(GETFIELD, Translator.CPU, "flagSrc", "I");
                if (unsigned) { mv.visitLdcInsn(Integer.MIN_VALUE); mv.visitInsn(IXOR); }
                mv.visitJumpInsn(op, target);
                return;
            }
        } else if (prevRecord == LOGIC32) {
            int op = switch (cc) {
                case 4 -> IFNE;
                case 5 -> IFEQ;
                case 8, 12 -> IFGE;
                case 9, 13 -> IFLT;
                case 14 -> IFGT;
                case 15 -> IFLE;
                default -> -1;
            };
            if (op >= 0) {
                cpu();
                mv.visitFieldInsn(GETFIELD, Translator.CPU, "flagResult", "I");
                mv.visitJumpInsn(op, target);
                return;
            }
        }
        cond(cc);
        mv.visitJumpInsn(IFEQ, target);
    }

    /** Pushes Flags.cond(cpu, cc) as 0/1. */
    void cond(int cc) {
        cpu();
        pushInt(cc);
        mv.visitMethodInsn(INVOKESTATIC, "io/flatland/cpu/Flags", "cond", "(" + C + "I)Z", false);
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
