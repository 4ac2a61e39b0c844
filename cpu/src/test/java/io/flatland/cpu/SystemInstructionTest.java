package io.flatland.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.flatland.cpu.SystemTestMachine.*;
import static org.junit.jupiter.api.Assertions.*;

/** CPUID, MSRs, SYSENTER/SYSEXIT, control registers, I/O permission and far transfers. */
class SystemInstructionTest {
    SystemTestMachine m;
    Cpu cpu;

    @BeforeEach void setUp() {
        m = new SystemTestMachine();
        cpu = m.cpu;
        m.protectedMode();
    }

    @AfterEach void tearDown() { m.close(); }

    @Test void cpuidIdentifiesGenuineIntelFamily6() {
        cpu.reg[Cpu.EAX] = 0;
        SystemOps.cpuid(cpu);
        assertTrue(cpu.reg[Cpu.EAX] >= 1);
        byte[] vendor = new byte[12];
        int[] order = {cpu.reg[Cpu.EBX], cpu.reg[Cpu.EDX], cpu.reg[Cpu.ECX]};
        for (int i = 0; i < 12; i++) vendor[i] = (byte) (order[i / 4] >>> (8 * (i % 4)));
        assertEquals("GenuineIntel", new String(vendor, java.nio.charset.StandardCharsets.US_ASCII));
        cpu.reg[Cpu.EAX] = 1;
        SystemOps.cpuid(cpu);
        int eax = cpu.reg[Cpu.EAX], edx = cpu.reg[Cpu.EDX];
        assertEquals(6, (eax >>> 8) & 0xF, "family");
        assertEquals(6, (eax >>> 4) & 0xF, "model");
        assertEquals(3, eax & 0xF, "stepping");
        // SDM Vol. 2A Table 3-11: FPU 0, DE 2, PSE 3, TSC 4, MSR 5, CX8 8, SEP 11, PGE 13, CMOV 15.
        for (int bit : new int[] {0, 2, 3, 4, 5, 8, 11, 13, 15}) assertNotEquals(0, edx & (1 << bit), "bit " + bit);
        // Not implemented, so not reported: VME 1, PAE 6, MCE 7, APIC 9, MTRR 12, PAT 16, MMX 23, FXSR 24, SSE 25, SSE2 26.
        for (int bit : new int[] {1, 6, 7, 9, 12, 16, 23, 24, 25, 26}) assertEquals(0, edx & (1 << bit), "bit " + bit);
        assertEquals(0, cpu.reg[Cpu.ECX], "no SSE3");
    }

    @Test void sysenterMsrsRoundTripAndUnknownReadsZero() {
        for (int[] msr : new int[][] {{0x174, 0x08}, {0x175, 0xC0008000}, {0x176, 0xC0100000}}) {
            cpu.reg[Cpu.ECX] = msr[0];
            cpu.reg[Cpu.EAX] = msr[1];
            cpu.reg[Cpu.EDX] = 0;
            SystemOps.wrmsr(cpu);
            cpu.reg[Cpu.EAX] = 0;
            SystemOps.rdmsr(cpu);
            assertEquals(msr[1], cpu.reg[Cpu.EAX]);
            assertEquals(0, cpu.reg[Cpu.EDX]);
        }
        cpu.reg[Cpu.ECX] = 0x12345;                      // no such MSR: QEMU 7.2 TCG reads 0
        cpu.reg[Cpu.EAX] = cpu.reg[Cpu.EDX] = -1;
        SystemOps.rdmsr(cpu);
        assertEquals(0, cpu.reg[Cpu.EAX]);
        assertEquals(0, cpu.reg[Cpu.EDX]);
    }

    @Test void tscMsrWriteMovesRdtsc() {
        cpu.icount = 1000;
        cpu.reg[Cpu.ECX] = 0x10;
        cpu.reg[Cpu.EAX] = 0;
        cpu.reg[Cpu.EDX] = 1;                            // TSC = 2^32
        SystemOps.wrmsr(cpu);
        cpu.icount = 1500;
        SystemOps.rdtsc(cpu);
        assertEquals(500, cpu.reg[Cpu.EAX]);
        assertEquals(1, cpu.reg[Cpu.EDX]);
    }

