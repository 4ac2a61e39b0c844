package io.flatland.machine;

/**
 * Events of a running machine for an embedding application or a test, registered with
 * {@link Machine#addListener}: exceptions and interrupts as they are delivered, POST codes,
 * and (only if {@link #wantsBlocks}) each basic block entered. Called on the machine's thread.
 *
 * <p>Built on the hooks of {@code -d}: with no listener registered nothing is called and
 * nothing is checked per instruction. Deliveries and POST writes are already slow paths; a
 * listener that wants blocks makes both engines interpret (as {@code -d exec} does), so both
 * report the same blocks.
 */
public interface MachineListener {
    /** What raised a delivery. */
    enum Source {
        /** INT n, INT3, INTO. */
        SOFTWARE,
        /** An exception the CPU raised (fault, trap, abort). */
        EXCEPTION,
        /** An external interrupt from the PICs. */
        HARDWARE
    }

    /**
     * An exception or interrupt about to be delivered through the IDT (each attempt: a fault
     * while delivering is reported too, then #DF). {@code errorCode} is -1 when the vector
     * pushes none. The CPU still holds its state before the delivery: {@code machine.cpu()}
     * gives CS:EIP (the instruction concerned, or the next one for a hardware interrupt), CPL,
     * and CR2 for #PF.
     */
    default void interrupt(Machine machine, int vector, int errorCode, Source source) { }

    /** The guest wrote {@code code} to the POST port 0x80, at instruction count {@code icount}. */
    default void postCode(Machine machine, int code, long icount) { }

    /** Whether {@link #blockEntered} is wanted (it makes both engines interpret). Asked once, at registration. */
    default boolean wantsBlocks() { return false; }

    /** The CPU is about to run the first instruction of a basic block at CS:EIP ({@code machine.cpu()}). */
    default void blockEntered(Machine machine) { }
}
