package io.flatland.mmu;

/**
 * Two-level i386 page walk (Intel SDM Vol. 3A §4.3): 4 KiB pages through a page table,
 * 4 MiB pages when CR4.PSE and PDE.PS are set. Checks U/S and R/W with CR0.WP and
 * SMAP and SMEP (§4.6.1) as QEMU applies them, and
 * writes the Accessed and Dirty bits back the way the reference machine does:
 * the PDE's A bit as soon as the PDE is found present (before the PTE is examined, so
 * it is set even when the walk then faults), the PTE's (or large PDE's) A and D bits
 * only when the access succeeds.
 *
 * <p>Results are returned without allocation: {@link #walk} returns the physical
 * address, or throws the machine's {@link GuestFault} set to #PF with the SDM's error code.
 */
public final class PageWalker {
    public static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    /** Page-fault error code bit: the access was an instruction fetch. */
    public static final int ERR_FETCH = 0x10;
    private static final int CR4_SMEP = 1 << 20;

    private final PhysicalMemory ram;
    private final GuestFault fault;

    // Outputs of the last successful walk, read by Mmu to fill the TLB.
    int lastViews;
    boolean lastGlobal;
    boolean lastLarge;

    public long walks;
    public long pageFaults;
    /** {@code -d mmu} (null: off): each page fault the walk raises. */
    GuestLog log;

    public PageWalker(PhysicalMemory ram, GuestFault fault) {
        this.ram = ram;
        this.fault = fault;
    }

    /**
     * Translates {@code lin} for an access with paging enabled.
     *
     * @param write a write access
     * @param user  the access is made with user privilege (CPL 3, not an implicit
     *              supervisor access such as a descriptor-table read)
     * @param a20   the A20 mask applied to the addresses of the PDE and PTE ({@link Mmu#setA20})
     */
    public int walk(int lin, int cr3, int cr0, int cr4, boolean write, boolean user, int a20) {
        return walk(lin, cr3, cr0, cr4, write, user, false, false, a20);
    }

    /**
     * {@link #walk(int, int, int, int, boolean, boolean, int)} for any kind of access.
     *
     * @param fetch an instruction fetch (never a write): SMEP applies to it when CR4.SMEP is
     *              set and {@code user} is not, and with CR4.SMEP its faults report I/D (as QEMU)
     * @param smap  a supervisor data access that SMAP forbids on user pages (the caller knows
     *              CR4.SMAP, EFLAGS.AC and the CPL)
     */
    public int walk(int lin, int cr3, int cr0, int cr4, boolean write, boolean user, boolean fetch, boolean smap,
                    int a20) {
        walks++;
        int pdeAddr = ((cr3 & 0xFFFFF000) | ((lin >>> 22) << 2)) & a20;
        int pde = ram.read32(pdeAddr);
        boolean smep = fetch && (cr4 & CR4_SMEP) != 0;
        int errBase = (write ? 2 : 0) | (user ? 4 : 0) | (smep ? ERR_FETCH : 0);
        if ((pde & P) == 0) throw pageFault(lin, errBase);
        boolean wp = (cr0 & 0x10000) != 0;
        // Supervisor accesses SMAP or SMEP keep off user pages.
        boolean noUser = !user && (smap || smep);
        if ((pde & PS) != 0 && (cr4 & 0x10) != 0) {
            checkRights(lin, pde, write, user, wp, errBase);
            if (noUser && (pde & US) != 0) throw pageFault(lin, errBase | 1);
            int upd = pde | A | (write ? D : 0);
            if (upd != pde) ram.write32(pdeAddr, upd);
            computeViews(pde, pde | (write ? D : 0), wp, cr4);
            lastLarge = true;
            return (pde & 0xFFC00000) | (lin & 0x003FFFFF);
        }
        if ((pde & A) == 0) {
            pde |= A;
            ram.write32(pdeAddr, pde);
        }
        int pteAddr = ((pde & 0xFFFFF000) | (((lin >>> 12) & 0x3FF) << 2)) & a20;
        int pte = ram.read32(pteAddr);
        if ((pte & P) == 0) throw pageFault(lin, errBase);
        int combined = pde & pte | ~(RW | US) & pte; // R/W and U/S are the AND of both levels
        checkRights(lin, combined, write, user, wp, errBase);
        if (noUser && (combined & US) != 0) throw pageFault(lin, errBase | 1);
        int upd = pte | A | (write ? D : 0);
        if (upd != pte) ram.write32(pteAddr, upd);
        computeViews(combined, upd, wp, cr4);
        lastLarge = false;
        return (pte & 0xFFFFF000) | (lin & 0xFFF);
    }

    private void checkRights(int lin, int entry, boolean write, boolean user, boolean wp, int errBase) {
        boolean ok;
        if (user) ok = (entry & US) != 0 && (!write || (entry & RW) != 0);
        else ok = !write || !wp || (entry & RW) != 0;
        if (!ok) throw pageFault(lin, errBase | 1);
    }

    /** Which TLB views this translation may serve without another walk. */
    private void computeViews(int rights, int leaf, boolean wp, int cr4) {
        boolean writable = (rights & RW) != 0;
        boolean userOk = (rights & US) != 0;
        boolean dirty = (leaf & D) != 0;
        int v = 1;                                              // supervisor read
        if (dirty && (writable || !wp)) v |= 2;                  // supervisor write
        if (userOk) v |= 4;                                      // user read
        if (userOk && writable && dirty) v |= 8;                 // user write
        if (!userOk) v |= (v & 3) << 4;                          // the same for the SMAP views
        lastViews = v;
        lastGlobal = (leaf & G) != 0 && (cr4 & 0x80) != 0;
    }

    private GuestFault pageFault(int lin, int errorCode) {
        pageFaults++;
        if (log != null) {
            log.line(String.format("mmu: #PF lin=%08x e=%04x (%s %s %s)", lin, errorCode,
                    (errorCode & 1) != 0 ? "protection" : "not-present", (errorCode & 2) != 0 ? "write" : "read",
                    (errorCode & 4) != 0 ? "user" : "supervisor"));
        }
        return fault.set(14, errorCode, lin);
    }
}
