package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SMAP and SMEP (SDM Vol. 3A §4.6.1) as QEMU 7.2 TCG applies them: the page-fault error
 * codes, STAC/CLAC, EFLAGS.AC through POPF, implicit accesses, and that no TLB hit made
 * under other settings lets an access through.
 */
class SmapSmepTest {
    static final int USER_DATA = 0x9000, SUP_DATA = 0x8000;
    static final int CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21;
    static final int[] LOAD_USER = {0xA1, 0x00, 0x90, 0x00, 0x00};    // mov eax,[0x9000]
    static final int[] STORE_USER = {0xA3, 0x00, 0x90, 0x00, 0x00};   // mov [0x9000],eax
    static final int[] STAC = {0x0F, 0x01, 0xCB}, CLAC = {0x0F, 0x01, 0xCA};

    TestMachine m;
    Cpu cpu;

    @BeforeEach void setUp() {
        m = new TestMachine();
        cpu = m.cpu;
        cpu.cpuModel = CpuModel.MAX;
        m.enablePaging();                          // every page user and writable
        m.setPte(TestMachine.CODE, 3);             // code, stack and SUP_DATA: supervisor pages
        m.setPte(TestMachine.STACK_TOP - 0x1000, 3);
        m.setPte(SUP_DATA, 3);
        m.ram.write32(USER_DATA, 0x11223344);
    }

    @AfterEach void tearDown() { m.close(); }

    private void cr4(int value) { SystemOps.movToCr(cpu, 4, value); }

    private static void assertPf(GuestFault f, int errorCode, int address) {
        assertNotNull(f, "expected #PF");
        assertEquals(14, f.vector);
        assertEquals(errorCode, f.errorCode, "error code");
        assertEquals(address, f.address, "CR2");
    }

    @Test void withoutSmapTheSupervisorReadsUserPages() {
        assertNull(m.step1(LOAD_USER));
        assertEquals(0x11223344, cpu.reg[Cpu.EAX]);
    }

    @Test void smapFaultsSupervisorDataAccessesToUserPagesUnlessAc() {
        cr4(CR4_SMAP);
        assertPf(m.step1(LOAD_USER), 0x1, USER_DATA);          // present, read, supervisor
        cpu.reg[Cpu.EAX] = 0x55;
        assertPf(m.step1(STORE_USER), 0x3, USER_DATA);         // present, write, supervisor
        assertEquals(0x11223344, m.ram.read32(USER_DATA), "the store did not happen");
        assertNull(m.step1(0xA1, 0x00, 0x80, 0x00, 0x00), "supervisor pages stay readable");

        assertNull(m.step1(STAC));
        assertTrue((m.flags() & Cpu.AC) != 0);
        cpu.reg[Cpu.EAX] = 0x55;
        assertNull(m.step1(STORE_USER));
        assertEquals(0x55, m.ram.read32(USER_DATA));
        assertNull(m.step1(LOAD_USER));

        // The page is in the TLB now (both views): CLAC must still make the next access fault.
        assertNull(m.step1(CLAC));
        assertEquals(0, m.flags() & Cpu.AC);
        assertPf(m.step1(LOAD_USER), 0x1, USER_DATA);
        assertPf(m.step1(STORE_USER), 0x3, USER_DATA);
    }

    @Test void smapFollowsAcFromPopfAndCr4Changes() {
        m.step1(LOAD_USER);                                     // a TLB entry made before SMAP
        cr4(CR4_SMAP);
        assertPf(m.step1(LOAD_USER), 0x1, USER_DATA);
        m.ram.write32(TestMachine.STACK_TOP - 4, Cpu.AC | 2);
        cpu.reg[Cpu.ESP] = TestMachine.STACK_TOP - 4;
        assertNull(m.step1(0x9D));                              // popf: AC=1
        assertNull(m.step1(LOAD_USER));
        cr4(0);
        Flags.set(cpu, 2);
        assertNull(m.step1(LOAD_USER), "SMAP off: AC does not matter");
    }

    @Test void smapLeavesFetchesAndUserAccessesAlone() {
        cr4(CR4_SMAP);
        m.setPte(0x6000, 7);
        m.load(0x6000, 0xB8, 0x78, 0x56, 0x34, 0x12);           // mov eax,0x12345678 on a user page
        cpu.eip = 0x6000;
        assertNull(m.step(), "SMAP does not apply to instruction fetches");
        assertEquals(0x12345678, cpu.reg[Cpu.EAX]);
        cpu.setCpl(3);
        assertEquals(0x11223344, cpu.readLin32(USER_DATA), "user accesses are not SMAP's business");
    }

