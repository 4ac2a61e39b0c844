package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.cpu.Interpreter;
import io.flatland.cpu.Platform;
import io.flatland.cpu.SystemOps;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;

/**
 * A bare protected-mode PC for lockstep tests: 4 MiB of RAM, a flat GDT, an IDT whose
 * exception gates lead to {@code cli; hlt} (or handlers a test installs), and a
 * deterministic timer that raises vector 0x20 every {@code period} instructions.
 */
final class LockstepMachine implements Platform, AutoCloseable {
    static final int GDT = 0x1000, IDT = 0x2000, HANDLERS = 0x3000, IRQ_HANDLER = 0x3800, COUNTERS = 0x5000;
    static final int CODE = 0x10000, SCRATCH = 0x40000, STACK_TOP = 0x80000, PAGE_DIR = 0x100000;
    /** {@link #richSetup}: the fault handlers that skip the faulting instruction, and a page left not present. */
    static final int SKIP_HANDLER = 0x3400, SKIP_HANDLER_EC = 0x3480, BAD_PAGE = 0x3FF000;
    /** {@link #richSetup}: selectors of the data segments based inside the scratch area (FS and GS). */
    static final int FS_SEL = 0x18, GS_SEL = 0x20;

    final PhysicalMemory ram = new PhysicalMemory(4 << 20, new MmioBus());
    final Mmu mmu = new Mmu(ram);
    final IoBus io = new IoBus();
    final Cpu cpu = new Cpu(mmu, io);
    final Interpreter interp;
    final JitEngine jit;

    /**
     * A deterministic stand-in for the background translator thread: a translation is built
     * when the next one is requested, so each lands one request late and the code it was read
     * from may have been run (interpreted) or rewritten in between.
     */
    static final class OneLate implements java.util.concurrent.Executor {
        private Runnable held;

        @Override
        public void execute(Runnable job) {
            Runnable earlier = held;
            held = job;
            if (earlier != null) earlier.run();
        }
    }

    long period;           // 0: no timer
    boolean irq;
    long serviced;

    LockstepMachine(boolean useJit, boolean handWritten, int hot) {
        this(useJit, handWritten, hot, JitEngine.GROW_RUNS, null);
    }

    /**
     * {@code growRuns}: region runs profiled before a region may grow (small values make tests
     * grow regions early); {@code background}: builds the JIT's translations, null in line (see {@link OneLate}).
     */
    LockstepMachine(boolean useJit, boolean handWritten, int hot, int growRuns, java.util.concurrent.Executor background) {
        this(useJit, handWritten, hot, growRuns, background, null);
    }

    /** As above, the JIT sharing translations through {@code shared} (null: none). */
    LockstepMachine(boolean useJit, boolean handWritten, int hot, int growRuns, java.util.concurrent.Executor background,
                    SharedRegions shared) {
        cpu.platform = this;
        SystemOps.reset(cpu);
        // GDT: null, flat code 0x08, flat data 0x10.
        ram.write32(GDT + 8, 0x0000FFFF);
        ram.write32(GDT + 12, 0x00CF9A00);
        ram.write32(GDT + 16, 0x0000FFFF);
        ram.write32(GDT + 20, 0x00CF9200);
        SystemOps.enterFlatProtectedMode(cpu);
        cpu.gdtBase = GDT;
        cpu.gdtLimit = 0x17;
        cpu.idtBase = IDT;
        cpu.idtLimit = 0x7FF;
        for (int v = 0; v < 256; v++) gate(v, v == 0x20 ? IRQ_HANDLER : HANDLERS + 16 * (v & 31));
        for (int v = 0; v < 32; v++) { ram.write8(HANDLERS + 16 * v, 0xFA); ram.write8(HANDLERS + 16 * v + 1, 0xF4); }
        // IRQ handler: inc dword [COUNTERS+4]; iret
        int[] h = {0xFF, 0x05, COUNTERS + 4 & 0xFF, (COUNTERS + 4) >>> 8 & 0xFF, 0, 0, 0xCF};
        for (int i = 0; i < h.length; i++) ram.write8(IRQ_HANDLER + i, h[i]);
        cpu.reg[Cpu.ESP] = STACK_TOP;
        cpu.eip = CODE;
        if (useJit) {
            jit = new JitEngine(cpu, handWritten, hot, 0, growRuns, background, shared);
            interp = jit.interpreter();
        } else {
            jit = null;
            interp = new Interpreter(cpu);
        }
    }

    void gate(int vector, int offset) {
        ram.write32(IDT + 8 * vector, (offset & 0xFFFF) | 0x08 << 16);
        ram.write32(IDT + 8 * vector + 4, (offset & 0xFFFF0000) | 0x8E00);
    }

    /** The base {@link #richSetup} gives segment register {@code seg} (FS and GS; the others are flat). */
    static int segmentBase(int seg) {
        return seg == Cpu.FS ? SCRATCH : seg == Cpu.GS ? SCRATCH + 0x1000 : 0;
    }

