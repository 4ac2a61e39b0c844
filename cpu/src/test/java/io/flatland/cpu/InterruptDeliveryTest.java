package io.flatland.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.flatland.cpu.SystemTestMachine.*;
import static org.junit.jupiter.api.Assertions.*;

/** Interrupt and exception delivery and IRET (SDM Vol. 3A §6.12-6.15, Vol. 2A IRET). */
class InterruptDeliveryTest {
    SystemTestMachine m;
    Cpu cpu;

    @BeforeEach void setUp() {
        m = new SystemTestMachine();
        cpu = m.cpu;
        m.protectedMode();
    }

    @AfterEach void tearDown() { m.close(); }

    int stack(int i) { return m.ram.read32(cpu.reg[Cpu.ESP] + 4 * i); }

    @Test void ring3SoftwareInterruptSwitchesToTssStack() {
        m.idtGate(0x80, HANDLER, 0xEE);                  // 32-bit interrupt gate, DPL 3
        m.enterRing3(0x401000, 0x7000, 0x202 | Cpu.TF);
        assertEquals(3, cpu.cpl);
        assertEquals(UCODE | 3, cpu.segSel[Cpu.CS]);
        SystemOps.softwareInterrupt(cpu, 0x80, 0x401002);
        assertEquals(0, cpu.cpl);
        assertEquals(KCODE, cpu.segSel[Cpu.CS]);
        assertEquals(KDATA, cpu.segSel[Cpu.SS]);
        assertEquals(HANDLER, cpu.eip);
        // SDM Figure 6-4: SS, ESP, EFLAGS, CS, EIP on the ring-0 stack, no error code.
        assertEquals(KSTACK_TOP - 20, cpu.reg[Cpu.ESP]);
        assertEquals(0x401002, stack(0));
        assertEquals(UCODE | 3, stack(1));
        assertEquals(0x202 | Cpu.TF, stack(2));
        assertEquals(0x7000, stack(3));
        assertEquals(UDATA | 3, stack(4));
        int flags = Flags.get(cpu);
        assertEquals(0, flags & Cpu.IF, "interrupt gate clears IF");
        assertEquals(0, flags & Cpu.TF, "TF cleared");
    }

    @Test void iretReturnsToRing3AndNullsKernelDataSegments() {
        m.idtGate(0x80, HANDLER, 0xEF);                  // trap gate: IF stays
        m.enterRing3(0x401000, 0x7000, 0x202);
        SystemOps.loadSegment(cpu, Cpu.ES, UDATA | 3);
        SystemOps.softwareInterrupt(cpu, 0x80, 0x401002);
        assertNotEquals(0, Flags.get(cpu) & Cpu.IF);
        SystemOps.loadSegment(cpu, Cpu.DS, KDATA);       // the handler uses kernel data
        cpu.reg[Cpu.EAX] = 42;
        SystemOps.iret(cpu, true);
        assertEquals(3, cpu.cpl);
        assertEquals(0x401002, cpu.eip);
        assertEquals(0x7000, cpu.reg[Cpu.ESP]);
        assertEquals(UDATA | 3, cpu.segSel[Cpu.SS]);
        assertEquals(0, cpu.segSel[Cpu.DS], "DPL 0 data is nulled on return to ring 3");
        assertEquals(UDATA | 3, cpu.segSel[Cpu.ES], "DPL 3 data is kept");
        assertTrue(cpu.userMode());
    }

    @Test void iretFromRing3CannotChangeIoplOrIf() {
        m.enterRing3(0x401000, 0x7000, 0x202);
        // Same-privilege IRET frame at ring 3 that tries to set IOPL=3 and clear IF.
        int sp = cpu.reg[Cpu.ESP] - 12;
        m.ram.write32(sp, 0x401100);
        m.ram.write32(sp + 4, UCODE | 3);
        m.ram.write32(sp + 8, 0x3002 | Cpu.CF);
        cpu.reg[Cpu.ESP] = sp;
        SystemOps.iret(cpu, true);
        int flags = Flags.get(cpu);
        assertEquals(0, flags & Cpu.IOPL);
        assertNotEquals(0, flags & Cpu.IF);
        assertEquals(Cpu.CF, flags & Cpu.CF);
        assertEquals(0x401100, cpu.eip);
    }

