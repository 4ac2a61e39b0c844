package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bare CPU on 4 MiB of RAM with a protected-mode GDT, IDT and 32-bit TSS written by hand
 * (descriptor layouts from SDM Vol. 3A Figures 3-8, 5-8, 6-2 and 7-11).
 */
final class SystemTestMachine implements AutoCloseable {
    static final int GDT = 0x1000, IDT = 0x2000, TSS = 0x3000;
    static final int KCODE = 0x08, KDATA = 0x10, UCODE = 0x18, UDATA = 0x20, TSS_SEL = 0x28,
            EXPAND_DOWN = 0x30, READ_ONLY = 0x38, EXEC_ONLY = 0x40, NOT_PRESENT = 0x48, SMALL_DATA = 0x50,
            CALL_GATE = 0x58, GDT_END = 0x60;
    static final int KSTACK_TOP = 0x9000, TSS_LIMIT = 0x68 + 0x80;
    static final int HANDLER = 0x5000;

    final PhysicalMemory ram = new PhysicalMemory(4 << 20, new MmioBus());
    final Mmu mmu = new Mmu(ram);
    final IoBus io = new IoBus();
    final Cpu cpu = new Cpu(mmu, io);

    SystemTestMachine() {
        cpu.platform = new Platform() {
            @Override public boolean interruptPending() { return false; }
            @Override public int acknowledgeInterrupt() { return 0; }
            @Override public void service(Cpu c) { }
            @Override public boolean idle(Cpu c) { return false; }
        };
        SystemOps.reset(cpu);
    }

    @Override public void close() { ram.close(); }

    // ---- descriptor encoders ----

    /** access = P|DPL|S|type byte; flags = G|D/B|L|AVL nibble. */
    void segment(int sel, int base, int limit, int access, int flags) {
        int lo = (limit & 0xFFFF) | base << 16;
        int hi = (base >>> 16 & 0xFF) | access << 8 | (limit & 0xF0000) | flags << 20 | (base & 0xFF000000);
        ram.write32(GDT + (sel & ~7), lo);
        ram.write32(GDT + (sel & ~7) + 4, hi);
    }

    /** access = P|DPL|0|type (e.g. 0x8E for a 32-bit interrupt gate). */
    void gate(int tableAddr, int selector, int offset, int access, int params) {
        ram.write32(tableAddr, (offset & 0xFFFF) | selector << 16);
        ram.write32(tableAddr + 4, (offset & 0xFFFF0000) | access << 8 | params);
    }

    void idtGate(int vector, int offset, int access) { gate(IDT + vector * 8, KCODE, offset, access, 0); }

    int accessByte(int sel) { return ram.read8(GDT + (sel & ~7) + 5); }

    /** Protected mode at CPL 0 with flat kernel segments, our GDT/IDT and a loaded TR. */
    void protectedMode() {
        segment(KCODE, 0, 0xFFFFF, 0x9A, 0xC);
        segment(KDATA, 0, 0xFFFFF, 0x92, 0xC);
        segment(UCODE, 0, 0xFFFFF, 0xFA, 0xC);
        segment(UDATA, 0, 0xFFFFF, 0xF2, 0xC);
        segment(TSS_SEL, TSS, TSS_LIMIT, 0x89, 0);
        segment(EXPAND_DOWN, 0, 0x00FFF, 0x96, 0x4);    // expand-down, writable, B=1
        segment(READ_ONLY, 0, 0xFFFFF, 0x90, 0xC);
        segment(EXEC_ONLY, 0, 0xFFFFF, 0x98, 0xC);
        segment(NOT_PRESENT, 0, 0xFFFFF, 0x12, 0xC);
        segment(SMALL_DATA, 0x10000, 0x0FFFF, 0x92, 0x4);
        // 32-bit TSS: SS0:ESP0 and an I/O bit map at 0x68 covering ports 0-0x3FF, all denied
        // except COM1 (0x3F8-0x3FF), followed by the mandatory 0xFF byte.
        ram.write32(TSS + 4, KSTACK_TOP);
        ram.write32(TSS + 8, KDATA);
        ram.write16(TSS + 0x66, 0x68);
        for (int i = 0; i <= 0x80; i++) ram.write8(TSS + 0x68 + i, 0xFF);
        ram.write8(TSS + 0x68 + (0x3F8 >>> 3), 0x00);
        SystemOps.enterFlatProtectedMode(cpu);
        SystemOps.lgdt(cpu, GDT, GDT_END - 1);
        SystemOps.lidt(cpu, IDT, 256 * 8 - 1);
        SystemOps.ltr(cpu, TSS_SEL);
        cpu.reg[Cpu.ESP] = KSTACK_TOP;
    }

    /** Enters ring 3 the way an OS does: IRET from ring 0 with a five-slot frame. */
    void enterRing3(int eip, int esp, int eflags) {
        int sp = cpu.reg[Cpu.ESP];
        int[] frame = {eip, UCODE | 3, eflags, esp, UDATA | 3};
        for (int i = frame.length - 1; i >= 0; i--) {
            sp -= 4;
            ram.write32(sp, frame[i]);
        }
        cpu.reg[Cpu.ESP] = sp;
        SystemOps.iret(cpu, true);
    }

    // ---- assertions ----

    static void assertFault(Cpu cpu, int vector, int errorCode, Runnable r) {
        try {
            r.run();
        } catch (GuestFault f) {
            assertEquals(vector, f.vector, "vector");
            assertEquals(errorCode, f.errorCode, "error code");
            return;
        }
        fail("expected fault " + vector + "(" + Integer.toHexString(errorCode) + ")");
    }
}
