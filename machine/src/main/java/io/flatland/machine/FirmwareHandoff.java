package io.flatland.machine;

import io.flatland.cpu.IoBus;
import io.flatland.machine.devices.LocalApic;
import io.flatland.mmu.PhysicalMemory;

/**
 * The device and memory state QEMU's firmware (SeaBIOS 1.16) leaves for a {@code -kernel} guest,
 * which Flatland enters directly: recorded on QEMU 7.2 with a probe kernel that reads the 8259
 * masks, the 8254's read-back status, the real-mode interrupt vector table and the local APIC
 * (machine/src/test/resources/firmware/handoff.expected), and reproduced here by the same
 * register writes the BIOS makes:
 *
 * <ul>
 *   <li>the 8259 pair initialised with vector bases 0x08 and 0x70, IRQ 0, 1, 2 (cascade), 6, 8,
 *       12, 13 and 14 unmasked (IMR 0xB8 / 0x8E);</li>
 *   <li>the 8254's channel 0 in mode 2 with the full count, the 18.2 Hz BIOS tick;</li>
 *   <li>an interrupt vector table whose hardware-interrupt entries point at handlers that
 *       acknowledge the 8259 (the timer's also counts BIOS ticks at 0x46C and calls INT 1Ch, as
 *       SeaBIOS's does), and whose other entries point at an IRET, at the IBM-compatible
 *       addresses SeaBIOS uses (F000:FEA5 for the timer, F000:FF53 for the IRET);</li>
 *   <li>on pc, the local APIC software-enabled with LINT0 in virtual-wire mode (ExtINT) and LINT1
 *       delivering NMI, and the INIT and SIPI the BIOS broadcast to look for other CPUs.</li>
 * </ul>
 *
 * A guest that halts in real mode with interrupts enabled (kvm-unit-tests' realmode) is woken by
 * the BIOS tick exactly as on QEMU; kernels that program the PICs and the PIT themselves see no
 * difference.
 */
final class FirmwareHandoff {
    private FirmwareHandoff() { }

    static final int BIOS_SEGMENT = 0xF000;
    /** IBM PC-compatible entry points SeaBIOS keeps: the timer interrupt and a lone IRET. */
    static final int TIMER_ENTRY = 0xFEA5, IRET_ENTRY = 0xFF53;
    /** Flatland's own handlers for the other hardware interrupts (free bytes below the IRET). */
    static final int MASTER_IRQ_ENTRY = 0xFF40, SLAVE_IRQ_ENTRY = 0xFF48;

    // push ax; push ds; xor ax,ax; mov ds,ax; inc dword [0x46C]; int 1Ch; mov al,20h; out 20h,al; pop ds; pop ax; iret
    private static final byte[] TIMER = bytes(0x50, 0x1E, 0x31, 0xC0, 0x8E, 0xD8, 0x66, 0xFF, 0x06, 0x6C, 0x04,
            0xCD, 0x1C, 0xB0, 0x20, 0xE6, 0x20, 0x1F, 0x58, 0xCF);
    // push ax; mov al,20h; out 20h,al; pop ax; iret
    private static final byte[] MASTER_EOI = bytes(0x50, 0xB0, 0x20, 0xE6, 0x20, 0x58, 0xCF);
    // push ax; mov al,20h; out 0A0h,al; out 20h,al; pop ax; iret
    private static final byte[] SLAVE_EOI = bytes(0x50, 0xB0, 0x20, 0xE6, 0xA0, 0xE6, 0x20, 0x58, 0xCF);

    static void apply(IoBus io, PhysicalMemory ram, LocalApic lapic) {
        programPics(io);
        // 8254 channel 0: mode 2, low then high byte, count 0 (65536): 1193182 / 65536 = 18.2 Hz.
        io.out(0x43, 1, 0x34);
        io.out(0x40, 1, 0);
        io.out(0x40, 1, 0);
        writeVectors(ram);
        if (lapic != null) programLocalApic(lapic);
    }

    private static void programPics(IoBus io) {
        io.out(0x20, 1, 0x11);      // ICW1: edge, cascade, ICW4 follows
        io.out(0xA0, 1, 0x11);
        io.out(0x21, 1, 0x08);      // ICW2: vector bases
        io.out(0xA1, 1, 0x70);
        io.out(0x21, 1, 0x04);      // ICW3: slave on IRQ2
        io.out(0xA1, 1, 0x02);
        io.out(0x21, 1, 0x01);      // ICW4: 8086 mode
        io.out(0xA1, 1, 0x01);
        io.out(0x21, 1, 0xB8);      // the masks SeaBIOS leaves
        io.out(0xA1, 1, 0x8E);
    }

    private static void writeVectors(PhysicalMemory ram) {
        long rom = (long) BIOS_SEGMENT << 4;
        ram.load(rom + TIMER_ENTRY, TIMER, 0, TIMER.length);
        ram.load(rom + MASTER_IRQ_ENTRY, MASTER_EOI, 0, MASTER_EOI.length);
        ram.load(rom + SLAVE_IRQ_ENTRY, SLAVE_EOI, 0, SLAVE_EOI.length);
        ram.write8((int) rom + IRET_ENTRY, 0xCF);
        for (int v = 0; v < 256; v++) {
            int entry;
            if (v == 0x08) entry = TIMER_ENTRY;
            else if (v > 0x08 && v <= 0x0F) entry = MASTER_IRQ_ENTRY;
            else if (v >= 0x70 && v <= 0x77) entry = SLAVE_IRQ_ENTRY;
            else if (v >= 0x60 && v <= 0x66 || v == 0x79) entry = -1;   // vectors SeaBIOS leaves null
            else entry = IRET_ENTRY;
            ram.write32(4 * v, entry < 0 ? 0 : BIOS_SEGMENT << 16 | entry);
        }
    }

    private static void programLocalApic(LocalApic lapic) {
        int base = (int) LocalApic.DEFAULT_BASE;
        lapic.write(base + 0xF0, 4, 0x1FF);        // software enable, spurious vector 0xFF
        lapic.write(base + 0x350, 4, 0x8700);      // LINT0: ExtINT, level (virtual wire)
        lapic.write(base + 0x360, 4, 0x8400);      // LINT1: NMI, level
        lapic.write(base + 0x300, 4, 0x000C_4500); // INIT to all but self: no other CPU answers
        lapic.write(base + 0x300, 4, 0x000C_4610); // SIPI (vector 0x10) to all but self
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
