package io.flatland.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** CPU models and the flags CPUID reports from them (QEMU's identities: the recordings in machine's test resources). */
class CpuModelTest {
    @Test void signaturesEncodeFamilyModelStepping() {
        assertEquals(0x663, CpuModel.QEMU32.signature());
        assertEquals(0x480, CpuModel.I486.signature());
        // family 15 model 107: the model's high nibble goes to the extended model field (SDM Figure 3-6)
        assertEquals(0x60fb1, CpuModel.QEMU64.signature());
    }

    @Test void reportsOnlyImplementedFlags() {
        // qemu32 has VME, PAE, MCE, APIC, MTRR, MCA, PAT, PSE36, MMX, FXSR, SSE, SSE2 and SSE3 too.
        int fpuDePseTscMsrCx8SepPgeCmov = 0x0000a93d;
        assertEquals(fpuDePseTscMsrCx8SepPgeCmov, CpuModel.QEMU32.reported(CpuFeature.Reg.EDX1));
        assertEquals(0, CpuModel.QEMU32.reported(CpuFeature.Reg.ECX1), "no SSE3, no hypervisor bit");
        assertEquals(0x9, CpuModel.I486.reported(CpuFeature.Reg.EDX1), "486: FPU and PSE, as QEMU's");
    }

    @Test void apicFlagFollowsTheMachine() {
        assertFalse((CpuModel.QEMU32.reported(CpuFeature.Reg.EDX1) & (1 << 9)) != 0);
        assertTrue((CpuModel.QEMU32.withLocalApic(true).reported(CpuFeature.Reg.EDX1) & (1 << 9)) != 0);
        // A model without the flag does not gain it from the machine.
        assertEquals(0, CpuModel.I486.withLocalApic(true).reported(CpuFeature.Reg.EDX1) & (1 << 9));
    }

    @Test void featureSwitchesAndAmdMirror() {
        CpuModel m = CpuModel.MAX.withFeature(CpuFeature.CMOV, false);
        assertEquals(0, m.reported(CpuFeature.Reg.EDX1) & CpuFeature.CMOV.mask());
        assertEquals(0, m.reported(CpuFeature.Reg.EDX_EXT) & CpuFeature.CMOV.mask(), "AMD mirror follows leaf 1");
        assertNotEquals(0, CpuModel.MAX.reported(CpuFeature.Reg.EDX_EXT) & CpuFeature.CMOV.mask());
        assertEquals(0, CpuModel.QEMU32.reported(CpuFeature.Reg.EDX_EXT), "Intel: no mirror");
        assertEquals(0, CpuModel.MAX.reported(CpuFeature.Reg.EDX_EXT) & CpuFeature.LM.mask());
        // Turning on an unimplemented flag changes the model but never what CPUID reports.
        assertTrue(CpuModel.PENTIUM.withFeature(CpuFeature.SSE, true).has(CpuFeature.SSE));
        assertEquals(CpuModel.PENTIUM.reported(CpuFeature.Reg.EDX1),
                CpuModel.PENTIUM.withFeature(CpuFeature.SSE, true).reported(CpuFeature.Reg.EDX1));
    }

    @Test void qemuSpellings() {
        assertEquals(CpuFeature.SSE4_1, CpuFeature.byQemuName("sse4.1"));
        assertEquals(CpuFeature.SSE4_1, CpuFeature.byQemuName("sse4_1"));
        assertEquals(CpuFeature.TSC_DEADLINE, CpuFeature.byQemuName("tsc-deadline"));
        assertEquals(CpuFeature.TSC_DEADLINE, CpuFeature.byQemuName("tsc_deadline"));
        assertEquals(CpuFeature.PNI, CpuFeature.byQemuName("sse3"));
        assertEquals(CpuFeature._3DNOW, CpuFeature.byQemuName("3dnow"));
        assertEquals("x2apic", CpuFeature.X2APIC.qemuName());
        assertNull(CpuFeature.byQemuName("foo"));
    }

    @Test void cpuidAnswersFromTheModelWithIntelFallbackBeyondTheRange() {
        try (SystemTestMachine t = new SystemTestMachine()) {
            Cpu cpu = t.cpu;
            cpu.cpuModel = CpuModel.PENTIUM;
            cpu.reg[Cpu.EAX] = 0x80000000;          // pentium has no extended leaves: leaf 1's answer
            SystemOps.cpuid(cpu);
            assertEquals(0x543, cpu.reg[Cpu.EAX]);
            cpu.reg[Cpu.EAX] = 0;
            SystemOps.cpuid(cpu);
            assertEquals(1, cpu.reg[Cpu.EAX]);
        }
    }
}
