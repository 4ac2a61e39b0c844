package io.flatland.machine.log;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.CpuLog;
import io.flatland.cpu.DebugControl;
import io.flatland.cpu.Insn;
import io.flatland.cpu.OpInfo;
import io.flatland.cpu.disasm.Disassembler;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.GuestLog;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * QEMU's {@code -d ITEMS -D FILE}: the enabled items ({@link LogItems}) and a buffered
 * output, flushed when the run ends (every exit path: the CLI closes it in a finally block and
 * flushes it from its shutdown hook). {@link #attach} gives each event site a reference only
 * if its item is on; the sites test it for null.
 *
 * <p>Line formats (one line per event unless said):
 * <pre>
 * int: 41 v=0e e=0006 src=exc cpl=3 IP=001b:08048123 SP=0023:bfff0ff0 CR2=0804a000
 *      (41: events logged before this one, as QEMU counts them)
 *      (src: exc for an exception, sw for INT n/INT3/INTO, hw for an external interrupt;
 *       e=---- when the vector has no error code; CR2 only for #PF, EAX otherwise, as QEMU)
 * mmu: CR3=00123000 (load 7) / mmu: TLB flush all|non-global (CR0|CR3|CR4|A20) / mmu: INVLPG lin
 * mmu: #PF lin=0804a000 e=0006 (not-present write user)
 * guest_errors: IN from unassigned port 0278, size 1 (reads ff) / OUT to ... / read|write of unassigned memory ...
 * unimp: MESSAGE (icount=N)
 * exec: icount=N CS:EIP=0008:f0406000      cpu: icount=N, then the register dump ({@link RegisterDump})
 * cpu_reset: ..., then the register dump
 * in_asm (QEMU's layout; addresses linear, CS base + EIP; a JIT region says so after IN:):
 *   ----------------
 *   IN: 
 *   0x00100000:  mov    $0x1,%eax
 *   0x00100005:  jmp    100010
 *   (an empty line)
 * </pre>
 */
public final class GuestLogger implements GuestLog, CpuLog, AutoCloseable {
    private final int items;
    private final PrintStream out;
    private final boolean ownsOutput;

    /**
     * @param items      {@link LogItems} bits
     * @param out        where lines go (buffered here)
     * @param ownsOutput close {@code out} at the end (a -D file), else only flush it (stderr)
     */
    public GuestLogger(int items, OutputStream out, boolean ownsOutput) {
        this.items = items;
        this.out = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
        this.ownsOutput = ownsOutput;
    }

    public boolean on(int item) { return (items & item) != 0; }

    /** Puts this log on the event sites of the enabled items. */
    public void attach(Cpu cpu, IoBus io, MmioBus mmio, Mmu mmu) {
        if (on(LogItems.INT)) cpu.intLog = this;
        if (on(LogItems.IN_ASM)) cpu.asmLog = this;
        if (on(LogItems.PCALL)) cpu.pcallLog = this;
        if (on(LogItems.MMU)) mmu.setLog(this);
        if (on(LogItems.GUEST_ERRORS)) {
            io.logUnassigned(this);
            mmio.log = this;
        }
        if (on(LogItems.EXEC | LogItems.CPU)) {
            DebugControl d = cpu.debug != null ? cpu.debug : new DebugControl(cpu);
            d.blockLog = this;
            cpu.debug = d;
        }
    }

    @Override
    public void line(String text) {
        out.println(text);
    }

    private static final String[] SOURCES = {"sw", "exc", "hw"};
    /** Events logged so far: QEMU's running count. (Not the instruction count: translated regions update it only at their exits.) */
    private long events;

    @Override
    public void event(Cpu cpu, int vector, int errorCode, int kind) {
        String e = errorCode == -1 ? "----" : String.format("%04x", errorCode & 0xFFFF);
        String tail = vector == 14 ? String.format(" CR2=%08x", cpu.cr2) : String.format(" EAX=%08x", cpu.reg[Cpu.EAX]);
        out.println(String.format("int: %d v=%02x e=%s src=%s cpl=%d IP=%04x:%08x SP=%04x:%08x%s", events++, vector, e,
                SOURCES[kind], cpu.cpl, cpu.segSel[Cpu.CS] & 0xFFFF, cpu.eip, cpu.segSel[Cpu.SS] & 0xFFFF, cpu.reg[Cpu.ESP], tail));
    }

    @Override
    public void farTransfer(Cpu cpu, String what, int selector, int offset, boolean op32) {
        out.println(String.format("pcall: %s %04x:%08x from %04x:%08x cpl=%d %s", what, selector & 0xFFFF, offset,
                cpu.segSel[Cpu.CS] & 0xFFFF, cpu.eip, cpu.cpl, op32 ? "o32" : "o16"));
    }

    @Override
    public void blockEntered(Cpu cpu) {
        if (on(LogItems.EXEC)) {
            out.println(String.format("exec: icount=%d CS:EIP=%04x:%08x", cpu.icount, cpu.segSel[Cpu.CS] & 0xFFFF, cpu.eip));
        }
        if (on(LogItems.CPU)) {
            out.println("cpu: icount=" + cpu.icount);
            out.println(RegisterDump.of(cpu));
        }
    }

    /** An interpreter block being printed: the EIP its next instruction would have (in_asm). */
    private int asmNext;
    private boolean asmOpen;

    @Override
    public void decoded(Cpu cpu, int eip, Insn in) {
        if (!asmOpen || eip != asmNext) {
            closeAsm();
            out.println("----------------");
            out.println("IN: ");
            asmOpen = true;
        }
        asmLine(cpu, eip, in);
        asmNext = eip + in.len;
        if (OpInfo.endsBlock(in.op)) closeAsm();
    }

    @Override
    public void regionScanned(Cpu cpu, int[] eips, List<Insn> insns, int count) {
        closeAsm();
        out.println("----------------");
        out.println("IN: [jit region]");
        for (int i = 0; i < count; i++) asmLine(cpu, eips[i], insns.get(i));
        out.println();
    }

    private void asmLine(Cpu cpu, int eip, Insn in) {
        int lin = cpu.segBase[Cpu.CS] + eip;
        out.println(String.format("0x%08x:  %s", lin, Disassembler.format(in, lin)));
    }

    private void closeAsm() {
        if (asmOpen) out.println();
        asmOpen = false;
    }

    /** {@code -d cpu_reset}: {@code what} happened; the registers as they are now. */
    public void cpuReset(Cpu cpu, String what) {
        if (!on(LogItems.CPU_RESET)) return;
        out.println("cpu_reset: " + what);
        out.println(RegisterDump.of(cpu));
    }

    /** {@code -d unimp}: the guest reached a feature Flatland does not implement. */
    public void unimplemented(Cpu cpu, String message) {
        if (on(LogItems.UNIMP)) out.println("unimp: " + message + " (icount=" + cpu.icount + ")");
    }

    public void flush() {
        closeAsm();
        out.flush();
    }

    @Override
    public void close() {
        closeAsm();
        if (ownsOutput) out.close(); else out.flush();
    }
}
