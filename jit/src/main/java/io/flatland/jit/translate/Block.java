package io.flatland.jit.translate;

import io.flatland.jit.Cpu;

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
 * A block whose last instruction jumps back to its first loops inside {@code run} while the
 * room allows another full iteration.
 */
public abstract class Block {
    /** Linear EIP (offset in CS) and physical address of the first instruction. */
    public int eip, phys;
    /** EIP of the last instruction: it must lie within the CS limit (checked on entry). */
    public int lastEip;
    /** EIP of each instruction (for reports when the reference semantics throw something unexpected). */
    int[] eips;
    /** Number of guest instructions in one pass (a self-loop may retire several passes per run). */
    public int length;
    /** Set by the code cache when a write hits the block's page; a running block checks it after stores. */
    public boolean dead;
    /** Successors seen after this block (direct-mapped by EIP parity), so a chain costs a field read. */
    public Block succ0, succ1;
    /** Link in the code cache's list of blocks on the same physical page. */
    Block nextOnPage;

    protected Block() { }

    public abstract int run(Cpu cpu, int room);
}
