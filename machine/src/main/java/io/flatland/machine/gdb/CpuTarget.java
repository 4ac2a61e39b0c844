package io.flatland.machine.gdb;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.DebugControl;
import io.flatland.mmu.AccessWatch;
import io.flatland.mmu.DebugAccess;

/**
 * The {@link GdbTarget} of a machine's CPU: registers through {@link I386Registers}, linear
 * memory through the guest's paging ({@link DebugAccess}: no fault, no A/D bits), breakpoints
 * and watchpoints in a {@link DebugControl} that sits on the CPU only while something is set.
 * Used by the connection's thread while the CPU's thread is parked in {@link GdbServer#stopped}.
 */
final class CpuTarget implements GdbTarget {
    private final Cpu cpu;
    private final DebugControl control;
    private final DebugAccess memory;
    private final GdbServer server;

    CpuTarget(Cpu cpu, GdbServer server) {
        this.cpu = cpu;
        this.server = server;
        // -d exec/cpu may have put a control on the CPU already: share it (its block log stays on).
        this.control = cpu.debug != null ? cpu.debug : new DebugControl(cpu);
        this.memory = new DebugAccess(cpu.mmu);
    }

    @Override public int registerCount() { return I386Registers.COUNT; }

    @Override public byte[] readRegister(int n) { return I386Registers.read(cpu, n); }

    @Override public boolean writeRegister(int n, byte[] value) { return I386Registers.write(cpu, n, value); }

    @Override public int readMemory(int address, byte[] into, int len) { return memory.read(address, into, len); }

    @Override public boolean writeMemory(int address, byte[] from, int len) { return memory.write(address, from, len); }

    @Override
    public boolean insertPoint(int type, int address, int length) {
        boolean ok = type <= HARDWARE_BREAKPOINT ? control.addBreakpoint(address)
                : cpu.mmu.addWatchpoint(address, length, watchKind(type));
        install();
        return ok;
    }

    @Override
    public boolean removePoint(int type, int address, int length) {
        boolean ok = type <= HARDWARE_BREAKPOINT ? control.removeBreakpoint(address)
                : cpu.mmu.accessWatch.remove(address, length, watchKind(type));
        install();
        return ok;
    }

    private static int watchKind(int type) {
        return type == WRITE_WATCHPOINT ? AccessWatch.WRITE : type == READ_WATCHPOINT ? AccessWatch.READ : AccessWatch.ACCESS;
    }

    /** The control goes on the CPU only while something is set: otherwise the JIT runs at full speed. */
    private void install() {
        cpu.debug = control.idle() ? null : control;
    }

    @Override public void setPc(int address) { cpu.eip = address; }

    @Override
    public void resume(boolean step) {
        control.stepping = step;
        install();
        server.resume(GdbServer.Resume.CONTINUE, true);
    }

    @Override public String stopReply() { return server.stopReply(); }

    @Override
    public void detach() {
        clear();
        server.resume(GdbServer.Resume.CONTINUE, false);
    }

    /** Every break- and watchpoint off, no step: the guest runs as without a debugger. */
    void clear() {
        while (control.removeAnyBreakpoint()) { }
        cpu.mmu.accessWatch.clear();
        control.stepping = false;
        install();
    }

    @Override public void kill() { server.resume(GdbServer.Resume.KILL, false); }

    /** The stop reply for a stop of the run loop ({@link DebugControl#stop}) or a requested one ({@code signal}). */
    String stopReplyFor(int signal) {
        DebugControl d = cpu.debug;
        if (d != null && d.stop == DebugControl.Stop.WATCHPOINT) {
            String kind = d.watchKind == AccessWatch.WRITE ? "watch" : d.watchKind == AccessWatch.READ ? "rwatch" : "awatch";
            return "T05" + kind + ":" + Integer.toHexString(d.watchAddress) + ";thread:01;";
        }
        if (d != null && d.stop != DebugControl.Stop.NONE) return "T05thread:01;";
        return String.format("T%02xthread:01;", signal);
    }
}
