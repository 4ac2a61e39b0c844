package io.flatland.cpu;

/**
 * The CPU's side of QEMU-style {@code -d} logging, implemented by the machine. The CPU holds
 * it in {@link Cpu#intLog} only while {@code -d int} is on, in {@link Cpu#asmLog} only while
 * {@code -d in_asm} is on (a test on the decode-cache miss and the JIT's region scan, both
 * slow paths), and in a {@link DebugControl}
 * only while {@code -d exec} or {@code -d cpu} is on: with logging off nothing is called and
 * nothing is checked per instruction.
 */
public interface CpuLog {
    /** What raised an event ({@link #event}). */
    int SOFTWARE = 0, EXCEPTION = 1, HARDWARE = 2;

    /**
     * An exception or interrupt about to be delivered: {@code errorCode} -1 when the vector
     * pushes none; the CPU still holds the state it had before the delivery (CPL, CS:EIP of
     * the instruction concerned or the next one for a hardware interrupt, CR2 already set for #PF).
     */
    void event(Cpu cpu, int vector, int errorCode, int kind);

    /** The interpreter is about to run the first instruction of a basic block at CS:EIP. */
    void blockEntered(Cpu cpu);

    /**
     * {@code -d in_asm}: the interpreter decoded {@code in} at CS:{@code eip} for execution (a
     * decode-cache miss: the first time, or again after its page was written). Instructions
     * arrive in execution order; a basic block's are consecutive.
     */
    default void decoded(Cpu cpu, int eip, Insn in) { }

    /**
     * {@code -d in_asm}: the JIT scanned a region for translation: {@code count} instructions,
     * {@code insns.get(i)} at CS:{@code eips[i]}.
     */
    default void regionScanned(Cpu cpu, int[] eips, java.util.List<Insn> insns, int count) { }

    /**
     * {@code -d pcall}: a protected-mode far transfer is about to happen: {@code what} is
     * "ljmp", "lcall", "lret", "iret" or "task switch"; {@code selector}:{@code offset} its
     * target (for a task switch, the TSS selector and 0). The CPU still holds the state before
     * it (CS:EIP of the instruction, CPL). The target's checks follow: a transfer logged here
     * may still fault.
     */
    default void farTransfer(Cpu cpu, String what, int selector, int offset, boolean op32) { }
}
