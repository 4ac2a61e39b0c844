package io.flatland.mmu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.flatland.mmu.PageWalker.*;
import static org.junit.jupiter.api.Assertions.*;

/** Paging and TLB behaviour from the Intel SDM Vol. 3A §4.3, §4.6, §4.7, §4.8, §4.10. */
class MmuTest {
    static final int PD = 0x1000, PT = 0x2000;
    static final int CR0_PE_PG = Mmu.CR0_PE | Mmu.CR0_PG;

    PhysicalMemory ram;
    Mmu mmu;

    @BeforeEach
    void setUp() {
        ram = new PhysicalMemory(16L << 20, new MmioBus());
        mmu = new Mmu(ram);
        mmu.setCr3(PD);
    }

    @AfterEach
    void tearDown() { ram.close(); }

    void pde(int index, int value) { ram.write32(PD + index * 4, value); }
    void pte(int index, int value) { ram.write32(PT + index * 4, value); }
    int pdeAt(int index) { return ram.read32(PD + index * 4); }
    int pteAt(int index) { return ram.read32(PT + index * 4); }

    void enablePaging(int extraCr0) { mmu.setCr0(CR0_PE_PG | extraCr0); }

    GuestFault expectPf(Runnable r) {
        GuestFault f = assertThrows(GuestFault.class, r::run);
        assertEquals(14, f.vector);
        return f;
    }

    @Test
    void pagingOffIsIdentity() {
        ram.write32(0x5000, 0xABCD);
        assertEquals(0xABCD, mmu.read32Slow(0x5000, true));
        assertEquals(0x5000, mmu.tlb.supRead[Tlb.slot(0x5000)]);
    }

    @Test
    void fourKibPageTranslatesAndSetsAccessedThenDirty() {
        pde(1, PT | P | RW | US);
        pte(0, 0x300000 | P | RW | US);
        ram.write32(0x300010, 42);
        enablePaging(0);
        assertEquals(42, mmu.read32Slow(0x400010, true));
        assertEquals(A, pdeAt(1) & (A | D), "PDE: A set, D untouched");
        assertEquals(A, pteAt(0) & (A | D), "PTE: read sets only A");
        // The read filled the read views but no write view: D is not yet set.
        int i = Tlb.slot(0x400000);
        assertEquals(0x400000, mmu.tlb.usrRead[i]);
        assertEquals(Tlb.INVALID, mmu.tlb.usrWrite[i]);
        mmu.write32Slow(0x400014, 7, true);
        assertEquals(A | D, pteAt(0) & (A | D));
        assertEquals(7, ram.read32(0x300014));
        assertEquals(0x400000, mmu.tlb.usrWrite[i]);
    }

    @Test
    void notPresentPteFaultsWithErrorCodeAndStillMarksThePdeAccessed() {
        pde(1, PT | P | RW | US);
        pte(0, 0);
        enablePaging(0);
        GuestFault f = expectPf(() -> mmu.write32Slow(0x400ABC, 1, true));
        assertEquals(0x400ABC, f.address);
        assertEquals(2 | 4, f.errorCode, "not present, write, user");
        assertEquals(A, pdeAt(1) & A);
    }

    @Test
    void notPresentPdeFaultsWithoutSettingBits() {
        pde(1, PT | RW | US);   // P clear
        enablePaging(0);
        GuestFault f = expectPf(() -> mmu.read8Slow(0x400000, false));
        assertEquals(0, f.errorCode);
        assertEquals(0, pdeAt(1) & A);
    }

    @Test
    void userAccessToSupervisorPageIsAProtectionFault() {
        pde(1, PT | P | RW | US);
        pte(0, 0x300000 | P | RW);          // supervisor page
        enablePaging(0);
        GuestFault f = expectPf(() -> mmu.read32Slow(0x400000, true));
        assertEquals(1 | 4, f.errorCode);
        assertEquals(0, pteAt(0) & A, "no A bit on a failed access");
        assertEquals(0, mmu.read32Slow(0x400000, false), "supervisor may read it");
    }

    @Test
    void userBitIsTheAndOfBothLevels() {
        pde(1, PT | P | RW);                 // PDE supervisor
        pte(0, 0x300000 | P | RW | US);
        enablePaging(0);
        assertEquals(5, expectPf(() -> mmu.read8Slow(0x400000, true)).errorCode);
    }

