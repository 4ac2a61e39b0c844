package io.flatland.machine.log;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;

/** The registers as {@code -d cpu} and {@code -d cpu_reset} print them (a few lines, QEMU's layout in spirit). */
final class RegisterDump {
    private RegisterDump() { }

    private static final String[] SEGS = {"ES", "CS", "SS", "DS", "FS", "GS"};

    static String of(Cpu c) {
        int[] r = c.reg;
        StringBuilder sb = new StringBuilder(512);
        sb.append(String.format("EAX=%08x EBX=%08x ECX=%08x EDX=%08x%n", r[Cpu.EAX], r[Cpu.EBX], r[Cpu.ECX], r[Cpu.EDX]));
        sb.append(String.format("ESI=%08x EDI=%08x EBP=%08x ESP=%08x%n", r[Cpu.ESI], r[Cpu.EDI], r[Cpu.EBP], r[Cpu.ESP]));
        sb.append(String.format("EIP=%08x EFL=%08x CPL=%d HLT=%d icount=%d%n", c.eip, Flags.get(c), c.cpl, c.halted ? 1 : 0, c.icount));
        for (int s = 0; s < 6; s++) {
            sb.append(String.format("%s =%04x %08x %08x %04x%n", SEGS[s], c.segSel[s] & 0xFFFF, c.segBase[s], c.segLimit[s],
                    c.segAttr[s] & 0xFFFF));
        }
        sb.append(String.format("LDT=%04x %08x %08x  TR=%04x %08x %08x%n", c.ldtSel & 0xFFFF, c.ldtBase, c.ldtLimit,
                c.trSel & 0xFFFF, c.trBase, c.trLimit));
        sb.append(String.format("GDT=     %08x %08x  IDT=     %08x %08x%n", c.gdtBase, c.gdtLimit, c.idtBase, c.idtLimit));
        sb.append(String.format("CR0=%08x CR2=%08x CR3=%08x CR4=%08x", c.mmu.cr0(), c.cr2, c.mmu.cr3(), c.mmu.cr4()));
        return sb.toString();
    }
}
