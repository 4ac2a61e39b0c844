package io.flatland.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.flatland.cpu.SystemTestMachine.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Hardware task switches (SDM Vol. 3A §7.3, Table 7-1, Table 7-2; Vol. 2 JMP/CALL/IRET/INT
 * "SWITCH-TASKS"). Task A is the machine's TSS 0x28 (loaded with LTR, so busy); task B has
 * a 32-bit TSS at {@link #TSS_B} with its own LDT.
 */
class TaskSwitchTest {
    static final int TSS_B = 0x4000, LDT_TABLE = 0x6000;
    static final int TSS_B_SEL = 0x60, TASK_GATE = 0x68, LDT_SEL = 0x70, SMALL_TSS = 0x78, NP_TSS = 0x80, END = 0x88;
    static final int LDT_DATA = 0x04;                   // LDT entry 0, RPL 0
    static final int A_NEXT = 0x100007, B_EIP = 0x200000, B_ESP = 0x8800;
    static final int AVAILABLE = 0x9, BUSY = 0xB;

    SystemTestMachine m;
    Cpu cpu;

    @BeforeEach void setUp() {
        m = new SystemTestMachine();
        cpu = m.cpu;
        m.protectedMode();
        m.segment(TSS_B_SEL, TSS_B, 0x67, 0x89, 0);            // 32-bit TSS, available, DPL 0
        m.gate(GDT + TASK_GATE, TSS_B_SEL, 0, 0x85, 0);       // task gate, DPL 0
        m.segment(LDT_SEL, LDT_TABLE, 0xF, 0x82, 0);          // LDT with two entries
        m.segment(SMALL_TSS, 0x4800, 0x66, 0x89, 0);          // one byte too short
        m.segment(NP_TSS, 0x4800, 0x67, 0x09, 0);             // not present
        // LDT entry 0: flat writable data, DPL 0.
        m.ram.write32(LDT_TABLE, 0x0000FFFF);
        m.ram.write32(LDT_TABLE + 4, 0x00CF9200);
        SystemOps.lgdt(cpu, GDT, END - 1);
        writeTssB();
        // Task A's registers.
        for (int r = 0; r < 8; r++) cpu.reg[r] = 0xA0000000 + r;
        cpu.reg[Cpu.ESP] = KSTACK_TOP - 0x10;
        Flags.set(cpu, 2 | Cpu.CF | Cpu.ZF);
        cpu.eip = 0x100000;
        ControlRegisters.clts(cpu);
    }

    @AfterEach void tearDown() { m.close(); }

    void writeTssB() {
        for (int i = 0; i < 0x68; i += 4) m.ram.write32(TSS_B + i, 0);
        m.ram.write32(TSS_B + 0x20, B_EIP);
        m.ram.write32(TSS_B + 0x24, 0x2 | Cpu.SF);
        for (int r = 0; r < 8; r++) m.ram.write32(TSS_B + 0x28 + 4 * r, 0xB0000000 + r);
        m.ram.write32(TSS_B + 0x28 + 4 * Cpu.ESP, B_ESP);
        int[] segs = {KDATA, KCODE, KDATA, KDATA, LDT_DATA, 0};   // ES CS SS DS FS GS
        for (int s = 0; s < 6; s++) m.ram.write16(TSS_B + 0x48 + 4 * s, segs[s]);
        m.ram.write16(TSS_B + 0x60, LDT_SEL);
        m.ram.write16(TSS_B + 0x66, 0x68);
    }

    int type(int sel) { return m.accessByte(sel) & 0xF; }
    int a(int off) { return m.ram.read32(TSS + off); }
    int b(int off) { return m.ram.read32(TSS_B + off); }
    boolean ts() { return (cpu.mmu.cr0() & ControlRegisters.CR0_TS) != 0; }

    void assertInB(boolean nested) {
        assertEquals(TSS_B_SEL, cpu.trSel);
        assertEquals(TSS_B, cpu.trBase);
        assertEquals(B_EIP, cpu.eip);
        for (int r = 0; r < 8; r++) assertEquals(r == Cpu.ESP ? B_ESP : 0xB0000000 + r, cpu.reg[r], "reg " + r);
        assertEquals(LDT_SEL, cpu.ldtSel, "LDTR from the TSS");
        assertEquals(LDT_TABLE, cpu.ldtBase);
        assertEquals(LDT_DATA, cpu.segSel[Cpu.FS], "FS names the new task's LDT");
        assertEquals(0, cpu.segSel[Cpu.GS]);
        assertEquals(KCODE, cpu.segSel[Cpu.CS]);
        assertEquals(0, cpu.cpl);
        int flags = Flags.get(cpu);
        assertEquals(Cpu.SF, flags & Cpu.ARITH_FLAGS);
        assertEquals(nested ? Cpu.NT : 0, flags & Cpu.NT, "NT set by CALL/INT only");
        assertTrue(ts(), "CR0.TS is set by every task switch");
        assertEquals(BUSY, type(TSS_B_SEL));
    }

    void assertASaved(int eip) {
        assertEquals(eip, a(0x20), "A's EIP");
        assertEquals(2 | Cpu.CF | Cpu.ZF, a(0x24) & ~Cpu.NT, "A's EFLAGS");
        for (int r = 0; r < 8; r++) {
            assertEquals(r == Cpu.ESP ? KSTACK_TOP - 0x10 : 0xA0000000 + r, a(0x28 + 4 * r), "A's reg " + r);
        }
        assertEquals(KCODE, a(0x4C) & 0xFFFF, "A's CS");
        assertEquals(KDATA, a(0x50) & 0xFFFF, "A's SS");
    }

    void assertBackInA(int eip) {
        assertEquals(TSS_SEL, cpu.trSel);
        assertEquals(eip, cpu.eip);
        for (int r = 0; r < 8; r++) assertEquals(r == Cpu.ESP ? KSTACK_TOP - 0x10 : 0xA0000000 + r, cpu.reg[r]);
        assertEquals(2 | Cpu.CF | Cpu.ZF, Flags.get(cpu));
        assertEquals(0, cpu.ldtSel, "A's TSS has a null LDT");
        assertEquals(KDATA, cpu.segSel[Cpu.FS]);
    }

    @Test void callAndIretRoundTrip() {
        assertEquals(BUSY, type(TSS_SEL));
        assertEquals(AVAILABLE, type(TSS_B_SEL));
        SystemOps.farCall(cpu, TSS_B_SEL, 0x12345678, true, A_NEXT);   // the offset is ignored
        assertInB(true);
        assertEquals(TSS_SEL, b(0) & 0xFFFF, "back link to A");
        assertEquals(BUSY, type(TSS_SEL), "CALL leaves the caller busy");
        assertASaved(A_NEXT);

        // B runs a little, then IRET with NT=1 returns to A.
        cpu.reg[Cpu.EAX] = 0xB0B0B0B0;
        ControlRegisters.clts(cpu);
        SystemOps.iret(cpu, true, B_EIP + 0x21);
        assertBackInA(A_NEXT);
        assertTrue(ts());
        assertEquals(AVAILABLE, type(TSS_B_SEL), "IRET marks the task it leaves available");
        assertEquals(BUSY, type(TSS_SEL));
        assertEquals(B_EIP + 0x21, b(0x20), "B's saved EIP is after its IRET");
        assertEquals(0xB0B0B0B0, b(0x28));
        assertEquals(0, b(0x24) & Cpu.NT, "IRET saves the outgoing EFLAGS with NT clear");
        assertEquals(Cpu.SF, b(0x24) & Cpu.ARITH_FLAGS);
    }

    @Test void jumpThroughTaskGateAndBack() {
        SystemOps.farJump(cpu, TASK_GATE, 0, true, A_NEXT);
        assertInB(false);
        assertEquals(0, b(0) & 0xFFFF, "JMP writes no back link");
        assertEquals(AVAILABLE, type(TSS_SEL), "JMP marks the task it leaves available");
        assertASaved(A_NEXT);
        // B cannot jump to itself: its TSS is busy.
        assertFault(cpu, 13, TSS_B_SEL, () -> SystemOps.farJump(cpu, TSS_B_SEL, 0, true, B_EIP + 7));
        SystemOps.farJump(cpu, TSS_SEL, 0, true, B_EIP + 7);
        assertBackInA(A_NEXT);
        assertEquals(AVAILABLE, type(TSS_B_SEL));
        assertEquals(BUSY, type(TSS_SEL));
        assertEquals(B_EIP + 7, b(0x20));
    }

    @Test void idtTaskGatePushesTheErrorCodeOnTheNewTaskStack() {
        m.gate(IDT + 8 * 8, TSS_B_SEL, 0, 0x85, 0);           // #DF through a task gate, as Linux does
        SystemOps.deliverException(cpu, 8, 0, 0);
        assertEquals(TSS_B_SEL, cpu.trSel);
        assertEquals(B_EIP, cpu.eip);
        assertEquals(B_ESP - 4, cpu.reg[Cpu.ESP]);
        assertEquals(0, m.ram.read32(B_ESP - 4), "error code 0 of #DF");
        assertEquals(TSS_SEL, b(0) & 0xFFFF);
        assertEquals(Cpu.NT, Flags.get(cpu) & Cpu.NT);
        assertEquals(0x100000, a(0x20), "a fault saves the faulting instruction's EIP");
        assertEquals(BUSY, type(TSS_SEL));
        assertEquals(BUSY, type(TSS_B_SEL));
    }

    @Test void checksBeforeTheSwitchFaultInTheOldTask() {
        // A's own TSS is busy: #GP(selector).
        assertFault(cpu, 13, TSS_SEL, () -> SystemOps.farCall(cpu, TSS_SEL, 0, true, A_NEXT));
        assertFault(cpu, 10, SMALL_TSS, () -> SystemOps.farJump(cpu, SMALL_TSS, 0, true, A_NEXT));
        assertFault(cpu, 11, NP_TSS, () -> SystemOps.farJump(cpu, NP_TSS, 0, true, A_NEXT));
        // RPL 3 > DPL 0 of the TSS descriptor or of the task gate: #GP(selector).
        assertFault(cpu, 13, TSS_B_SEL, () -> SystemOps.farJump(cpu, TSS_B_SEL | 3, 0, true, A_NEXT));
        assertFault(cpu, 13, TASK_GATE, () -> SystemOps.farJump(cpu, TASK_GATE | 3, 0, true, A_NEXT));
        // IRET with NT=1 whose back link is not a busy TSS: #TS(link).
        m.ram.write16(TSS, TSS_B_SEL);
        Flags.set(cpu, Flags.get(cpu) | Cpu.NT);
        assertFault(cpu, 10, TSS_B_SEL, () -> SystemOps.iret(cpu, true, A_NEXT));
        // Nothing changed.
        assertEquals(TSS_SEL, cpu.trSel);
        assertEquals(AVAILABLE, type(TSS_B_SEL));
        assertEquals(BUSY, type(TSS_SEL));
        assertFalse(ts());
        assertEquals(0, cpu.taskSwitches);
    }

    @Test void badSegmentInTheNewTaskFaultsInTheNewTask() {
        m.idtGate(10, HANDLER, 0x8E);
        m.ram.write16(TSS_B + 0x54, EXEC_ONLY);               // DS = execute-only code: #TS(DS)
        SystemOps.farJump(cpu, TSS_B_SEL, 0, true, A_NEXT);
        assertEquals(TSS_B_SEL, cpu.trSel, "the switch is complete");
        assertEquals(HANDLER, cpu.eip, () -> "#TS delivered in the new task " + cpu.exitMessage + " ds=" + cpu.segSel[Cpu.DS]);
        assertEquals(B_ESP - 16, cpu.reg[Cpu.ESP], "on the new task's stack");
        assertEquals(EXEC_ONLY, m.ram.read32(B_ESP - 16), "error code: the DS selector");
        assertEquals(B_EIP, m.ram.read32(B_ESP - 12), "saved EIP: the new task's first instruction");
        assertEquals(1, cpu.taskSwitches);
    }
}