    @Test
    void writeProtectGovernsSupervisorWritesToReadOnlyPages() {
        pde(1, PT | P | RW | US);
        pte(0, 0x300000 | P | US);           // read-only
        enablePaging(0);
        mmu.write32Slow(0x400000, 5, false); // WP=0: allowed
        assertEquals(5, ram.read32(0x300000));
        assertEquals(A | D, pteAt(0) & (A | D));
        enablePaging(Mmu.CR0_WP);
        GuestFault f = expectPf(() -> mmu.write32Slow(0x400000, 6, false));
        assertEquals(1 | 2, f.errorCode);
        assertEquals(7, expectPf(() -> mmu.write8Slow(0x400000, 6, true)).errorCode);
    }

    @Test
    void fourMibPagesNeedCr4Pse() {
        pde(2, 0x400000 | P | RW | US | PS);
        ram.write32(0x400000 + 0x1234, 99);
        mmu.setCr4(Mmu.CR4_PSE);
        enablePaging(0);
        assertEquals(99, mmu.read32Slow(0x800000 + 0x1234, true));
        assertEquals(A, pdeAt(2) & (A | D));
        mmu.write8Slow(0x800000 + 0x3FFFFF, 1, true);
        assertEquals(A | D, pdeAt(2) & (A | D));
    }

    @Test
    void pageCrossingWriteStoresNothingWhenTheSecondPageFaults() {
        pde(1, PT | P | RW | US);
        pte(0, 0x300000 | P | RW | US);
        pte(1, 0);
        enablePaging(0);
        GuestFault f = expectPf(() -> mmu.write32Slow(0x400FFE, 0x11223344, true));
        assertEquals(0x401000, f.address);
        assertEquals(0, ram.read16(0x300FFE));
    }

    @Test
    void cr3LoadKeepsGlobalEntriesAndInvlpgDropsThem() {
        pde(1, PT | P | RW | US);
        pte(0, 0x300000 | P | RW | US | G);
        pte(1, 0x301000 | P | RW | US);
        mmu.setCr4(Mmu.CR4_PGE);
        enablePaging(0);
        mmu.read8Slow(0x400000, false);
        mmu.read8Slow(0x401000, false);
        mmu.setCr3(PD);
        assertEquals(0x400000, mmu.tlb.supRead[Tlb.slot(0x400000)], "global survives CR3 load");
        assertEquals(Tlb.INVALID, mmu.tlb.supRead[Tlb.slot(0x401000)]);
        mmu.invlpg(0x400123);
        assertEquals(Tlb.INVALID, mmu.tlb.supRead[Tlb.slot(0x400000)]);
    }

    @Test
    void globalBitIgnoredWithoutCr4Pge() {
        pde(1, PT | P | RW | US);
        pte(0, 0x300000 | P | RW | US | G);
        enablePaging(0);
        mmu.read8Slow(0x400000, false);
        mmu.setCr3(PD);
        assertEquals(Tlb.INVALID, mmu.tlb.supRead[Tlb.slot(0x400000)]);
    }

    @Test
    void invlpgDropsEveryPieceOfALargePage() {
        pde(2, 0x400000 | P | RW | US | PS);
        mmu.setCr4(Mmu.CR4_PSE);
        enablePaging(0);
        mmu.read8Slow(0x800000, false);
        mmu.read8Slow(0x9FF000, false);
        mmu.invlpg(0x800000);
        assertEquals(Tlb.INVALID, mmu.tlb.supRead[Tlb.slot(0x9FF000)]);
    }

    @Test
    void changingPagingBitsFlushesEverything() {
        pde(1, PT | P | RW | US);
        pte(0, 0x300000 | P | RW | US | G);
        mmu.setCr4(Mmu.CR4_PGE);
        enablePaging(0);
        mmu.read8Slow(0x400000, false);
        mmu.setCr4(0);
        assertEquals(Tlb.INVALID, mmu.tlb.supRead[Tlb.slot(0x400000)]);
    }

    @Test
    void watchedCodePagesLoseWriteViewsAndReportWrites() {
        int[] reported = {-1};
        mmu.codeWatch.setListener(page -> reported[0] = page);
        mmu.write32Slow(0x7000, 1, false);              // fills a write view
        assertEquals(0x7000, mmu.tlb.supWrite[Tlb.slot(0x7000)]);
        mmu.watchCode(0x7000);
        assertEquals(Tlb.INVALID, mmu.tlb.supWrite[Tlb.slot(0x7000)]);
        mmu.write8Slow(0x7010, 0x90, false);
        assertEquals(0x7000, reported[0]);
        assertEquals(0x90, ram.read8(0x7010));
        assertFalse(mmu.codeWatch.isWatched(0x7000));
    }

    @Test
    void mmioPagesAreNeverCachedInTheTlb() {
        assertEquals(0, mmu.read32Slow(0xFEE00000, false));          // unassigned: reads 0
        assertEquals(Tlb.INVALID, mmu.tlb.supRead[Tlb.slot(0xFEE00000)]);
    }
}
