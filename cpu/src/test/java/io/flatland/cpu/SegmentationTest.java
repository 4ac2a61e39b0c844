package io.flatland.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.flatland.cpu.SystemTestMachine.*;
import static org.junit.jupiter.api.Assertions.*;

/** Machine states, segment loads and segment-limit checks (SDM Vol. 3A chapters 3, 5 and 9). */
class SegmentationTest {
    SystemTestMachine m;
    Cpu cpu;

    @BeforeEach void setUp() { m = new SystemTestMachine(); cpu = m.cpu; }
    @AfterEach void tearDown() { m.close(); }

    @Test void resetStateIsRealModeAtFFFFFFF0() {
        // SDM Table 9-1: CS selector F000 base FFFF0000, EIP FFF0, CR0 60000010, EFLAGS 2, EDX signature.
        assertEquals(0xF000, cpu.segSel[Cpu.CS]);
        assertEquals(0xFFFF0000, cpu.segBase[Cpu.CS]);
        assertEquals(0xFFFF, cpu.segLimit[Cpu.CS]);
        assertEquals(0xFFF0, cpu.eip);
        assertEquals(0x60000010, cpu.mmu.cr0());
        assertEquals(2, Flags.get(cpu));
        assertEquals(0x663, cpu.reg[Cpu.EDX]);
        assertFalse(cpu.code32);
        assertFalse(cpu.protectedMode());
        assertEquals(0xFFFF0FF0, cpu.dr[6]);
        assertEquals(0x400, cpu.dr[7]);
    }

    @Test void multibootStateIsFlatRing0() {
        SystemOps.enterFlatProtectedMode(cpu);
        assertEquals(0x08, cpu.segSel[Cpu.CS]);
        for (int s : new int[] {Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS, Cpu.SS}) {
            assertEquals(0x10, cpu.segSel[s]);
            assertEquals(0, cpu.segBase[s]);
            assertEquals(-1, cpu.segLimit[s]);
            assertTrue(cpu.segFlatRead[s] && cpu.segFlatWrite[s]);
        }
        assertTrue(cpu.segFlatRead[Cpu.CS], "execute/read code is readable");
        assertFalse(cpu.segFlatWrite[Cpu.CS], "code is never writable");
        assertTrue(cpu.code32 && cpu.stack32);
        assertEquals(0, cpu.cpl);
        assertEquals(2, Flags.get(cpu));
        assertEquals(Cpu.IF & Flags.get(cpu), 0);
        int cr0 = cpu.mmu.cr0();
        assertEquals(1, cr0 & 1, "PE");
        assertEquals(0, cr0 & 0x80000000, "PG");
        assertEquals(0x11, cr0, "QEMU's option ROM writes 1 to CR0; ET is hard-wired");
        assertEquals(0x3FF, cpu.idtLimit, "the BIOS IVT is still in IDTR");
    }

