package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;

/**
 * A bare CPU with 16 MiB of RAM in flat 32-bit protected mode, set up by hand (no
 * SystemOps), and a platform with no interrupts. Code is placed at {@link #CODE}.
 */
final class TestMachine implements Platform, AutoCloseable {
    static final int CODE = 0x1000;
    static final int STACK_TOP = 0x80000;
    static final int PAGE_DIR = 0x200000;

    final PhysicalMemory ram = new PhysicalMemory(16 << 20, new MmioBus());
    final Mmu mmu = new Mmu(ram);
    final IoBus io = new IoBus();
    final Cpu cpu = new Cpu(mmu, io);
    final Interpreter interp;

    TestMachine() {
        cpu.platform = this;
        flat32();
        interp = new Interpreter(cpu);
    }

    void flat32() {
        mmu.setCr0(mmu.cr0() | Mmu.CR0_PE);
        for (int s = 0; s < 6; s++) {
            cpu.segSel[s] = s == Cpu.CS ? 0x08 : 0x10;
            cpu.segBase[s] = 0;
            cpu.segLimit[s] = 0xFFFFFFFF;
            cpu.segFlatRead[s] = true;
            cpu.segFlatWrite[s] = s != Cpu.CS;
        }
        cpu.code32 = true;
        cpu.stack32 = true;
        cpu.setCpl(0);
        cpu.eflags = 2;
        cpu.reg[Cpu.ESP] = STACK_TOP;
        cpu.eip = CODE;
    }

    /** Identity-maps the first 16 MiB with 4 KiB pages (present, writable, user). */
    void enablePaging() {
        for (int t = 0; t < 4; t++) {
            int table = PAGE_DIR + 0x1000 * (t + 1);
            ram.write32(PAGE_DIR + 4 * t, table | 7);
            for (int i = 0; i < 1024; i++) ram.write32(table + 4 * i, ((t << 22) + (i << 12)) | 7);
        }
        mmu.setCr3(PAGE_DIR);
        mmu.setCr0(mmu.cr0() | Mmu.CR0_PG);
    }

    /** Changes the flags of the PTE of an identity-mapped page (paging must be on). */
    void setPte(int page, int flags) {
        int t = page >>> 22;
        int table = PAGE_DIR + 0x1000 * (t + 1);
        ram.write32(table + 4 * ((page >>> 12) & 0x3FF), (page & 0xFFFFF000) | flags);
        mmu.invlpg(page);
    }

    /** Writes bytes straight to RAM, as a loader does, and drops decoded code (the CPU did not see the store). */
    void load(int addr, int... bytes) {
        for (int i = 0; i < bytes.length; i++) ram.write8(addr + i, bytes[i]);
        if (interp != null) interp.decodeCache().clear();
    }

    /** Loads code followed by HLT at {@link #CODE} and runs it until the HLT. */
    ExitReason run(int... code) {
        load(CODE, code);
        ram.write8(CODE + code.length, 0xF4);
        cpu.eip = CODE;
        cpu.halted = false;
        return interp.run(cpu, 10_000_000);
    }

    /** Executes one instruction; returns the fault it raised (EIP restored), or null. */
    GuestFault step() {
        int start = cpu.eip;
        try {
            Insn in = interp.fetch(start);
            Exec.execute(cpu, in);
            cpu.icount++;
            return null;
        } catch (GuestFault f) {
            cpu.eip = start;
            return f;
        }
    }

    /** Loads code at {@link #CODE} and executes exactly one instruction. */
    GuestFault step1(int... code) {
        load(CODE, code);
        cpu.eip = CODE;
        return step();
    }

    int flags() { return Flags.get(cpu); }

    @Override public boolean interruptPending() { return false; }
    @Override public int acknowledgeInterrupt() { return 0; }
    @Override public void service(Cpu c) { c.nextEventAt = Long.MAX_VALUE; }
    @Override public boolean idle(Cpu c) { return false; }

    @Override
    public void close() { ram.close(); }
}