    @Test void implicitAccessesAreCheckedWithAcAtCpl0ButAlwaysAtCpl3() {
        cr4(CR4_SMAP);
        Flags.set(cpu, Cpu.AC | 2);
        assertEquals(0x11223344, cpu.readSys32(USER_DATA), "CPL 0 with AC=1: allowed (QEMU's cpu_mmu_index_kernel)");
        cpu.setCpl(3);
        GuestFault f = assertThrows(GuestFault.class, () -> cpu.readSys32(USER_DATA));
        assertPf(f, 0x1, USER_DATA);                            // a supervisor access: U/S clear
        assertThrows(GuestFault.class, () -> cpu.writeSys32(USER_DATA, 0));
        assertEquals(0x11223344, cpu.readLin32(USER_DATA), "the explicit user access still works");
        cpu.setCpl(0);
        assertEquals(0x11223344, cpu.readSys32(USER_DATA));
        Flags.set(cpu, 2);
        assertThrows(GuestFault.class, () -> cpu.readSys32(USER_DATA));
    }

    @Test void smapWithWpClearStillFaultsReadsOfReadOnlyUserPages() {
        m.mmu.setCr0(m.mmu.cr0() & ~0x10000);
        m.setPte(USER_DATA, 5);                                 // user, read-only
        cr4(CR4_SMAP);
        assertPf(m.step1(LOAD_USER), 0x1, USER_DATA);
        cr4(0);
        assertNull(m.step1(STORE_USER), "WP=0: the supervisor writes read-only pages");
    }

    @Test void stacAndClacAreUndefinedWithoutSmapOrAboveCpl0() {
        cpu.setCpl(1);
        assertEquals(6, m.step1(STAC).vector);
        assertEquals(6, m.step1(CLAC).vector);
        cpu.setCpl(0);
        cpu.cpuModel = CpuModel.QEMU32;
        assertEquals(6, m.step1(STAC).vector);
        cpu.cpuModel = CpuModel.MAX;
        assertEquals(6, m.step1(0xF0, 0x0F, 0x01, 0xCB).vector, "LOCK STAC");
        assertNull(m.step1(STAC));
    }

    @Test void cr4SmapAndSmepAreReservedWithoutTheFeature() {
        cpu.cpuModel = CpuModel.QEMU32;
        for (int bit : new int[] {CR4_SMAP, CR4_SMEP}) {
            GuestFault f = assertThrows(GuestFault.class, () -> cr4(bit));
            assertEquals(13, f.vector);
            assertEquals(0, f.errorCode);
        }
        assertEquals(0, m.mmu.cr4());
        cpu.cpuModel = CpuModel.MAX;
        cr4(CR4_SMAP | CR4_SMEP);
        assertEquals(CR4_SMAP | CR4_SMEP, SystemOps.movFromCr(cpu, 4));
    }

    @Test void smepFaultsSupervisorFetchesFromUserPages() {
        m.setPte(0x6000, 7);
        m.load(0x6000, 0x90);                                   // nop on a user page
        cpu.eip = 0x6000;
        assertNull(m.step(), "fetched once: the page is in the TLB");
        cr4(CR4_SMEP);
        cpu.eip = 0x6000;
        assertPf(m.step(), 0x11, 0x6000);                       // present, supervisor, instruction fetch
        assertEquals(0x6000, cpu.eip);
        assertNull(m.step1(0x90), "supervisor code runs");
        assertNull(m.step1(LOAD_USER), "SMEP leaves data accesses alone");
        m.setPte(0x5000, 0);
        cpu.eip = 0x5000;
        assertPf(m.step(), 0x10, 0x5000);                       // with SMEP, I/D is reported for any fetch fault (QEMU)
        cpu.setCpl(3);
        cpu.eip = 0x6000;
        assertNull(m.step(), "user code runs at CPL 3");
    }

    @Test void cpuidLeaf7ReportsWhatIsImplemented() {
        cpu.reg[Cpu.EAX] = 7;
        cpu.reg[Cpu.ECX] = 0;
        SystemOps.cpuid(cpu);
        assertEquals(0, cpu.reg[Cpu.EAX], "highest subleaf");
        assertEquals(1 << 7 | 1 << 20, cpu.reg[Cpu.EBX], "SMEP, SMAP of max's 0x01d843a9");
        assertEquals(1 << 2 | 1 << 16, cpu.reg[Cpu.ECX], "UMIP, LA57 of max's 0x8001020c");
        assertEquals(0, cpu.reg[Cpu.EDX]);
        cpu.reg[Cpu.EAX] = 7;
        cpu.reg[Cpu.ECX] = 1;
        SystemOps.cpuid(cpu);
        assertEquals(0, cpu.reg[Cpu.EBX] | cpu.reg[Cpu.ECX], "subleaf 1: nothing");
    }
}
