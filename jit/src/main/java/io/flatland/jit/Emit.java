package io.flatland.jit;

import io.flatland.cpu.OpInfo;
import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.objectweb.asm.Opcodes.*;

/**
 * The code-generation state of one region's {@code run(Cpu, int)} method (local 0 = the
 * block, 1 = the Cpu, 2 = the room) and the pieces every instruction's bytecode is made of.
 * {@link Emitters} writes the instructions themselves; anything it does not handle is the
 * reference semantics, {@code cpu.eip = addr; insn.handler.exec(cpu, insn)}.
 *
 * <p>Guest registers live in JVM locals {@code REG0..REG0+7} while translated code runs, and
 * so does the lazy flag record ({@link #FOP}, {@link #FRES}, {@link #FSRC}, {@link #FDST}, the
 * fields {@code Cpu.flagOp/flagResult/flagSrc/flagDst} hold for the interpreter). Both are
 * written back to the Cpu at every exit, in the fault handler, and before anything that reads
 * the Cpu's copy (the reference semantics, helpers that read sub-word registers or the flags).
 * The translation-time state says, per register, whether its local holds the current value
 * ({@code inLocal}) and whether it is newer than {@code cpu.reg} ({@code dirty}); for the flag
 * record, whether the locals hold it, whether the operation is known at translation time (a
 * constant, so conditions compile to a compare), and whether the Cpu's copy is stale. Code
 * paths inside one instruction never diverge in this state (loads happen before any branch).
 *
 * <p>An instruction changes registers and the flag record only after everything in it that
 * can fault, so a fault leaves the locals as they were when it began: the region's single
 * exception handler ({@link Translator}) writes back what was dirty when the faulting
 * instruction began (local {@link #K} tells which one).
 */
final class Emit {
    final MethodVisitor mv;
    final int[] eips;
    final boolean handWritten;
    final List<Insn> insns;
    /** Per instruction: the address after it (its fall-through). */
    final int[] next;
    /** Per instruction: the next one in the region is not its fall-through (see {@link BlockScanner.Scan}). */
    final boolean[] pathEnd;
    /** Per instruction index: the label of an internal branch target (null if none). */
    Label[] targets;
    /** Per instruction: its flag record is never observed ({@link FlagLiveness}); null: unknown. */
    boolean[] flagsDead;
    /** Per instruction, for the bit tests: only CF of their record can be observed ({@link FlagLiveness#analyse}). */
    boolean[] carryOnly;

    // ---- locals of run(Cpu, int) ----
    static final int ROOM = 2;
    static final int REG0 = 3;
    /** Retired instructions = DONE + index of the current instruction (internal branches adjust it). */
    static final int DONE = 11;
    /** Int temporaries (an address, a popped value); 13-14 hold a long host address. */
    static final int TMP = 12, HOST = 13, TMP2 = 15;
    /** Index of the instruction that is running, for the fault handler (set before anything that may fault). */
    static final int K = 16;
    /** Locals of an exit: the EIP to leave at, and the instructions retired (added to DONE); TMP holds its state id. */
    static final int EXIT_EIP = 17, EXIT_N = 18;
    /** The lazy flag record: operation (when not known at translation time), result, source, destination. */
    static final int FOP = 19, FRES = 20, FSRC = 21, FDST = 22;
    /** More int temporaries: an operand, the carry into ADC/SBB. */
    static final int TMP3 = 23, CARRY = 24;
    /**
     * The TLB's read and write views and its addends, read on entry (they change only through
     * instructions that end a region): the in-line probes of flat segments use them.
     */
    static final int RTAGS = 25, WTAGS = 26, ADDEND = 27;

    static final String CPU = Translator.CPU;
    static final String C = "L" + CPU + ";";
    private static final String OPERANDS = "io/flatland/cpu/Operands";
    private static final String FLAGS = "io/flatland/cpu/Flags";

    // ---- translation-time state ----
    private final boolean[] inLocal = new boolean[8], dirty = new boolean[8];
    private int pendingSize, pendingReg;

    /** The flag record is in the locals (else only in the Cpu's fields). */
    private boolean fIn;
    /** The record's operation, known at translation time, or -1 (then FOP holds it, if fIn). */
    private int fKnown = -1;
    /** FOP holds the operation (always so when it is not known). */
    private boolean fopStored;
    /** The Cpu's copy of the record is stale. */
    private boolean fDirty;

    /**
     * Segments that were flat with base 0 when the region was decoded (bit per segment register;
     * SS also with a 32-bit stack): their operands may use the in-line TLB probe of
     * {@link FastMem} on the offset. Zero: every operand goes through {@code Operands}.
     */
    int flatAtScan;
    /** The segments whose flatness the generated code relied on: the region's entry guard ({@link Block#flatSegs}). */
    int assumedFlat;
    /** The size of a flat write begun by {@link #writeMemBegin}, 0 for one through Operands, -1 for none pending. */
    private int pendingWrite = -1;

