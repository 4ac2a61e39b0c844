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
 * page along not-taken conditional branches and followed unconditional jumps (in that order,
 * at most {@link BlockScanner#MAX_INSNS}); branches to instructions of the region are
 * bytecode jumps, so loops run inside {@code run}. A backward branch continues only while
 * the room allows a further {@code length} instructions. A region may hold further paths of
 * the same page, reached from branches and indirect transfers of the region: see
 * {@link BlockScanner} and {@link ExitProfile}.
 */
public abstract class Block extends io.flatland.cpu.Translation {
    /** Linear EIP (offset in CS) and physical address of the first instruction. */
    public int eip, phys;
    /** Highest EIP of the region's instructions: it must lie within the CS limit (checked on entry). */
    public int lastEip;
    /** EIP of each instruction (for reports when the reference semantics throw something unexpected). */
    int[] eips;
    /** Number of guest instructions in the region: the most one pass can retire (loops may retire more per run). */
    public int length;
    /** Set by the code cache when a write hits the block's page; a running block checks it after stores. */
    public boolean dead;
    /** Successors seen after this block (direct-mapped by EIP parity), so a chain costs a field read. */
    public Block succ0, succ1;
    /** Further roots the region was translated with (null: none); a regrown region keeps them. */
    int[] roots;
    /** Where the region exits to, while the dispatcher still watches (null: not or no longer). */
    ExitProfile profile;
    /** The profile has seen enough: the dispatcher decides on growing before the next run. */
    boolean growDue;
    /** The decoded instruction at the entry, whose {@link io.flatland.cpu.Insn#entry} points here (null if none). */
    io.flatland.cpu.Insn entryInsn;
    /** Link in the code cache's list of blocks on the same physical page. */
    Block nextOnPage;

    protected Block() { }

    public abstract int run(Cpu cpu, int room);

    /** Whether an instruction of the region starts at {@code eip}. */
    boolean holds(int eip) {
        for (int k = 0; k < length; k++) {
            if (eips[k] == eip) return true;
        }
        return false;
    }
}