    @Test void softwareInterruptThroughDpl0GateIsGp() {
        m.idtGate(0x40, HANDLER, 0x8E);                  // DPL 0
        m.idtGate(13, HANDLER + 0x100, 0x8E);
        m.enterRing3(0x401000, 0x7000, 0x202);
        SystemOps.softwareInterrupt(cpu, 0x40, 0x401002);
        assertEquals(HANDLER + 0x100, cpu.eip);
        // #GP(vector*8+2), EXT=0 for INT n. The #GP is a fault of the INT instruction, so its
        // frame points at the INT itself (cpu.eip), not at the return address (SDM Vol. 3A §6.5).
        assertEquals(0x40 * 8 + 2, stack(0));
        assertEquals(0x401000, stack(1));
        assertEquals(KSTACK_TOP - 24, cpu.reg[Cpu.ESP]);
    }

    @Test void pageFaultPushesErrorCodeAndSetsCr2() {
        m.idtGate(14, HANDLER, 0x8E);
        m.enterRing3(0x401000, 0x7000, 0x202);
        cpu.eip = 0x401234;
        SystemOps.deliverException(cpu, 14, 0x6, 0xDEADB000);
        assertEquals(0xDEADB000, cpu.cr2);
        assertEquals(6, stack(0));
        assertEquals(0x401234, stack(1), "faults push the faulting instruction's EIP");
        assertEquals(KSTACK_TOP - 24, cpu.reg[Cpu.ESP]);
    }

    @Test void sameRingExceptionUsesCurrentStack() {
        m.idtGate(6, HANDLER, 0x8E);
        cpu.reg[Cpu.ESP] = 0x8000;
        cpu.eip = 0x100123;
        SystemOps.deliverException(cpu, 6, -1, 0);
        assertEquals(0x8000 - 12, cpu.reg[Cpu.ESP], "no SS:ESP and no error code for #UD");
        assertEquals(0x100123, stack(0));
        assertEquals(KCODE, stack(1));
    }

    @Test void externalInterruptOnVector8PushesNoErrorCodeAndWakes() {
        m.idtGate(8, HANDLER, 0x8E);
        cpu.reg[Cpu.ESP] = 0x8000;
        cpu.eip = 0x100200;
        cpu.halted = true;
        SystemOps.deliverExternalInterrupt(cpu, 8);
        assertFalse(cpu.halted);
        assertEquals(0x8000 - 12, cpu.reg[Cpu.ESP]);
        assertEquals(0x100200, stack(0));
    }

    @Test void notPresentGateDuringBenignExceptionIsNpWithExtBit() {
        m.idtGate(6, HANDLER, 0x0E);                     // not present
        m.idtGate(11, HANDLER + 0x40, 0x8E);
        cpu.reg[Cpu.ESP] = 0x8000;
        SystemOps.deliverException(cpu, 6, -1, 0);
        assertEquals(HANDLER + 0x40, cpu.eip);
        assertEquals(6 * 8 + 2 + 1, stack(0), "IDT bit and EXT bit set");
    }

    @Test void contributoryDuringContributoryIsDoubleFault() {
        m.idtGate(13, HANDLER, 0x0E);                    // #GP gate not present -> #NP while delivering #GP
        m.idtGate(8, HANDLER + 0x80, 0x8E);
        cpu.reg[Cpu.ESP] = 0x8000;
        cpu.eip = 0x100300;
        SystemOps.deliverException(cpu, 13, 0, 0);
        assertEquals(HANDLER + 0x80, cpu.eip);
        assertEquals(0, stack(0), "#DF error code is 0");
        assertEquals(0x100300, stack(1));
        assertEquals(ExitReason.NONE, cpu.exitRequest);
    }

    @Test void pageFaultWhileDeliveringPageFaultIsDoubleFault() {
        // The ring-0 stack is not mapped: pushing the #PF frame faults again.
        m.idtGate(14, HANDLER, 0x8E);
        m.idtGate(8, HANDLER + 0x80, 0x8E);
        int pd = 0x100000;
        m.ram.write32(pd, 0x200000 | 7);                 // PDE 0 -> page table at 2 MiB, user, writable
        for (int i = 0; i < 1024; i++) m.ram.write32(0x200000 + 4 * i, i << 12 | 7);
        SystemOps.movToCr(cpu, 3, pd);
        SystemOps.movToCr(cpu, 0, SystemOps.movFromCr(cpu, 0) | 0x80000000);
        m.enterRing3(0x1000, 0x7000, 0x202);
        m.ram.write32(0x200000 + 4 * 8, 0);              // now unmap page 0x8000, just below ESP0
        cpu.mmu.invlpg(0x8000);
        // Delivering the #PF pushes at 0x8FFC (#PF); so does delivering the resulting #DF.
        SystemOps.deliverException(cpu, 14, 4, 0x3000);
        assertEquals(ExitReason.TRIPLE_FAULT, cpu.exitRequest, "#PF, then #PF -> #DF, then #PF -> shutdown");
        assertEquals(0x8FFC, cpu.cr2, "CR2 holds the last faulting address");
        assertNotNull(cpu.exitMessage);
    }

