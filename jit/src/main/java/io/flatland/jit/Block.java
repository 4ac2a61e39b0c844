package io.flatland.jit;

import io.flatland.cpu.Cpu;

/**
 * One translated guest basic block. The translator generates a hidden subclass whose
 * {@link #run} executes the block's instructions; the fields here are the metadata the
 * dispatcher and the code cache need.
 *
 * <p>Contract of {@link #run}: it starts with {@code cpu.eip == eip}, retires at most
 * {@code room} instructions ({@code room >= length}) and returns either the number of
 * instructions it retired ({@code >= 0}; {@code cpu.eip} is then the next guest
 * instruction), or {@code -(k + 1)} when the instruction after {@code k} retired ones raised
 * the machine's GuestFault: {@code cpu.eip} is then that instruction's address and it has
 * changed nothing, exactly as the interpreter leaves things before it delivers the fault.
 *
 * <p>A translated unit is a region: the instructions reachable from the entry within its
 * page (and the next one, see {@link BlockScanner}) along not-taken conditional branches and followed unconditional jumps (in that order,
 * at most {@link BlockScanner#MAX_INSNS}); branches to instructions of the region are
 * bytecode jumps, so loops run inside {@code run}. A backward branch continues only while
 * the room allows a further {@code length} instructions. A region may hold further paths of
 * the same page, reached from branches and indirect transfers of the region: see
 * {@link BlockScanner} and {@link ExitProfile}.
 */
public abstract class Block extends io.flatland.cpu.Translation {
    /** Linear EIP (offset in CS) and physical address of the first instruction. */
    public int eip, phys;
    /**
     * Physical base of the page after the entry's when the region holds code there (-1: it
     * does not): the region runs only while that linear page still maps to it.
     */
    public int phys2 = -1;
    /** Highest EIP of the region's instructions: it must lie within the CS limit (checked on entry). */
    public int lastEip;
    /**
     * Segment registers (bit per register) the code assumes flat with base 0, as
     * {@link BlockScanner#flatSegments} found them: the region runs only while they still are.
     */
    public int flatSegs;
    /** The {@link Cpu#segmentEpoch} at which {@link #flatSegs} last held (the dispatcher checks again when it moved). */
    long flatCheckedAt = -1;
    /** EIP of each instruction (for reports when the reference semantics throw something unexpected). */
    int[] eips;
    /** Number of guest instructions in the region: the most one pass can retire (loops may retire more per run). */
    public int length;
    /** Set by the code cache when a write hits the block's page; a running block checks it after stores. */
    public boolean dead;
    /** The last two regions that ran after this one (most recent first): the dispatcher checks them before a lookup. */
    public Block succ0, succ1;
    /** Further roots the region was translated with (null: none); a regrown region keeps them. */
    int[] roots;
    /** Where the region exits to, while the dispatcher still watches (null: not or no longer). */
    ExitProfile profile;
    /** The profile has seen enough: the dispatcher decides on growing before the next run. */
    boolean growDue;
    /** The decoded instruction at the entry, whose {@link io.flatland.cpu.Insn#entry} points here (null if none). */
    io.flatland.cpu.Insn entryInsn;
    /** Links in the code cache's lists of blocks on the entry's physical page and on {@link #phys2}'s. */
    Block nextOnPage, nextOnPage2;
    /** Counted out of the code cache's live blocks (killed with one of its pages). */
    boolean killed;
    /** Under -Dflatland.jit.profile: the operations of the region that run through the reference semantics. */
    int[] referenceOps;

    /**
     * What the region's fault handler writes back when instruction k faults: the registers
     * (bit r) and the flag record that were newer in locals than in the Cpu when k began. The
     * flag entry is the operation to store with the record, or one of the two markers below.
     */
    byte[] faultRegs;
    int[] faultFlags;
    static final int FLAGS_CLEAN = Integer.MIN_VALUE, FLAGS_IN_FOP = -1;
    /** Per exit state id: [2i] registers to write back (bit 8: set EIP), [2i+1] the flag entry as in faultFlags. */
    int[] exitTable;

    protected Block() { }

    /**
     * The common exit of translated code: writes back what exit state {@code id} says is newer
     * in the locals, sets EIP (unless the instruction did) and returns {@code retired}.
     */
    public final int exited(Cpu cpu, int id, int r0, int r1, int r2, int r3, int r4, int r5, int r6, int r7,
                            int fop, int fres, int fsrc, int fdst, int eip, int retired) {
        int regs = exitTable[2 * id];
        writeBack(cpu, regs, r0, r1, r2, r3, r4, r5, r6, r7);
        writeBack(cpu, exitTable[2 * id + 1], fop, fres, fsrc, fdst);
        if ((regs & 0x100) != 0) cpu.eip = eip;
        return retired;
    }

    private static void writeBack(Cpu cpu, int regs, int r0, int r1, int r2, int r3, int r4, int r5, int r6, int r7) {
        if ((regs & 0xFF) == 0) return;
        int[] g = cpu.reg;
        if ((regs & 1) != 0) g[0] = r0;
        if ((regs & 2) != 0) g[1] = r1;
        if ((regs & 4) != 0) g[2] = r2;
        if ((regs & 8) != 0) g[3] = r3;
        if ((regs & 16) != 0) g[4] = r4;
        if ((regs & 32) != 0) g[5] = r5;
        if ((regs & 64) != 0) g[6] = r6;
        if ((regs & 128) != 0) g[7] = r7;
    }

    private static void writeBack(Cpu cpu, int flags, int fop, int fres, int fsrc, int fdst) {
        if (flags == FLAGS_CLEAN) return;
        cpu.flagOp = flags == FLAGS_IN_FOP ? fop : flags;
        cpu.flagResult = fres;
        cpu.flagSrc = fsrc;
        cpu.flagDst = fdst;
    }

    /**
     * The fault handler of translated code: instruction {@code k} raised the machine's fault
     * and changed nothing; the locals are as they were when it began. Writes back what was
     * dirty then, leaves EIP at the instruction and returns the run's result,
     * {@code -(k + 1) - done}. Out of line, so each region's bytecode has one short handler.
     */
    public final int faulted(Cpu cpu, int k, int r0, int r1, int r2, int r3, int r4, int r5, int r6, int r7,
                             int fop, int fres, int fsrc, int fdst, int done) {
        writeBack(cpu, faultRegs[k] & 0xFF, r0, r1, r2, r3, r4, r5, r6, r7);
        writeBack(cpu, faultFlags[k], fop, fres, fsrc, fdst);
        cpu.eip = eips[k];
        return -(k + 1) - done;
    }

    public abstract int run(Cpu cpu, int room);

    /**
     * A new instance of this region's class, with no facts set: another machine's copy of the
     * same code ({@link SharedRegions}). Generated with the class.
     */
    protected abstract Block fresh();

    /**
     * Takes the facts of {@code from}'s code (same class): everything but what belongs to one
     * machine (entry address, pages, liveness, links, profile).
     */
    void copyCode(Block from) {
        lastEip = from.lastEip;
        flatSegs = from.flatSegs;
        length = from.length;
        eips = from.eips;
        faultRegs = from.faultRegs;
        faultFlags = from.faultFlags;
        exitTable = from.exitTable;
        referenceOps = from.referenceOps;
        roots = from.roots;
    }

    /** Whether an instruction of the region starts at {@code eip}. */
    boolean holds(int eip) {
        for (int k = 0; k < length; k++) {
            if (eips[k] == eip) return true;
        }
        return false;
    }
}
