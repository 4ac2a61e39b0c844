package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** CR4.UMIP, RDTSCP with IA32_TSC_AUX, and CR4.LA57 on a CPU without IA-32e mode. */
class UmipTscAuxTest {
    static final int CR4_UMIP = 1 << 11, CR4_LA57 = 1 << 12, CR4_TSD = 1 << 2;
    static final int TSC_AUX = 0xC0000103;
    static final int[][] STORES = {
        {0x0F, 0x01, 0x05, 0x00, 0x90, 0x00, 0x00},   // sgdt [0x9000]
        {0x0F, 0x01, 0x0D, 0x00, 0x90, 0x00, 0x00},   // sidt [0x9000]
        {0x0F, 0x00, 0x05, 0x00, 0x90, 0x00, 0x00},   // sldt [0x9000]
        {0x0F, 0x00, 0x0D, 0x00, 0x90, 0x00, 0x00},   // str [0x9000]
        {0x0F, 0x01, 0x25, 0x00, 0x90, 0x00, 0x00},   // smsw [0x9000]
        {0x0F, 0x00, 0xC0},                           // sldt eax
        {0x0F, 0x01, 0xE0},                           // smsw eax
    };
    static final int[] RDTSCP = {0x0F, 0x01, 0xF9};

    TestMachine m;
    Cpu cpu;

    @BeforeEach void setUp() {
        m = new TestMachine();
        cpu = m.cpu;
    }

    @AfterEach void tearDown() { m.close(); }

    private void cr4(int value) { SystemOps.movToCr(cpu, 4, value); }

    @Test void umipMakesTheStoreInstructionsPrivileged() {
        cpu.cpuModel = CpuModel.QEMU64.withFeature(CpuFeature.UMIP, true);
        cpu.setCpl(3);
        for (int[] code : STORES) assertNull(m.step1(code), "UMIP clear: allowed at CPL 3");
        cpu.setCpl(0);
        cr4(CR4_UMIP);
        for (int[] code : STORES) assertNull(m.step1(code), "CPL 0: allowed");
        m.ram.write32(0x9000, 0xA5A5A5A5);
        for (int cpl : new int[] {1, 3}) {
            cpu.setCpl(cpl);
            for (int[] code : STORES) {
                GuestFault f = m.step1(code);
                assertNotNull(f, "CPL " + cpl);
                assertEquals(13, f.vector);
                assertEquals(0, f.errorCode);
                assertEquals(TestMachine.CODE, cpu.eip);
            }
        }
        assertEquals(0xA5A5A5A5, m.ram.read32(0x9000), "nothing stored");
    }

    @Test void cr4UmipAndLa57AreReservedWithoutTheFeature() {
        for (int bit : new int[] {CR4_UMIP, CR4_LA57}) {
            GuestFault f = assertThrows(GuestFault.class, () -> cr4(bit));
            assertEquals(13, f.vector);
        }
        cpu.cpuModel = CpuModel.MAX;
        // QEMU's i386 max reports LA57 and takes CR4.LA57 outside IA-32e mode, where it does nothing.
        cr4(CR4_LA57 | CR4_UMIP);
        assertEquals(CR4_LA57 | CR4_UMIP, m.mmu.cr4());
    }

    @Test void rdtscpReturnsTheTscAndTscAux() {
        cpu.cpuModel = CpuModel.MAX;
        cpu.reg[Cpu.ECX] = TSC_AUX;
        cpu.reg[Cpu.EAX] = 0x100;
        cpu.reg[Cpu.EDX] = 0x7;
        SystemOps.wrmsr(cpu);
        cpu.reg[Cpu.EAX] = cpu.reg[Cpu.EDX] = 0;
        SystemOps.rdmsr(cpu);
        assertEquals(0x100, cpu.reg[Cpu.EAX]);
        assertEquals(0x7, cpu.reg[Cpu.EDX], "all 64 bits kept, as QEMU");
        cpu.icount = 5000;                                   // no platform clock: the TSC counts instructions
        cpu.tscOffset = 0;
        assertNull(m.step1(RDTSCP));
        assertEquals(0x100, cpu.reg[Cpu.ECX], "ECX: the low half of IA32_TSC_AUX");
        assertEquals(5000, cpu.reg[Cpu.EAX]);
        assertEquals(0, cpu.reg[Cpu.EDX]);
        assertEquals(TestMachine.CODE + 3, cpu.eip);
        cpu.setCpl(3);
        assertNull(m.step1(RDTSCP), "allowed at CPL 3");
        cpu.setCpl(0);
        cr4(CR4_TSD);
        cpu.setCpl(3);
        assertEquals(13, m.step1(RDTSCP).vector, "CR4.TSD");
    }

    @Test void rdtscpIsUndefinedWithoutTheFeature() {
        cpu.cpuModel = CpuModel.QEMU32;
        assertEquals(6, m.step1(RDTSCP).vector);
        cpu.cpuModel = CpuModel.QEMU32.withFeature(CpuFeature.RDTSCP, true);
        assertNull(m.step1(RDTSCP));
        cpu.reg[Cpu.EAX] = 0x80000001;
        SystemOps.cpuid(cpu);
        assertNotEquals(0, cpu.reg[Cpu.EDX] & 1 << 27, "CPUID.80000001:EDX.RDTSCP");
    }

    @Test void tscAuxIsClearedByReset() {
        cpu.tscAux = 42;
        SystemOps.reset(cpu);
        assertEquals(0, cpu.tscAux);
    }
}