    Emit(MethodVisitor mv, List<Insn> insns, int[] eips, int[] next, boolean[] pathEnd, boolean handWritten) {
        this.mv = mv;
        this.insns = insns;
        this.eips = eips;
        this.next = next;
        this.pathEnd = pathEnd;
        this.handWritten = handWritten;
    }

    // ---- small emitters ----

    void pushInt(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    void cpu() { mv.visitVarInsn(ALOAD, 1); }

    void setEip(int eip) {
        cpu();
        pushInt(eip);
        mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
    }

    void load(int local) { mv.visitVarInsn(ILOAD, local); }

    void store(int local) { mv.visitVarInsn(ISTORE, local); }

    void invokeStatic(String owner, String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, owner, name, desc, false);
    }

    /** Marks instruction {@code k} as the one running, for the fault handler. */
    void faultPoint(int k) {
        pushInt(k);
        store(K);
    }

    /** Region entry: every register and the flag record into locals, and K defined for the handler. */
    void prologue() {
        pushInt(0);
        store(DONE);
        pushInt(0);
        store(K);
        for (int r = 0; r < 8; r++) ensureLoaded(r);
        loadFlagsFromCpu();
        if (flatAtScan != 0) {
            cpu();
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "readTags", "()[I", false);
            mv.visitVarInsn(ASTORE, RTAGS);
            cpu();
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "writeTags", "()[I", false);
            mv.visitVarInsn(ASTORE, WTAGS);
            cpu();
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "addend", "()[J", false);
            mv.visitVarInsn(ASTORE, ADDEND);
        }
    }

    /** Whether operands in {@code seg} use the flat in-line probe (and the region then assumes the segment flat). */
    boolean flat(int seg) {
        if (!handWritten || (flatAtScan & 1 << seg) == 0) return false;
        assumedFlat |= 1 << seg;
        return true;
    }

    private static String sizeSuffix(int size) {
        return size == 4 ? "32" : size == 2 ? "16" : "8";
    }

    // ---- registers ----

    /** The 32-bit register a sub-word register number (AL..BH, AX..DI) lives in. */
    static int fullReg(int size, int r) {
        return size == 1 && r >= 4 ? r - 4 : r;
    }

    /** Makes the local of r current before a branch, so both paths agree on the state. */
    void ensureLoaded(int r) {
        if (!inLocal[r]) {
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "reg", "[I");
            pushInt(r);
            mv.visitInsn(IALOAD);
            store(REG0 + r);
            inLocal[r] = true;
        }
    }

    void ensureAllLoaded() {
        for (int r = 0; r < 8; r++) ensureLoaded(r);
    }

    /** Makes a later {@link #loadReg} of r free of translation-state changes (before code paths split). */
    void prepareRead(int size, int r) {
        ensureLoaded(fullReg(size, r));
    }

    /** Pushes the register operand {@code r} of {@code size} bytes (AH..BH for bytes 4-7), zero-extended. */
    void loadReg(int size, int r) {
        int full = fullReg(size, r);
        ensureLoaded(full);
        load(REG0 + full);
        if (size == 4) return;
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
        if (size != 4) ensureLoaded(fullReg(size, r));   // merged below: load before the value is pushed
    }

    void regStoreEnd(int size) {
        int r = pendingReg;
        if (size != pendingSize) throw new IllegalStateException("unbalanced register store");
        int full = fullReg(size, r);
        if (size != 4) {
            // Operands.setReg on the local: merge the low word, low byte or bits 8-15.
            pushInt(size == 2 ? 0xFFFF : 0xFF);
            mv.visitInsn(IAND);
            if (full != r) {
                pushInt(8);
                mv.visitInsn(ISHL);
            }
            load(REG0 + full);
            pushInt(size == 2 ? 0xFFFF0000 : full != r ? 0xFFFF00FF : 0xFFFFFF00);
            mv.visitInsn(IAND);
            mv.visitInsn(IOR);
        }
        store(REG0 + full);
        inLocal[full] = true;
        dirty[full] = true;
    }

    /** Stores the int on the stack into the 32-bit register r. */
    void setReg32(int r) {
        regStoreBegin(4, r);
        regStoreEnd(4);
    }

    private void storeToCpu(int r) {
        cpu();
        mv.visitFieldInsn(GETFIELD, CPU, "reg", "[I");
        pushInt(r);
        load(REG0 + r);
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

    // ---- the flag record ----

    private void loadFlagsFromCpu() {
        cpu();
        mv.visitFieldInsn(GETFIELD, CPU, "flagOp", "I");
        store(FOP);
        cpu();
        mv.visitFieldInsn(GETFIELD, CPU, "flagResult", "I");
        store(FRES);
        cpu();
        mv.visitFieldInsn(GETFIELD, CPU, "flagSrc", "I");
        store(FSRC);
        cpu();
        mv.visitFieldInsn(GETFIELD, CPU, "flagDst", "I");
        store(FDST);
        fIn = true;
        fKnown = -1;
        fopStored = true;
        fDirty = false;
    }

    /** The Cpu's record becomes current (something is about to read it). */
    void spillFlags() {
        if (fIn && fDirty) {
            writeFlags(fKnown, fopStored);
            fDirty = false;
        }
    }

    private void writeFlags(int known, boolean stored) {
        cpu();
        if (known >= 0) pushInt(known); else load(FOP);
        mv.visitFieldInsn(PUTFIELD, CPU, "flagOp", "I");
        cpu();
        load(FRES);
        mv.visitFieldInsn(PUTFIELD, CPU, "flagResult", "I");
        cpu();
        load(FSRC);
        mv.visitFieldInsn(PUTFIELD, CPU, "flagSrc", "I");
        cpu();
        load(FDST);
        mv.visitFieldInsn(PUTFIELD, CPU, "flagDst", "I");
    }

    /** Something may have changed the Cpu's record (or EFLAGS): the locals are stale. */
    void flagsClobbered() {
        fIn = false;
        fKnown = -1;
        fopStored = false;
        fDirty = false;
    }

    /**
     * The instruction has stored its record's result, source and destination in FRES, FSRC and
     * FDST: the record is now operation {@code op} (a constant), newer than the Cpu's.
     */
    void flagsSet(int op) {
        fIn = true;
        fKnown = op;
        fopStored = false;
        fDirty = true;
    }

    /** Stores result, source and destination (pushed in that order... popped in reverse) as operation op's record. */
    void setRecord(int op) {
        store(FDST);
        store(FSRC);
        store(FRES);
        flagsSet(op);
    }

    /** The record in the locals with FOP set: the state every branch into a labelled instruction guarantees. */
    private void flagsToLocals() {
        if (!fIn) {
            loadFlagsFromCpu();
            return;
        }
        if (!fopStored) {
            pushInt(fKnown);
            store(FOP);
            fopStored = true;
        }
    }

    /** Pushes condition {@code cc} of the current record as 0 or 1. */
    void cond(int cc) {
        Label t = new Label(), done = new Label();
        if (branchIf(cc, t, false)) {
            pushInt(0);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(t);
            pushInt(1);
            mv.visitLabel(done);
            return;
        }
        condCall(cc);
    }

    /** Jumps to {@code target} unless condition {@code cc} holds. */
    void branchIfNot(int cc, Label target) {
        if (branchIf(cc, target, true)) return;
        condCall(cc);
        mv.visitJumpInsn(IFEQ, target);
    }

    /** Pushes Flags.condOf of the record (0/1), wherever it is. */
    private void condCall(int cc) {
        if (!fIn) {
            cpu();
            pushInt(cc);
            invokeStatic(FLAGS, "cond", "(" + C + "I)Z");
            return;
        }
        pushRecord();
        pushInt(cc);
        invokeStatic(FLAGS, "condOf", "(IIIIII)Z");
    }

    /** Pushes op, res, src, dst, eflags of the record in the locals. */
    private void pushRecord() {
        if (fKnown >= 0) pushInt(fKnown); else load(FOP);
        load(FRES);
        load(FSRC);
        load(FDST);
        if (fKnown >= 0 && fKnown != Flags.NONE) {
            pushInt(0);
        } else {
            cpu();
            mv.visitFieldInsn(GETFIELD, CPU, "eflags", "I");
        }
    }

    /** Pushes CF (0 or 1) of the current record. */
    void carry() {
        if (!fIn) {
            cpu();
            invokeStatic(FLAGS, "cf", "(" + C + ")Z");
            return;
        }
        if (fKnown == Flags.op(Flags.SUB, 4)) {   // CMP/SUB: borrow = dst <u src
            Label t = new Label(), done = new Label();
            load(FDST);
            flipSign();
            load(FSRC);
            flipSign();
            mv.visitJumpInsn(IF_ICMPLT, t);
            pushInt(0);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(t);
            pushInt(1);
            mv.visitLabel(done);
            return;
        }
        if (fKnown == Flags.op(Flags.LOGIC, 4) || fKnown == Flags.op(Flags.LOGIC, 2) || fKnown == Flags.op(Flags.LOGIC, 1)) {
            pushInt(0);
            return;
        }
        pushRecord();
        invokeStatic(FLAGS, "carryOf", "(IIIII)I");
    }

    /** The compare that decides condition {@code c} of a SUB record (B, AE, BE, A and L, GE, LE, G), or -1. */
    private static int compareOf(int c) {
        return switch (c) {
            case 2, 12 -> IF_ICMPLT;
            case 3, 13 -> IF_ICMPGE;
            case 6, 14 -> IF_ICMPLE;
            case 7, 15 -> IF_ICMPGT;
            default -> -1;
        };
    }

    private void flipSign() {
        mv.visitLdcInsn(Integer.MIN_VALUE);
        mv.visitInsn(IXOR);
    }

    /**
     * A compare-and-branch for condition {@code cc} (or its negation) when the record's
     * operation is known and the condition is a plain comparison of its fields (Flags.condOf's
     * rules, decided at translation time); false if there is none.
     */
    private boolean branchIf(int cc, Label target, boolean negate) {
        if (!fIn || fKnown < 0) return false;
        int c = negate ? cc ^ 1 : cc;
        int kind = fKnown >>> 2, sc = fKnown & 3;
        int sign = sc == 2 ? 0x80000000 : sc == 1 ? 0x8000 : 0x80;
        // ZF and SF are the result's, whatever the operation (the result is stored masked).
        if (c == 4 || c == 5) {
            load(FRES);
            mv.visitJumpInsn(c == 4 ? IFEQ : IFNE, target);
            return true;
        }
        if ((c == 8 || c == 9) && kind != Flags.NONE) {
            load(FRES);
            if (sc != 2) {
                pushInt(sign);
                mv.visitInsn(IAND);
                mv.visitJumpInsn(c == 8 ? IFNE : IFEQ, target);
            } else {
                mv.visitJumpInsn(c == 8 ? IFLT : IFGE, target);
            }
            return true;
        }
        int compare = compareOf(c);
        if (kind == Flags.SUB && compare >= 0 && sc <= 2) {
            // A compare: destination against source, unsigned for B/AE/BE/A and signed for
            // L/GE/LE/G (Flags.carry, Flags.cond), at the operation's width (8- and 16-bit
            // operands zero- or sign-extended).
            boolean unsigned = c < 8;
            int bits = sc == 2 ? 32 : sc == 1 ? 16 : 8;
            for (int local : new int[] {FDST, FSRC}) {
                load(local);
                if (bits == 32) {
                    if (unsigned) flipSign();
                } else if (unsigned) {
                    pushInt(sc == 1 ? 0xFFFF : 0xFF);
                    mv.visitInsn(IAND);
                } else {
                    pushInt(32 - bits);
                    mv.visitInsn(ISHL);
                    pushInt(32 - bits);
                    mv.visitInsn(ISHR);
                }
            }
            mv.visitJumpInsn(compare, target);
            return true;
        }
        if (kind == Flags.ADD && sc <= 2 && (c == 2 || c == 3)) {
            // CF of an addition is its carry out: the sum is below the destination, unsigned
            // (Flags.carry). Multi-word arithmetic in C tests it after every add (jb, jae).
            // 8- and 16-bit sums and destinations are recorded zero-extended: a signed compare.
            load(FRES);
            if (sc == 2) flipSign();
            load(FDST);
            if (sc == 2) flipSign();
            mv.visitJumpInsn(c == 2 ? IF_ICMPLT : IF_ICMPGE, target);
            return true;
        }
        if ((c == 2 || c == 3) && sc <= 2 && (kind == Flags.SHL || kind == Flags.SHR || kind == Flags.SAR
                || kind == Flags.INC || kind == Flags.DEC)) {
            // CF kept in the record's source (Flags.carry): the last bit shifted out, or for
            // INC/DEC the carry they leave alone.
            load(FSRC);
            pushInt(kind == Flags.SHL ? sign : Cpu.CF);
            mv.visitInsn(IAND);
            mv.visitJumpInsn(c == 2 ? IFNE : IFEQ, target);
            return true;
        }
        if (kind == Flags.LOGIC && sc <= 2 && (c == 2 || c == 3)) {
            // CF = 0 after a logical operation: below never, above-or-equal always.
            if (c == 3) mv.visitJumpInsn(GOTO, target);
            return true;
        }
        if (kind == Flags.LOGIC && sc == 2) {
            // OF = 0 too: the signed conditions test the result.
            int op = switch (c) {
                case 12 -> IFLT;
                case 13 -> IFGE;
                case 14 -> IFLE;
                case 15 -> IFGT;
                default -> -1;
            };
            if (op >= 0) {
                load(FRES);
                mv.visitJumpInsn(op, target);
                return true;
            }
        }
        return false;
    }

    // ---- state snapshots: exits and the fault handler write back what is dirty ----

    /** What an exit or the fault handler must write back: dirty registers and the flag record's state. */
    record Dirty(boolean[] regs, boolean fIn, int fKnown, boolean fopStored, boolean fDirty) {
        String key() {
            return Arrays.toString(regs) + (fIn && fDirty ? "f" + fKnown + (fKnown < 0 ? "" : fopStored ? "s" : "") : "");
        }
    }

    Dirty dirtySet() {
        return new Dirty(dirty.clone(), fIn, fKnown, fopStored, fDirty);
    }

    /** Writes back what {@code d} says is dirty, without changing the translation-time state. */
    void writeBack(Dirty d) {
        for (int r = 0; r < 8; r++) {
            if (d.regs[r]) storeToCpu(r);
        }
        if (d.fIn && d.fDirty) writeFlags(d.fKnown, d.fopStored);
    }

    // ---- region structure: targets, internal branches, exits ----

    /** Index of the instruction at {@code eip} if it is an internal branch target of this region, else -1. */
    int internalIndex(int eip) {
        if (targets == null) return -1;
        for (int k = 0; k < eips.length - 1; k++) {
            if (eips[k] == eip) return targets[k] != null ? k : -1;
        }
        return -1;
    }

    /** Before a branch to an internal target: the target expects every register and the record in locals. */
    void prepareBranch() {
        ensureAllLoaded();
        flagsToLocals();
    }

    /** At an internal target label reached by falling through: the state every branch to it guarantees. */
    void atTarget() {
        prepareBranch();
        atLabel();
    }

    /** At the start of a later path: only branches arrive, all in the state {@link #atTarget} describes. */
    void startPath() {
        atLabel();
    }

    private void atLabel() {
        for (int r = 0; r < 8; r++) {
            inLocal[r] = true;
            dirty[r] = true;
        }
        fIn = true;
        fKnown = -1;
        fopStored = true;
        fDirty = true;
    }

    /**
     * A taken branch from instruction {@code kSrc} to instruction {@code kTgt} of the region
     * (after {@link #prepareBranch}). DONE keeps "retired = DONE + index of the current
     * instruction" true on every path. A backward branch continues only if the room allows a
     * further run to the end of the region (at most {@code n} instructions); else the region
     * exits with EIP at the target (exact state: the dispatcher then services events and
     * interrupts as the interpreter would before that instruction). The dispatcher caps the
     * room, so a loop also returns regularly to see exit requests from other threads.
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
        Label out = new Label();
        if (storesBeforeBranch(kSrc)) exitIfDead(kSrc, eips[kTgt]);
        mv.visitIincInsn(DONE, delta);
        load(DONE);
        pushInt(n);
        mv.visitInsn(IADD);
        load(ROOM);
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
        boolean call = in.op == Op.CALL_REL || in.op == Op.CALL_E;
        return (call || !OpInfo.endsBlock(in.op)) && OpInfo.mayStore(in);
    }

    /**
     * After instruction k stored to memory: if the store hit this region's page (the code cache
     * killed the region), leave with EIP at {@code nextEip} before a stale instruction runs.
     */
    void exitIfDead(int k, int nextEip) {
        Label alive = new Label();
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
            prepareBranch();
            Label exit = new Label();
            int[] keys = new int[byEip.size()];
            Label[] stubs = new Label[keys.length];
            int i = 0;
            for (int key : byEip.keySet()) {
                keys[i] = key;
                stubs[i++] = new Label();
            }
            load(TMP);
            mv.visitLookupSwitchInsn(exit, keys, stubs);
            for (i = 0; i < keys.length; i++) {
                mv.visitLabel(stubs[i]);
                internalJump(k, byEip.get(keys[i]));
            }
            mv.visitLabel(exit);
        }
        cpu();
        load(TMP);
        mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
    }

    /** Exit states by what they write back (and whether they set EIP): index = state id (see Block.exited). */
    private final Map<String, Integer> exitIds = new LinkedHashMap<>();
    private final List<Dirty> exitStates = new java.util.ArrayList<>();
    private final List<Boolean> exitSetsEip = new java.util.ArrayList<>();
    private final Label exitTail = new Label();

    /**
     * Leaves the region with EIP = {@code eip} after {@code count} more instructions (DONE +
     * count retired). Every exit jumps to one tail, which hands the locals to Block.exited with
     * the id of what is dirty here: each exit costs a few bytes of bytecode.
     */
    void exit(int eip, int count) {
        pushInt(eip);
        store(EXIT_EIP);
        exitTo(count, true);
    }

    /** As {@link #exit}, when the instruction already set {@code cpu.eip}. */
    void exitEipSet(int count) {
        pushInt(0);
        store(EXIT_EIP);
        exitTo(count, false);
    }

    private void exitTo(int count, boolean setEip) {
        pushInt(count);
        store(EXIT_N);
        Dirty d = dirtySet();
        String key = d.key() + setEip;
        Integer id = exitIds.get(key);
        if (id == null) {
            exitIds.put(key, id = exitStates.size());
            exitStates.add(d);
            exitSetsEip.add(setEip);
        }
        while (exitLabels.size() <= id) exitLabels.add(new Label());
        mv.visitJumpInsn(GOTO, exitLabels.get(id));
    }

    /**
     * Exit states whose write-back is emitted in line (each a few dozen bytes): a region that
     * leaves through them often (a dispatcher round trip per guest loop iteration) pays no call.
     * The rest share one tail through Block.exited.
     */
    private static final int INLINE_EXITS = 4;
    private final List<Label> exitLabels = new java.util.ArrayList<>();

    /**
     * The exits' code (after the last instruction): the first states' write-back in line, then
     * one tail for the others: return this.exited(cpu, id, locals..., eip, DONE + n).
     */
    void sharedExits() {
        if (exitStates.isEmpty()) return;
        for (int id = 0; id < exitStates.size(); id++) {
            mv.visitLabel(exitLabels.get(id));
            if (id < INLINE_EXITS) {
                writeBack(exitStates.get(id));
                if (exitSetsEip.get(id)) {
                    cpu();
                    load(EXIT_EIP);
                    mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
                }
                load(DONE);
                load(EXIT_N);
                mv.visitInsn(IADD);
                mv.visitInsn(IRETURN);
            } else {
                pushInt(id);
                store(TMP);
                mv.visitJumpInsn(GOTO, exitTail);
            }
        }
        if (exitStates.size() <= INLINE_EXITS) return;
        mv.visitLabel(exitTail);
        mv.visitVarInsn(ALOAD, 0);
        cpu();
        load(TMP);
        pushLocals();
        load(EXIT_EIP);
        load(DONE);
        load(EXIT_N);
        mv.visitInsn(IADD);
        mv.visitMethodInsn(INVOKEVIRTUAL, Translator.BLOCK, "exited", "(" + C + "IIIIIIIIIIIIIII)I", false);
        mv.visitInsn(IRETURN);
    }

    /** Pushes the eight register locals and the four flag-record locals (Block.exited's and Block.faulted's arguments). */
    void pushLocals() {
        for (int r = 0; r < 8; r++) load(REG0 + r);
        load(FOP);
        load(FRES);
        load(FSRC);
        load(FDST);
    }

    /** The registers (bit r) a state has newer in locals than in the Cpu. */
    static int regMask(Dirty d) {
        int regs = 0;
        for (int r = 0; r < 8; r++) if (d.regs()[r]) regs |= 1 << r;
        return regs;
    }

    /** What a state says of the flag record for Block: clean, in FOP, or the operation to store. */
    static int flagEntry(Dirty d) {
        return !d.fIn() || !d.fDirty() ? Block.FLAGS_CLEAN : d.fKnown() >= 0 ? d.fKnown() : Block.FLAGS_IN_FOP;
    }

    /** Block.exited's tables for the exit states of this method: registers, flags, and bit 8 set when EIP is to be set. */
    int[] exitTable() {
        int[] t = new int[exitStates.size() * 2];
        for (int i = 0; i < exitStates.size(); i++) {
            t[2 * i] = regMask(exitStates.get(i)) | (exitSetsEip.get(i) ? 0x100 : 0);
            t[2 * i + 1] = flagEntry(exitStates.get(i));
        }
        return t;
    }

    // ---- one instruction ----

    /** Emits instruction {@code k}; returns true if it left {@code cpu.eip} at the next instruction (or the branch target). */
    boolean instruction(int k, Insn in, boolean end) {
        if (handWritten) {
            int done = Emitters.emit(this, k, in, end);
            if (done != Emitters.NO) return done == Emitters.DONE_EIP;
        }
        reference(k);
        return true;
    }

    /**
     * The reference semantics of instruction k: everything written back, the operation's own
     * handler called (a call site per instruction, so HotSpot may inline the one handler it
     * sees there), everything reloaded when needed.
     */
    void reference(int k) {
        if (referenced != null) referenced.add(insnOps[k]);
        spillAll();
        spillFlags();
        setEip(eips[k]);
        Translator.loadInsn(mv, k);
        mv.visitFieldInsn(GETFIELD, Translator.INSN, "handler", "L" + HANDLER + ";");
        cpu();
        Translator.loadInsn(mv, k);
        mv.visitMethodInsn(INVOKEVIRTUAL, HANDLER, "exec", "(" + C + "L" + Translator.INSN + ";)V", false);
        invalidateAll();
        flagsClobbered();
    }

    private static final String HANDLER = "io/flatland/cpu/Exec$Handler";

    /** Under -Dflatland.jit.profile: the operations emitted as reference calls (null: not profiling). */
    java.util.List<Integer> referenced;
    /** The operation of each instruction (for {@link #referenced}). */
    int[] insnOps;

    // ---- memory operands (the same Operands calls, in the same order, as the interpreter) ----

    /** Pushes the effective address of a 32-bit-addressed memory operand (Operands.ea, unrolled). */
    void ea(Insn in) {
        if (in.base >= 0) {
            loadReg(4, in.base);
            if (in.disp != 0) {
                pushInt(in.disp);
                mv.visitInsn(IADD);
            }
        } else {
            pushInt(in.disp);
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
        readMem(in, size);
    }

    /** Pushes the memory operand (Operands.read). */
    void readMem(Insn in, int size) {
        readMemAt(in.seg, () -> ea(in), size);
    }

    /** Pushes {@code size} bytes at {@code seg}:offset, the offset pushed by {@code offset}. */
    void readMemAt(int seg, Runnable offset, int size) {
        if (flat(seg)) {
            mv.visitVarInsn(ALOAD, RTAGS);
            mv.visitVarInsn(ALOAD, ADDEND);
            cpu();
            offset.run();
            invokeStatic(FAST_MEM, "read" + sizeSuffix(size), "([I[J" + C + "I)I");
            return;
        }
        cpu();
        pushInt(seg);
        offset.run();
        pushInt(size);
        invokeStatic(OPERANDS, "read", "(" + C + "III)I");
    }

    private static final String FAST_MEM = "io/flatland/jit/FastMem";

    /** Writes the value {@code value} pushes to the r/m operand (Operands.writeRm). */
    void writeRm(Insn in, int size, Runnable value) {
        if (in.mem) {
            writeMemBegin(in, size);
            value.run();
            writeMemEnd();
        } else {
            regStoreBegin(size, in.rm);
            value.run();
            regStoreEnd(size);
        }
    }

    /** First half of a memory write (Operands.write); push the value, then call {@link #writeMemEnd}. */
    void writeMemBegin(Insn in, int size) {
        writeMemBeginAt(in.seg, () -> ea(in), size);
    }

    /** First half of a write of {@code size} bytes at {@code seg}:offset, the offset pushed by {@code offset}. */
    void writeMemBeginAt(int seg, Runnable offset, int size) {
        if (pendingWrite >= 0) throw new IllegalStateException("nested memory writes");
        if (flat(seg)) {
            mv.visitVarInsn(ALOAD, WTAGS);
            mv.visitVarInsn(ALOAD, ADDEND);
            cpu();
            offset.run();
            pendingWrite = size;
            return;
        }
        cpu();
        pushInt(seg);
        offset.run();
        pushInt(size);
        pendingWrite = 0;
    }

    void writeMemEnd() {
        int size = pendingWrite;
        pendingWrite = -1;
        if (size < 0) throw new IllegalStateException("no memory write begun");
        if (size > 0) invokeStatic(FAST_MEM, "write" + sizeSuffix(size), "([I[J" + C + "II)V");
        else invokeStatic(OPERANDS, "write", "(" + C + "IIII)V");
    }

    private static final String MEM = "io/flatland/mmu/PhysicalMemory";

    /**
     * A read-modify-write of the memory operand: {@code writeLin(lin, op(readLin(lin)))} after
     * the write probe, exactly as Exec, with an inlined TLB probe so the common case is two
     * off-heap accesses. {@code op} is emitted twice (fast and slow path): it receives the old
     * value on the stack and must leave the new one; it may set the flag record (it runs after
     * everything that can fault) but must leave the same translation-time state on both paths.
     */
    void readModifyWrite(Insn in, int size, Runnable op) {
        readModifyWriteAt(in.seg, () -> ea(in), size, op);
    }

    /** {@link #readModifyWrite} of the operand at {@code seg:offset} ({@code offset} pushes it; it may use TMP). */
    void readModifyWriteAt(int seg, Runnable offset, int size, Runnable op) {
        Label slow = new Label(), done = new Label();
        if (flat(seg)) {
            offset.run();
            store(TMP);
            mv.visitVarInsn(ALOAD, RTAGS);
            mv.visitVarInsn(ALOAD, WTAGS);
            mv.visitVarInsn(ALOAD, ADDEND);
            load(TMP);
            pushInt(size);
            invokeStatic(FAST_MEM, "rmwHost", "([I[I[JII)J");
        } else {
            offset.run();
            store(TMP);
            cpu();
            pushInt(seg);
            load(TMP);
            pushInt(size);
            pushInt(1);
            invokeStatic(OPERANDS, "linear", "(" + C + "IIIZ)I");
            store(TMP);
            cpu();
            load(TMP);
            pushInt(size);
            invokeStatic(FAST_MEM, "rmwHost", "(" + C + "II)J");
        }
        mv.visitVarInsn(LSTORE, HOST);
        mv.visitVarInsn(LLOAD, HOST);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFEQ, slow);
        mv.visitVarInsn(LLOAD, HOST);
        mv.visitVarInsn(LLOAD, HOST);
        String sfx = size == 4 ? "Int" : size == 2 ? "Short" : "Byte";
        invokeStatic(MEM, "get" + sfx, "(J)I");
        Snapshot before = snapshot();
        op.run();
        Snapshot after = snapshot();
        invokeStatic(MEM, "put" + sfx, "(JI)V");
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(slow);
        restore(before);
        cpu();
        load(TMP);
        pushInt(size);
        mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "probeWrite", "(II)V", false);
        cpu();
        load(TMP);
        pushInt(size);
        cpu();
        load(TMP);
        pushInt(size);
        invokeStatic(OPERANDS, "readLin", "(" + C + "II)I");
        op.run();
        if (!snapshot().sameAs(after)) throw new IllegalStateException("read-modify-write paths disagree");
        invokeStatic(OPERANDS, "writeLin", "(" + C + "III)V");
        mv.visitLabel(done);
    }

    /**
     * The translation-time flag state, to emit one operation on two code paths. (Compared field
     * by field: a record's generated equals bootstraps method handles the first time it runs,
     * milliseconds on the translator's cold start.)
     */
    private record Snapshot(boolean fIn, int fKnown, boolean fopStored, boolean fDirty) {
        boolean sameAs(Snapshot o) {
            return fIn == o.fIn && fKnown == o.fKnown && fopStored == o.fopStored && fDirty == o.fDirty;
        }
    }

    private Snapshot snapshot() { return new Snapshot(fIn, fKnown, fopStored, fDirty); }

    private void restore(Snapshot s) {
        fIn = s.fIn;
        fKnown = s.fKnown;
        fopStored = s.fopStored;
        fDirty = s.fDirty;
    }

    // ---- stack (ESP in its local; Operands' stack helpers do the segment and size work) ----

    /** A 32-bit push of the value {@code value} pushes (Operands.pushAt). */
    void push32(Runnable value) {
        ensureLoaded(Cpu.ESP);
        if (flat(Cpu.SS)) {
            // A flat 32-bit stack: the store at ESP - 4 first, so a fault leaves ESP intact.
            writeMemBeginAt(Cpu.SS, () -> { loadReg(4, Cpu.ESP); pushInt(4); mv.visitInsn(ISUB); }, 4);
            value.run();
            writeMemEnd();
            loadReg(4, Cpu.ESP);
            pushInt(4);
            mv.visitInsn(ISUB);
            setReg32(Cpu.ESP);
            return;
        }
        cpu();
        loadReg(4, Cpu.ESP);
        pushInt(4);
        value.run();
        invokeStatic(OPERANDS, "pushAt", "(" + C + "III)I");
        setReg32(Cpu.ESP);
    }

    /** Pushes the dword at the top of the stack (Operands.topAt on the ESP local). */
    void top32() {
        if (flat(Cpu.SS)) {
            readMemAt(Cpu.SS, () -> loadReg(4, Cpu.ESP), 4);
            return;
        }
        cpu();
        loadReg(4, Cpu.ESP);
        pushInt(4);
        invokeStatic(OPERANDS, "topAt", "(" + C + "II)I");
    }

    /** ESP moves up by {@code delta} bytes (Operands.popAt on the ESP local). */
    void pop(int delta) {
        if (flat(Cpu.SS)) {
            loadReg(4, Cpu.ESP);
            pushInt(delta);
            mv.visitInsn(IADD);
            setReg32(Cpu.ESP);
            return;
        }
        cpu();
        loadReg(4, Cpu.ESP);
        pushInt(delta);
        invokeStatic(OPERANDS, "popAt", "(" + C + "II)I");
        setReg32(Cpu.ESP);
    }

    // ---- control transfers ----

    /** Raises #GP(0) if the pushed target is beyond the CS limit (Exec.jump's check). */
    void checkCsLimit(Runnable pushTarget) {
        Label ok = new Label();
        pushTarget.run();
        cpu();
        mv.visitFieldInsn(GETFIELD, CPU, "segLimit", "[I");
        pushInt(Cpu.CS);
        mv.visitInsn(IALOAD);
        invokeStatic("java/lang/Integer", "compareUnsigned", "(II)I");
        mv.visitJumpInsn(IFLE, ok);
        cpu();
        pushInt(13);
        pushInt(0);
        mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "fault", "(II)L" + Translator.FAULT + ";", false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(ok);
    }

    /** A near jump to a constant target within a 32-bit code segment. */
    void jumpTo(int target) {
        checkCsLimit(() -> pushInt(target));
        setEip(target);
    }
}
