package io.flatland.mmu;

/**
 * Linear-address access for the CPU: paging control (CR0.PG/WP, CR3, CR4.PSE/PGE), the
 * software TLB and its slow paths. The CPU's fast path reads the TLB arrays itself and
 * calls the {@code *Slow} methods here on a miss.
 *
 * <p>All accesses take a {@code user} flag: true for accesses made at CPL 3, false for
 * supervisor accesses, including the implicit ones (descriptor tables, TSS) at any CPL.
 * Whether SMAP keeps the supervisor data accesses off user pages is state the CPU sets
 * ({@link #setSmap}); instruction fetches have their own slow path ({@link #fetch8Slow}).
 */
public final class Mmu {
    public static final int CR0_PE = 1, CR0_WP = 1 << 16, CR0_PG = 1 << 31;
    public static final int CR4_PSE = 1 << 4, CR4_PGE = 1 << 7, CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21;

    public final PhysicalMemory ram;
    public final Tlb tlb = new Tlb();
    public final GuestFault fault = new GuestFault();
    public final PageWalker walker;
    public final CodeWatch codeWatch;
    /** Debugger watchpoints: their pages stay out of the TLB and the slow paths report accesses. */
    public final AccessWatch accessWatch = new AccessWatch();

    private int cr0 = 0x60000010;  // reset value: CD, NW, ET
    private int cr3;
    private int cr4;
    private boolean paging;
    /** Supervisor data accesses fault on user pages (see {@link #setSmap}). */
    private boolean smap;
    /**
     * ANDed into every physical address the CPU produces (page-walk reads included): all ones
     * while the A20 gate is enabled, bit 20 clear while it is disabled (8086 wrap-around).
     */
    private int a20Mask = -1;

    public long cr3Loads;
    /** {@code -d mmu}: CR3 loads, TLB flushes, INVLPG (null: off). The walker's page faults: {@link PageWalker#log}. */
    private GuestLog log;

    /** Enables (non-null) or disables {@code -d mmu} logging here and in the walker. */
    public void setLog(GuestLog log) {
        this.log = log;
        walker.log = log;
    }

    public Mmu(PhysicalMemory ram) {
        this.ram = ram;
        this.walker = new PageWalker(ram, fault);
        this.codeWatch = new CodeWatch(ram);
        ram.mmio().trapFault = fault;
    }

    public int cr0() { return cr0; }
    public int cr3() { return cr3; }
    public int cr4() { return cr4; }
    public boolean pagingEnabled() { return paging; }

    public void setCr0(int value) {
        int changed = cr0 ^ value;
        cr0 = value;
        paging = (value & CR0_PG) != 0 && (value & CR0_PE) != 0;
        if ((changed & (CR0_PG | CR0_WP | CR0_PE)) != 0) flushAll(true, "CR0");
    }

    public void setCr3(int value) {
        cr3 = value;
        cr3Loads++;
        if (log != null) log.line(String.format("mmu: CR3=%08x (load %d)", value, cr3Loads));
        flushAll(false, "CR3");
    }

    public void setCr4(int value) {
        int changed = cr4 ^ value;
        cr4 = value;
        // SMAP and SMEP need no flush for the TLB's sake (they have their own views), but the
        // flush count tells the engines to look up their current code page again.
        if ((changed & (CR4_PSE | CR4_PGE | CR4_SMEP | CR4_SMAP)) != 0) flushAll(true, "CR4");
    }

    /**
     * Whether supervisor data accesses ({@code user} false) may not touch user pages: CR4.SMAP
     * set and EFLAGS.AC clear, or CPL 3 (then only the implicit accesses are supervisor ones,
     * and AC does not lift SMAP for them). The CPU sets it on every change of those, together
     * with the TLB views it reads through ({@link Tlb#smapRead}).
     */
    public void setSmap(boolean on) { smap = on; }

    public boolean smap() { return smap; }

    public boolean a20() { return a20Mask == -1; }

    /** The mask ANDed into physical addresses (see {@link #setA20}). */
    int a20Mask() { return a20Mask; }

    /**
     * The A20 gate (port 0x92 bit 1, the 8042's output port). A change drops every TLB entry,
     * global ones too: they map linear pages to frames computed under the other mask.
     */
    public void setA20(boolean enabled) {
        int mask = enabled ? -1 : ~(1 << 20);
        if (mask == a20Mask) return;
        a20Mask = mask;
        flushAll(true, "A20");
    }

    private void flushAll(boolean global, String why) {
        tlb.flushAll(global);
        if (log != null) log.line("mmu: TLB flush " + (global ? "all" : "non-global") + " (" + why + ")");
    }

    public void invlpg(int lin) {
        if (log != null) log.line(String.format("mmu: INVLPG %08x", lin));
        tlb.invalidatePage(lin);
    }

    /**
     * Translates a linear address, filling the TLB on success. Throws the #PF fault
     * otherwise. With paging off the translation is the identity.
     */
    public int translate(int lin, boolean write, boolean user) {
        return translate(lin, write, user, false);
    }

