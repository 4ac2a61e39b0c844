package io.flatland.mmu;

/**
 * Where QEMU-style {@code -d} log lines go (the machine's {@code GuestLogger} implements it).
 * Event sites hold a reference only while their item is enabled, and test it for null:
 * logging off costs one null check on paths that are already slow (page faults, CR3 loads,
 * TLB flushes, unassigned accesses).
 */
public interface GuestLog {
    /** Writes one line (no line terminator in {@code text}). */
    void line(String text);
}