    /** The TSC counts the platform's virtual nanoseconds, so it keeps pace with the timers (and across HLT). */
    @Test void tscFollowsThePlatformClockNotRetiredInstructions() {
        long[] now = {5_000};
        cpu.platform = new Platform() {
            @Override public boolean interruptPending() { return false; }
            @Override public int acknowledgeInterrupt() { return 0; }
            @Override public void service(Cpu c) { }
            @Override public boolean idle(Cpu c) { return false; }
            @Override public long nowNs(Cpu c) { return now[0]; }
        };
        SystemOps.reset(cpu);                             // the TSC restarts from 0 at the platform's time
        cpu.icount += 10;
        now[0] += 3_000_000;                              // a halt skipped 3 ms
        SystemOps.rdtsc(cpu);
        assertEquals(3_000_000, cpu.reg[Cpu.EAX]);
        assertEquals(0, cpu.reg[Cpu.EDX]);
    }

    @Test void rdtscAtRing3FaultsOnlyWithTsd() {
        SystemOps.movToCr(cpu, 4, ControlRegisters.CR4_TSD);
        m.enterRing3(0x401000, 0x7000, 0x202);
        assertFault(cpu, 13, 0, () -> SystemOps.rdtsc(cpu));
        assertFault(cpu, 13, 0, () -> SystemOps.rdmsr(cpu));
    }

    @Test void sysenterAndSysexitLoadFlatSegments() {
        cpu.sysenterCs = KCODE;
        cpu.sysenterEsp = 0x8800;
        cpu.sysenterEip = 0x100400;
        m.enterRing3(0x401000, 0x7000, 0x202);
        SystemOps.sysenter(cpu);
        assertEquals(0, cpu.cpl);
        assertEquals(KCODE, cpu.segSel[Cpu.CS]);
        assertEquals(KDATA, cpu.segSel[Cpu.SS]);
        assertEquals(0x8800, cpu.reg[Cpu.ESP]);
        assertEquals(0x100400, cpu.eip);
        assertEquals(0, Flags.get(cpu) & Cpu.IF, "SYSENTER clears IF");
        assertTrue(cpu.code32 && cpu.stack32 && cpu.segFlatWrite[Cpu.SS]);
        cpu.reg[Cpu.ECX] = 0x7000;
        cpu.reg[Cpu.EDX] = 0x401010;
        SystemOps.sysexit(cpu);
        assertEquals(3, cpu.cpl);
        assertEquals(KCODE + 16 | 3, cpu.segSel[Cpu.CS]);
        assertEquals(KCODE + 24 | 3, cpu.segSel[Cpu.SS]);
        assertEquals(3, Descriptor.dpl(cpu.segAttr[Cpu.CS]));
        assertEquals(0x7000, cpu.reg[Cpu.ESP]);
        assertEquals(0x401010, cpu.eip);
        assertFault(cpu, 13, 0, () -> SystemOps.sysexit(cpu));
        cpu.sysenterCs = 0;
        assertFault(cpu, 13, 0, () -> SystemOps.sysenter(cpu));
    }

    @Test void ioBitmapDecidesAboveIopl() {
        SystemOps.checkIoPermission(cpu, 0x60, 1);       // CPL 0 <= IOPL 0
        m.enterRing3(0x401000, 0x7000, 0x202);
        SystemOps.checkIoPermission(cpu, 0x3F8, 1);
        SystemOps.checkIoPermission(cpu, 0x3FC, 4);
        assertFault(cpu, 13, 0, () -> SystemOps.checkIoPermission(cpu, 0x3FF, 2));   // 0x400 denied
        assertFault(cpu, 13, 0, () -> SystemOps.checkIoPermission(cpu, 0x60, 1));
        assertFault(cpu, 13, 0, () -> SystemOps.checkIoPermission(cpu, 0x8000, 1)); // beyond the TSS limit
    }

    @Test void ioplThreeAllowsRing3Io() {
        m.enterRing3(0x401000, 0x7000, 0x3202);
        assertEquals(0x3000, Flags.get(cpu) & Cpu.IOPL);
        SystemOps.checkIoPermission(cpu, 0x60, 1);
    }

