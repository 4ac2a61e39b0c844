package io.flatland.machine.log;

import io.flatland.cpu.Cpu;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineListener;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code --trace FILE}: a {@link MachineListener} that writes each exception, interrupt and
 * POST code as one line, in the order they happen (blocks are {@code -d exec}'s):
 * <pre>
 * exc v=0e e=0006 cpl=3 IP=001b:080486b0 CR2=efff0000
 * sw v=20 e=---- cpl=3 IP=001b:0804d4f0
 * hw v=20 e=---- cpl=0 IP=0008:f0401234
 * post 07 icount=1000154
 * </pre>
 * (IP as {@code -d int} gives it: the instruction concerned, or the next one for a hardware
 * interrupt; no instruction count on deliveries, which translated regions update only at their
 * exits.) Buffered; {@link #close} flushes.
 */
public final class TraceWriter implements MachineListener, AutoCloseable {
    private static final String[] SOURCES = {"sw", "exc", "hw"};
    private final PrintStream out;

    public TraceWriter(OutputStream out) {
        this.out = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
    }

    @Override
    public void interrupt(Machine m, int vector, int errorCode, Source source) {
        Cpu cpu = m.cpu();
        String e = errorCode == -1 ? "----" : String.format("%04x", errorCode & 0xFFFF);
        String tail = vector == 14 && source == Source.EXCEPTION ? String.format(" CR2=%08x", cpu.cr2) : "";
        out.println(String.format("%s v=%02x e=%s cpl=%d IP=%04x:%08x%s", SOURCES[source.ordinal()], vector, e, cpu.cpl,
                cpu.segSel[Cpu.CS] & 0xFFFF, cpu.eip, tail));
    }

    @Override
    public void postCode(Machine m, int code, long icount) {
        out.println(String.format("post %02x icount=%d", code, icount));
    }

    public void flush() { out.flush(); }

    @Override
    public void close() { out.close(); }
}
