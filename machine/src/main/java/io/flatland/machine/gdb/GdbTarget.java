package io.flatland.machine.gdb;

/**
 * The stopped machine as {@link GdbCommands} uses it: registers in gdb's i386 numbering,
 * linear memory, break- and watchpoints, and resuming. Called only while the CPU is stopped.
 */
interface GdbTarget {
    /** Breakpoint and watchpoint types of the Z/z packets. */
    int SOFTWARE_BREAKPOINT = 0, HARDWARE_BREAKPOINT = 1, WRITE_WATCHPOINT = 2, READ_WATCHPOINT = 3, ACCESS_WATCHPOINT = 4;

    int registerCount();

    /** Register {@code n} in target byte order (its size in bytes is the array length). */
    byte[] readRegister(int n);

    /** False if the value cannot be set (the stub replies with an error). */
    boolean writeRegister(int n, byte[] value);

    /** Reads from linear {@code address}; returns how many bytes were mapped (from the start). */
    int readMemory(int address, byte[] into, int len);

    /** Writes at linear {@code address}; false (nothing written) if a byte is not mapped. */
    boolean writeMemory(int address, byte[] from, int len);

    /** False if this kind of point is not supported or there is no room for it. */
    boolean insertPoint(int type, int address, int length);

    boolean removePoint(int type, int address, int length);

    /** Sets EIP (the optional address of {@code c}/{@code s}). */
    void setPc(int address);

    /** Lets the CPU run (or execute one instruction); the stop reply is sent when it stops. */
    void resume(boolean step);

    /** Why the CPU is stopped, as a stop reply packet ({@code T05...}). */
    String stopReply();

    /** Removes every point, lets the guest run on, and ends the session. */
    void detach();

    /** Ends the machine (and the process, when it runs the command line). */
    void kill();
}
