package io.flatland.mmu;

/**
 * An x86 exception raised while an instruction executes (a fault, precisely: the
 * instruction has not changed architectural state when this is thrown). The CPU catches
 * it, leaves EIP at the faulting instruction and delivers {@link #vector} through the IDT.
 *
 * <p>One instance per machine is reused: faults are thrown on guest paths that run often
 * (demand paging), so they must not allocate or fill in a stack trace.
 */
public final class GuestFault extends RuntimeException {
    public static final int NO_ERROR_CODE = -1;
    /**
     * Not an x86 exception: translated code touched device memory ({@link MmioBus#trap}); the
     * JIT re-runs the instruction in the interpreter instead of delivering anything.
     */
    public static final int MMIO_TRAP = -2;

    public int vector;
    /** Error code pushed by delivery, or {@link #NO_ERROR_CODE}. */
    public int errorCode;
    /** Faulting linear address for #PF (becomes CR2). */
    public int address;

    public GuestFault() {
        super(null, null, false, false);
    }

    public GuestFault set(int vector, int errorCode, int address) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.address = address;
        return this;
    }

    @Override
    public String getMessage() {
        return "vector " + vector + " error " + Integer.toHexString(errorCode) + " address " + Integer.toHexString(address);
    }
}