    @Test void faultWhileDeliveringDoubleFaultIsTripleFault() {
        m.idtGate(13, HANDLER, 0x0E);
        m.idtGate(8, HANDLER, 0x0E);
        cpu.reg[Cpu.ESP] = 0x8000;
        SystemOps.deliverException(cpu, 13, 0, 0);
        assertEquals(ExitReason.TRIPLE_FAULT, cpu.exitRequest);
    }

    @Test void vectorBeyondIdtLimitIsGpWithIdtBit() {
        SystemOps.lidt(cpu, IDT, 32 * 8 - 1);
        m.idtGate(13, HANDLER, 0x8E);
        cpu.reg[Cpu.ESP] = 0x8000;
        SystemOps.deliverExternalInterrupt(cpu, 0x20);
        assertEquals(HANDLER, cpu.eip);
        assertEquals(0x20 * 8 + 2 + 1, stack(0), "IDT bit, EXT bit for an external interrupt");
    }

    @Test void realModeInterruptUsesIvt() {
        SystemOps.reset(cpu);
        m.ram.write16(0x21 * 4, 0x1234);
        m.ram.write16(0x21 * 4 + 2, 0x5000);
        SystemOps.loadSegment(cpu, Cpu.SS, 0x0000);
        cpu.reg[Cpu.ESP] = 0x7C00;
        cpu.segSel[Cpu.CS] = 0x0700;
        Flags.set(cpu, 0x202 | Cpu.TF);
        SystemOps.softwareInterrupt(cpu, 0x21, 0x0010);
        assertEquals(0x1234, cpu.eip);
        assertEquals(0x5000, cpu.segSel[Cpu.CS]);
        assertEquals(0x50000, cpu.segBase[Cpu.CS]);
        assertEquals(0x7C00 - 6, cpu.reg[Cpu.ESP]);
        assertEquals(0x0010, m.ram.read16(0x7C00 - 6));
        assertEquals(0x0700, m.ram.read16(0x7C00 - 4));
        assertEquals(0x302, m.ram.read16(0x7C00 - 2));
        assertEquals(0, Flags.get(cpu) & (Cpu.IF | Cpu.TF));
        SystemOps.iret(cpu, false);
        assertEquals(0x0010, cpu.eip);
        assertEquals(0x0700, cpu.segSel[Cpu.CS]);
        assertEquals(0x302, Flags.get(cpu));
        assertEquals(0x7C00, cpu.reg[Cpu.ESP]);
    }

    @Test void sixteenBitInterruptGatePushesWords() {
        m.idtGate(0x30, 0x1234, 0x86);                   // 16-bit interrupt gate, DPL 0
        cpu.reg[Cpu.ESP] = 0x8000;
        Flags.set(cpu, 0x202);
        SystemOps.softwareInterrupt(cpu, 0x30, 0x100456);
        assertEquals(0x8000 - 6, cpu.reg[Cpu.ESP], "three 16-bit slots");
        assertEquals(0x0456, m.ram.read16(0x8000 - 6));
        assertEquals(KCODE, m.ram.read16(0x8000 - 4));
        assertEquals(0x202, m.ram.read16(0x8000 - 2));
        assertEquals(0x1234, cpu.eip);
        SystemOps.iret(cpu, false);
        assertEquals(0x0456, cpu.eip, "IRET with 16-bit operands returns to a 16-bit offset");
        assertEquals(0x8000, cpu.reg[Cpu.ESP]);
        assertNotEquals(0, Flags.get(cpu) & Cpu.IF);
    }

    @Test void gateToDataSegmentIsGpWithExt() {
        m.gate(IDT + 0x31 * 8, KDATA, HANDLER, 0x8E, 0);  // gate selector names a data segment
        m.idtGate(13, HANDLER + 0x100, 0x8E);
        cpu.reg[Cpu.ESP] = 0x8000;
        SystemOps.deliverExternalInterrupt(cpu, 0x31);
        assertEquals(HANDLER + 0x100, cpu.eip);
        assertEquals(KDATA | 1, m.ram.read32(cpu.reg[Cpu.ESP]), "selector error code with EXT");
    }
}