    @Test void controlRegisterRules() {
        assertFault(cpu, 13, 0, () -> SystemOps.movToCr(cpu, 0, 0x80000000));        // PG without PE
        assertFault(cpu, 13, 0, () -> SystemOps.movToCr(cpu, 4, 1 << 5));            // PAE not supported
        SystemOps.movToCr(cpu, 4, ControlRegisters.CR4_PSE | ControlRegisters.CR4_PGE);
        assertEquals(0x90, SystemOps.movFromCr(cpu, 4));
        SystemOps.movToCr(cpu, 2, 0x1234);
        assertEquals(0x1234, SystemOps.movFromCr(cpu, 2));
        assertFault(cpu, 6, -1, () -> SystemOps.movToCr(cpu, 1, 0));
        SystemOps.lmsw(cpu, 0xE);                        // cannot clear PE
        assertEquals(0xF, SystemOps.movFromCr(cpu, 0) & 0xF);
        SystemOps.clts(cpu);
        assertEquals(0, SystemOps.movFromCr(cpu, 0) & 8);
        // DR4/DR5 alias DR6/DR7 while CR4.DE = 0.
        SystemOps.movToDr(cpu, 5, 0x1);
        assertEquals(0x401, SystemOps.movFromDr(cpu, 7));
        SystemOps.movToCr(cpu, 4, ControlRegisters.CR4_DE);
        assertFault(cpu, 6, -1, () -> SystemOps.movFromDr(cpu, 4));
        m.enterRing3(0x401000, 0x7000, 0x202);
        assertFault(cpu, 13, 0, () -> SystemOps.movFromCr(cpu, 0));
        assertFault(cpu, 13, 0, () -> SystemOps.invlpg(cpu, 0));
        assertFault(cpu, 13, 0, () -> SystemOps.lgdt(cpu, 0, 0));
    }

    @Test void farJumpAndCallToCodeSegment() {
        cpu.reg[Cpu.ESP] = 0x8000;
        SystemOps.farCall(cpu, KCODE, 0x100500, true, 0x100010);
        assertEquals(0x100500, cpu.eip);
        assertEquals(0x8000 - 8, cpu.reg[Cpu.ESP]);
        assertEquals(0x100010, m.ram.read32(0x8000 - 8));
        assertEquals(KCODE, m.ram.read32(0x8000 - 4));
        SystemOps.farReturn(cpu, true, 8);
        assertEquals(0x100010, cpu.eip);
        assertEquals(0x8000 + 8, cpu.reg[Cpu.ESP]);
        assertFault(cpu, 13, KDATA, () -> SystemOps.farJump(cpu, KDATA, 0, true));
        assertFault(cpu, 13, 0, () -> SystemOps.farJump(cpu, 0, 0, true));
        assertFault(cpu, 13, UCODE, () -> SystemOps.farJump(cpu, UCODE | 3, 0, true)); // RPL > CPL
        SystemOps.farJump(cpu, KCODE, 0x100600, true);
        assertEquals(0x100600, cpu.eip);
        assertEquals(0x9A, m.accessByte(KCODE), "like QEMU 7.2, far transfers do not write the accessed bit");
    }

    @Test void callGateFromRing3SwitchesStackAndCopiesParameters() {
        // 32-bit call gate, DPL 3, two parameters, to ring-0 code.
        m.gate(GDT + CALL_GATE, KCODE, 0x100700, 0xEC, 2);
        m.enterRing3(0x401000, 0x7000, 0x202);
        m.ram.write32(0x7000, 0x11111111);               // parameter 1 (lowest address)
        m.ram.write32(0x7004, 0x22222222);
        SystemOps.farCall(cpu, CALL_GATE | 3, 0, true, 0x401007);
        assertEquals(0, cpu.cpl);
        assertEquals(0x100700, cpu.eip);
        int esp = cpu.reg[Cpu.ESP];
        assertEquals(KSTACK_TOP - 24, esp);
        // SDM Figure 5-13: EIP, CS, params, ESP, SS from the callee's point of view.
        assertEquals(0x401007, m.ram.read32(esp));
        assertEquals(UCODE | 3, m.ram.read32(esp + 4));
        assertEquals(0x11111111, m.ram.read32(esp + 8));
        assertEquals(0x22222222, m.ram.read32(esp + 12));
        assertEquals(0x7000, m.ram.read32(esp + 16));
        assertEquals(UDATA | 3, m.ram.read32(esp + 20));
        SystemOps.farReturn(cpu, true, 8);               // RETF 8 releases the parameters on both stacks
        assertEquals(3, cpu.cpl);
        assertEquals(0x401007, cpu.eip);
        assertEquals(0x7008, cpu.reg[Cpu.ESP]);
    }
}
