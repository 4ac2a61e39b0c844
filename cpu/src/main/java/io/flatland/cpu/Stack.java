package io.flatland.cpu;

/**
 * Stack memory accesses of the control-transfer and interrupt machinery, through a stack
 * segment given explicitly (it may be a new SS not loaded yet) and at an explicit privilege:
 * pushes during a switch to ring 0 are ordinary accesses at the new CPL (SDM §6.12.1).
 * Offsets wrap at 64 KiB when the stack's B flag is clear.
 */
final class Stack {
    private Stack() { }

    static int offset(int esp, boolean big) { return big ? esp : esp & 0xFFFF; }

    /** New ESP after moving {@code delta} bytes, keeping the high half when the stack is 16-bit. */
    static int adjust(int esp, int delta, boolean big) {
        return big ? esp + delta : (esp & 0xFFFF0000) | ((esp + delta) & 0xFFFF);
    }

    /**
     * Throws {@code vector(errorCode)} unless the {@code count} slots of {@code size} bytes
     * below {@code esp} (a push) or from {@code esp} upward (a pop, {@code push = false})
     * are inside the segment's limit. Checked slot by slot so a 16-bit stack that wraps
     * is judged the way each single access would be.
     */
    static void check(Cpu cpu, int attr, int limit, int esp, boolean big, int count, int size, boolean push,
                      int vector, int errorCode) {
        if (limit == -1 && !Descriptor.isExpandDown(attr)) return;
        int sp = esp;
        for (int i = 0; i < count; i++) {
            if (push) sp = adjust(sp, -size, big);
            if (!Segments.withinLimit(attr, limit, offset(sp, big), size)) throw cpu.fault(vector, errorCode);
            if (!push) sp = adjust(sp, size, big);
        }
    }

    static void write(Cpu cpu, int lin, int value, int size, boolean user) {
        if (user == cpu.userMode()) {
            if (size == 4) cpu.writeLin32(lin, value); else cpu.writeLin16(lin, value);
        } else {
            if (size == 4) cpu.mmu.write32Slow(lin, value, user); else cpu.mmu.write16Slow(lin, value, user);
        }
    }

    static int read(Cpu cpu, int lin, int size, boolean user) {
        if (user == cpu.userMode()) return size == 4 ? cpu.readLin32(lin) : cpu.readLin16(lin);
        return size == 4 ? cpu.mmu.read32Slow(lin, user) : cpu.mmu.read16Slow(lin, user);
    }

    /** Pushes onto the stack at {@code base}; returns the new ESP. */
    static int push(Cpu cpu, int base, int esp, boolean big, int value, int size, boolean user) {
        esp = adjust(esp, -size, big);
        write(cpu, base + offset(esp, big), value, size, user);
        return esp;
    }

    /** Reads the {@code index}-th slot of {@code size} bytes above {@code esp} on the current stack. */
    static int peek(Cpu cpu, int esp, int index, int size) {
        boolean big = cpu.stack32;
        int sp = adjust(esp, index * size, big);
        return read(cpu, cpu.segBase[Cpu.SS] + offset(sp, big), size, cpu.userMode());
    }
}