    @Test void realModeLoadSetsBaseAndKeepsHiddenLimit() {
        SystemOps.loadSegment(cpu, Cpu.DS, 0x1234);
        assertEquals(0x12340, cpu.segBase[Cpu.DS]);
        assertEquals(0xFFFF, cpu.segLimit[Cpu.DS]);
        // Unreal mode: a 4 GiB limit loaded in protected mode survives a real-mode reload.
        cpu.segLimit[Cpu.ES] = -1;
        SystemOps.loadSegment(cpu, Cpu.ES, 0x2000);
        assertEquals(-1, cpu.segLimit[Cpu.ES]);
        assertEquals(0x20000, cpu.segBase[Cpu.ES]);
        assertFault(cpu, 13, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.DS, 0xFFFF, 2, false));
        assertFault(cpu, 12, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.SS, 0xFFFF, 2, true));
    }

    @Test void protectedModeDataLoadCachesDescriptorAndSetsAccessedBit() {
        m.protectedMode();
        assertEquals(0, m.accessByte(SMALL_DATA) & 1);
        SystemOps.loadSegment(cpu, Cpu.DS, SMALL_DATA);
        assertEquals(1, m.accessByte(SMALL_DATA) & 1, "accessed bit written back");
        assertEquals(0x10000, cpu.segBase[Cpu.DS]);
        assertEquals(0xFFFF, cpu.segLimit[Cpu.DS]);
        assertFalse(cpu.segFlatRead[Cpu.DS]);
        SystemOps.loadSegment(cpu, Cpu.ES, KDATA);
        assertEquals(-1, cpu.segLimit[Cpu.ES], "G=1 scales the limit to 4 GiB");
        assertTrue(cpu.segFlatWrite[Cpu.ES]);
    }

    @Test void protectedModeLoadFaults() {
        m.protectedMode();
        SystemOps.loadSegment(cpu, Cpu.DS, 0);        // null is allowed in DS..GS
        assertEquals(0, cpu.segSel[Cpu.DS]);
        assertFault(cpu, 13, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.DS, 0, 1, false));
        assertFault(cpu, 13, 0, () -> SystemOps.loadSegment(cpu, Cpu.SS, 0));
        assertFault(cpu, 13, 0x20, () -> SystemOps.loadSegment(cpu, Cpu.SS, UDATA | 3)); // RPL != CPL
        assertFault(cpu, 13, 0x20, () -> SystemOps.loadSegment(cpu, Cpu.SS, UDATA));     // DPL != CPL
        assertFault(cpu, 13, 0x38, () -> SystemOps.loadSegment(cpu, Cpu.SS, READ_ONLY)); // not writable
        assertFault(cpu, 13, 0x40, () -> SystemOps.loadSegment(cpu, Cpu.DS, EXEC_ONLY)); // not readable
        assertFault(cpu, 13, 0x28, () -> SystemOps.loadSegment(cpu, Cpu.DS, TSS_SEL));   // system
        assertFault(cpu, 11, 0x48, () -> SystemOps.loadSegment(cpu, Cpu.DS, NOT_PRESENT));
        assertFault(cpu, 13, 0x60, () -> SystemOps.loadSegment(cpu, Cpu.DS, GDT_END));   // beyond GDT limit
        assertFault(cpu, 13, 0x0C, () -> SystemOps.loadSegment(cpu, Cpu.DS, 0x0C));      // LDT not loaded
        m.segment(NOT_PRESENT, 0, 0xFFFFF, 0x12, 0xC);
        assertFault(cpu, 12, 0x48, () -> SystemOps.loadSegment(cpu, Cpu.SS, NOT_PRESENT)); // not present SS: #SS
        // The readable code segment may be loaded into DS.
        SystemOps.loadSegment(cpu, Cpu.DS, KCODE);
        assertEquals(KCODE, cpu.segSel[Cpu.DS]);
    }

    @Test void ring3CannotLoadRing0Data() {
        m.protectedMode();
        m.enterRing3(0x400000, 0x7000, 0x202);
        assertEquals(3, cpu.cpl);
        assertFault(cpu, 13, KDATA, () -> SystemOps.loadSegment(cpu, Cpu.DS, KDATA | 3));
        SystemOps.loadSegment(cpu, Cpu.DS, UDATA | 3);
        assertEquals(UDATA | 3, cpu.segSel[Cpu.DS]);
    }

    @Test void accessChecksTypeAndLimit() {
        m.protectedMode();
        SystemOps.loadSegment(cpu, Cpu.DS, SMALL_DATA);
        SystemOps.checkSegmentAccess(cpu, Cpu.DS, 0xFFFC, 4, true);
        assertFault(cpu, 13, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.DS, 0xFFFD, 4, false));
        assertFault(cpu, 13, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.DS, 0x10000, 1, false));
        SystemOps.loadSegment(cpu, Cpu.FS, READ_ONLY);
        SystemOps.checkSegmentAccess(cpu, Cpu.FS, 0, 4, false);
        assertFault(cpu, 13, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.FS, 0, 4, true));
        SystemOps.loadSegment(cpu, Cpu.GS, KCODE);
        assertFault(cpu, 13, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.GS, 0, 1, true));
    }

    @Test void expandDownLimitExcludesLowOffsets() {
        m.protectedMode();
        // Expand-down, limit 0xFFF, B=1: valid offsets are 0x1000..0xFFFFFFFF (SDM §3.4.5.1).
        SystemOps.loadSegment(cpu, Cpu.SS, EXPAND_DOWN);
        assertFalse(cpu.segFlatRead[Cpu.SS]);
        assertTrue(cpu.stack32);
        SystemOps.checkSegmentAccess(cpu, Cpu.SS, 0x1000, 4, true);
        SystemOps.checkSegmentAccess(cpu, Cpu.SS, 0xFFFFFFFC, 4, true);
        assertFault(cpu, 12, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.SS, 0xFFF, 1, false));
        assertFault(cpu, 12, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.SS, 0xFFFFFFFE, 4, false));
        // With B=0 the upper bound is 0xFFFF.
        m.segment(EXPAND_DOWN, 0, 0x00FFF, 0x96, 0x0);
        SystemOps.loadSegment(cpu, Cpu.ES, EXPAND_DOWN);
        SystemOps.checkSegmentAccess(cpu, Cpu.ES, 0xFFFC, 4, true);
        assertFault(cpu, 13, 0, () -> SystemOps.checkSegmentAccess(cpu, Cpu.ES, 0xFFFE, 4, true));
    }

    @Test void ltrMarksBusyAndRejectsBusyTss() {
        m.protectedMode();
        assertEquals(0x8B, m.accessByte(TSS_SEL), "type 9 became 11 (busy)");
        assertEquals(TSS, cpu.trBase);
        assertEquals(TSS_LIMIT, cpu.trLimit);
        assertFault(cpu, 13, TSS_SEL, () -> SystemOps.ltr(cpu, TSS_SEL));
        assertFault(cpu, 13, 0, () -> SystemOps.ltr(cpu, 0));
    }

    @Test void lgdtWith16BitOperandMasksBase() {
        SystemOps.lgdt(cpu, 0x12345678, 0x1FF, false);
        assertEquals(0x345678, cpu.gdtBase);
        assertEquals(0x1FF, cpu.gdtLimit);
        SystemOps.lidt(cpu, 0x12345678, 0x7FF);
        assertEquals(0x12345678, cpu.idtBase);
    }

    @Test void larLslVerrVerw() {
        m.protectedMode();
        // Type/S/DPL/P and AVL/D/G, masked by 00FxFF00H (QEMU leaves the x, limit 19:16, as 0).
        assertEquals(0x00C09A00L, SystemOps.lar(cpu, KCODE) & ~0x100L);
        assertEquals(0xFFFFL, SystemOps.lsl(cpu, SMALL_DATA));
        assertEquals(TSS_LIMIT, SystemOps.lsl(cpu, TSS_SEL));
        assertEquals(-1L, SystemOps.lar(cpu, 0));
        assertEquals(-1L, SystemOps.lsl(cpu, GDT_END));
        assertEquals(1L, SystemOps.verr(cpu, KCODE));
        assertEquals(-1L, SystemOps.verr(cpu, EXEC_ONLY));
        assertEquals(-1L, SystemOps.verw(cpu, READ_ONLY));
        assertEquals(1L, SystemOps.verw(cpu, KDATA));
        m.enterRing3(0x400000, 0x7000, 0x202);
        assertEquals(-1L, SystemOps.lar(cpu, KDATA | 3), "DPL 0 invisible from ring 3");
        assertEquals(1L, SystemOps.verw(cpu, UDATA | 3));
    }
}