    private int translate(int lin, boolean write, boolean user, boolean fetch) {
        tlb.misses++;
        int pa;
        int views;
        boolean global = false, large = false;
        if (paging) {
            pa = walker.walk(lin, cr3, cr0, cr4, write, user, fetch, smap && !user && !fetch, a20Mask) & a20Mask;
            views = walker.lastViews;
            global = walker.lastGlobal;
            large = walker.lastLarge;
        } else {
            pa = lin & a20Mask;
            views = 0x3F;
        }
        int physPage = pa & 0xFFFFF000;
        if (ram.isRamPage(physPage) && (accessWatch.count() == 0 || !accessWatch.coversPage(lin))) {
            if (codeWatch.isWatched(physPage)) views &= ~(2 | 8 | 32);   // no write view of any kind
            tlb.fill(lin & 0xFFFFF000, physPage, ram.hostAddress(physPage), views, global, large);
        }
        return pa;
    }

    /**
     * Adds a debugger watchpoint ({@link AccessWatch}) and drops the TLB entries of its pages,
     * so that accesses to them reach the slow paths from now on.
     */
    public boolean addWatchpoint(int lin, int len, int kind) {
        if (!accessWatch.add(lin, len, kind)) return false;
        for (long page = lin & 0xFFFFF000L; page <= ((lin + len - 1L) & 0xFFFFF000L); page += 0x1000) {
            tlb.invalidatePage((int) page);
        }
        return true;
    }

    /** Marks the RAM page behind {@code physPage} as holding code (see {@link CodeWatch}). */
    public void watchCode(int physPage) {
        if (ram.isRamPage(physPage) && codeWatch.watch(physPage)) tlb.revokeWrites(physPage);
    }

    // ---- slow paths: TLB miss, page crossing, MMIO, watched code pages, debugger watchpoints ----

    /** An instruction byte: like {@link #read8Slow} but for SMAP (no) and SMEP (yes). */
    public int fetch8Slow(int lin, boolean user) {
        int pa = translate(lin, false, user, true);
        if (accessWatch.armed) accessWatch.check(lin, 1, false);
        return ram.read8(pa);
    }

    public int read8Slow(int lin, boolean user) {
        int pa = translate(lin, false, user);
        if (accessWatch.armed) accessWatch.check(lin, 1, false);
        return ram.read8(pa);
    }

    public int read16Slow(int lin, boolean user) {
        if ((lin & 0xFFF) <= 0xFFE) {
            int pa = translate(lin, false, user);
            if (accessWatch.armed) accessWatch.check(lin, 2, false);
            return ram.read16(pa);
        }
        int lo = translate(lin, false, user);
        int hi = translate(lin + 1, false, user);
        if (accessWatch.armed) accessWatch.check(lin, 2, false);
        return ram.read8(lo) | ram.read8(hi) << 8;
    }

    public int read32Slow(int lin, boolean user) {
        if ((lin & 0xFFF) <= 0xFFC) {
            int pa = translate(lin, false, user);
            if (accessWatch.armed) accessWatch.check(lin, 4, false);
            return ram.read32(pa);
        }
        int v = 0;
        // Translate both pages before reading so a fault on the second leaves no trace.
        int p0 = translate(lin, false, user);
        int p1 = translate((lin | 0xFFF) + 1, false, user);
        if (accessWatch.armed) accessWatch.check(lin, 4, false);
        for (int k = 0; k < 4; k++) {
            int a = lin + k;
            int pa = ((a & 0xFFFFF000) == (lin & 0xFFFFF000)) ? p0 + k : p1 + (a & 0xFFF);
            v |= ram.read8(pa) << (8 * k);
        }
        return v;
    }

    public void write8Slow(int lin, int value, boolean user) {
        int pa = translate(lin, true, user);
        if (accessWatch.armed) accessWatch.check(lin, 1, true);
        ram.write8(pa, value);
        codeWatch.written(pa & 0xFFFFF000);
    }

    public void write16Slow(int lin, int value, boolean user) {
        writeSlow(lin, value, 2, user);
    }

    public void write32Slow(int lin, int value, boolean user) {
        writeSlow(lin, value, 4, user);
    }

    private void writeSlow(int lin, int value, int size, boolean user) {
        if ((lin & 0xFFF) <= 0x1000 - size) {
            int pa = translate(lin, true, user);
            if (accessWatch.armed) accessWatch.check(lin, size, true);
            if (size == 2) ram.write16(pa, value); else ram.write32(pa, value);
            codeWatch.written(pa & 0xFFFFF000);
            return;
        }
        // Page-crossing write: both translations must succeed before any byte is stored.
        int p0 = translate(lin, true, user);
        int p1 = translate((lin | 0xFFF) + 1, true, user);
        if (accessWatch.armed) accessWatch.check(lin, size, true);
        for (int k = 0; k < size; k++) {
            int a = lin + k;
            int pa = ((a & 0xFFFFF000) == (lin & 0xFFFFF000)) ? p0 + k : p1 + (a & 0xFFF);
            ram.write8(pa, value >>> (8 * k));
        }
        codeWatch.written(p0 & 0xFFFFF000);
        codeWatch.written(p1 & 0xFFFFF000);
    }

    /** Probes write access without writing (used before multi-part stores such as PUSHA). */
    public void checkWritable(int lin, int size, boolean user) {
        translate(lin, true, user);
        if (((lin + size - 1) & 0xFFFFF000) != (lin & 0xFFFFF000)) translate(lin + size - 1, true, user);
    }
}