    /**
     * Prepares the machine for {@link RandomProgram}'s rich programs: FS and GS based inside the
     * scratch area; paging on with {@link #BAD_PAGE} not present; and handlers for the faults
     * the programs raise on purpose (#DE, #BR, #UD, #NM, #MF; #TS, #NP, #SS, #GP, #PF, #AC with
     * their error code) that count the fault in COUNTERS+12 and return past the faulting
     * instruction, whose length the program put in the byte before it ("jmp $+3; db length").
     */
    void richSetup() {
        for (int i = 0; i < 2; i++) {
            int base = segmentBase(i == 0 ? Cpu.FS : Cpu.GS);
            int sel = i == 0 ? FS_SEL : GS_SEL;
            ram.write32(GDT + sel, base << 16 | 0xFFFF);
            ram.write32(GDT + sel + 4, (base & 0xFF000000) | 0x00CF9200 | (base >>> 16) & 0xFF);
        }
        cpu.gdtLimit = 0x27;
        SystemOps.loadSegment(cpu, Cpu.FS, FS_SEL);
        SystemOps.loadSegment(cpu, Cpu.GS, GS_SEL);
        enablePaging();
        ram.write32(pte(BAD_PAGE), BAD_PAGE | 6);   // not present
        skipHandler(SKIP_HANDLER, 0);
        skipHandler(SKIP_HANDLER_EC, 4);
        for (int v : new int[] {0, 5, 6, 7, 16}) gate(v, SKIP_HANDLER);
        for (int v : new int[] {10, 11, 12, 13, 14, 17}) gate(v, SKIP_HANDLER_EC);
    }

    /**
     * push eax; push ebx; mov eax, [esp+8+ec]; movzx ebx, byte [eax-1]; add [esp+8+ec], ebx;
     * inc dword [COUNTERS+12]; pop ebx; pop eax; (add esp, 4 past the error code); iret.
     * IRET restores the flags the handler changed.
     */
    private void skipHandler(int at, int ec) {
        int c = COUNTERS + 12;
        int[] h = {0x50, 0x53, 0x8B, 0x44, 0x24, 8 + ec, 0x0F, 0xB6, 0x58, 0xFF, 0x01, 0x5C, 0x24, 8 + ec,
            0xFF, 0x05, c & 0xFF, c >>> 8 & 0xFF, c >>> 16 & 0xFF, c >>> 24, 0x5B, 0x58};
        int a = at;
        for (int b : h) ram.write8(a++, b);
        if (ec != 0) { ram.write8(a++, 0x83); ram.write8(a++, 0xC4); ram.write8(a++, ec); }
        ram.write8(a, 0xCF);
    }

    /** Identity-maps the first 4 MiB with 4 KiB pages (page table right after the directory). */
    void enablePaging() {
        int table = PAGE_DIR + 0x1000;
        ram.write32(PAGE_DIR, table | 7);
        for (int i = 0; i < 1024; i++) ram.write32(table + 4 * i, (i << 12) | 7);
        mmu.setCr3(PAGE_DIR);
        mmu.setCr0(mmu.cr0() | Mmu.CR0_PG);
    }

    static int pte(int page) { return PAGE_DIR + 0x1000 + 4 * (page >>> 12); }

    void load(int addr, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) ram.write8(addr + i, bytes[i]);
    }

    io.flatland.cpu.ExitReason run(long n) {
        return jit != null ? jit.run(cpu, n) : interp.run(cpu, n);
    }

    void setTimer(long period) {
        this.period = period;
        cpu.nextEventAt = period;
    }

    @Override public boolean interruptPending() { return irq; }
    @Override public int acknowledgeInterrupt() { irq = false; return 0x20; }
    @Override public void service(Cpu c) {
        serviced++;
        irq = true;
        c.nextEventAt = period == 0 ? Long.MAX_VALUE : c.icount + period;
    }
    @Override public boolean idle(Cpu c) { return false; }

    /** Architectural state that must match, as text (so a mismatch shows what differs). */
    String state() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 8; r++) sb.append(Integer.toHexString(cpu.reg[r])).append(' ');
        sb.append("eip=").append(Integer.toHexString(cpu.eip));
        sb.append(" fl=").append(Integer.toHexString(Flags.get(cpu)));
        sb.append(" ic=").append(cpu.icount);
        sb.append(" cr2=").append(Integer.toHexString(cpu.cr2));
        sb.append(" cr0=").append(Integer.toHexString(mmu.cr0())).append(" cr3=").append(Integer.toHexString(mmu.cr3()));
        sb.append(" cpl=").append(cpu.cpl).append(" halt=").append(cpu.halted).append(" sh=").append(cpu.interruptShadow);
        for (int s = 0; s < 6; s++) {
            sb.append(" s").append(s).append('=').append(Integer.toHexString(cpu.segSel[s])).append('/')
                    .append(Integer.toHexString(cpu.segBase[s])).append('/').append(Integer.toHexString(cpu.segLimit[s]))
                    .append('/').append(Integer.toHexString(cpu.segAttr[s]));
        }
        var f = cpu.fpu;
        sb.append(" fpu=").append(Integer.toHexString(f.statusWord())).append('/').append(Integer.toHexString(f.fpuc))
                .append('/').append(Integer.toHexString(f.emptyMask)).append(" ip=").append(Integer.toHexString(f.fpip))
                .append(':').append(Integer.toHexString(f.fpcs)).append(" dp=").append(Integer.toHexString(f.fpdp))
                .append(':').append(Integer.toHexString(f.fpds));
        for (int i = 0; i < 8; i++) {
            if ((f.emptyMask & 1 << i) == 0) sb.append(" st").append(i).append('=').append(Integer.toHexString(f.se[i]))
                    .append(':').append(Long.toHexString(f.sig[i]));
        }
        sb.append(" irq=").append(irq).append(" svc=").append(serviced).append(" next=").append(cpu.nextEventAt);
        return sb.toString();
    }

    /** Hash of a memory range (the parts tests write: counters, code, scratch, stack). */
    long memHash(int from, int to) {
        long h = 1125899906842597L;
        for (int a = from; a < to; a += 4) h = 31 * h + ram.read32(a);
        return h;
    }

    long watchedMemory() {
        return memHash(COUNTERS, COUNTERS + 0x100) * 7 + memHash(CODE, CODE + 0x4000) * 13
                + memHash(SCRATCH, SCRATCH + 0x2000) * 17 + memHash(STACK_TOP - 0x1000, STACK_TOP + 0x100);
    }

    @Override public void close() { ram.close(); }
}
