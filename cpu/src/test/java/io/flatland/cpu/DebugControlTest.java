package io.flatland.cpu;

import io.flatland.mmu.AccessWatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interpreter's debugger stops: breakpoints before, steps and watchpoints after an instruction. */
class DebugControlTest {
    // 0x1000 mov eax,1 / 0x1005 add eax,eax / 0x1007 mov [0x5000],eax / 0x100C mov ebx,[0x5000] / 0x1012 inc eax / 0x1013 hlt
    private static final int[] CODE = {0xB8, 1, 0, 0, 0, 0x01, 0xC0, 0xA3, 0, 0x50, 0, 0, 0x8B, 0x1D, 0, 0x50, 0, 0, 0x40, 0xF4};

    private static TestMachine machine(boolean paging) {
        TestMachine m = new TestMachine();
        if (paging) m.enablePaging();
        m.load(TestMachine.CODE, CODE);
        m.cpu.eip = TestMachine.CODE;
        m.cpu.debug = new DebugControl(m.cpu);
        return m;
    }

    @Test
    void breakpointStopsBeforeTheInstructionAndCountsNothingForIt() {
        try (TestMachine m = machine(false)) {
            assertTrue(m.cpu.debug.addBreakpoint(0x1007));
            assertEquals(ExitReason.DEBUG, m.interp.run(m.cpu, 1000));
            assertEquals(0x1007, m.cpu.eip);
            assertEquals(2, m.cpu.icount);
            assertEquals(DebugControl.Stop.BREAKPOINT, m.cpu.debug.stop);
            assertEquals(0, m.ram.read32(0x5000), "the store at the breakpoint has not run");
            // Removed, the run goes on to the HLT (IF=0: halted for good).
            assertTrue(m.cpu.debug.removeBreakpoint(0x1007));
            assertEquals(ExitReason.HALTED_FOREVER, m.interp.run(m.cpu, 1000));
            assertEquals(2, m.ram.read32(0x5000));
        }
    }

    @Test
    void stepRunsExactlyOneInstruction() {
        try (TestMachine m = machine(false)) {
            m.cpu.debug.stepping = true;
            assertEquals(ExitReason.DEBUG, m.interp.run(m.cpu, 1000));
            assertEquals(0x1005, m.cpu.eip);
            assertEquals(1, m.cpu.reg[Cpu.EAX]);
            assertEquals(ExitReason.DEBUG, m.interp.run(m.cpu, 1000));
            assertEquals(0x1007, m.cpu.eip);
            assertEquals(2, m.cpu.icount);
            assertEquals(DebugControl.Stop.STEP, m.cpu.debug.stop);
        }
    }

    @Test
    void writeWatchpointStopsAfterTheStoreUnderPaging() {
        try (TestMachine m = machine(true)) {
            m.cpu.readLin32(0x5000);   // the page is in the TLB before the watchpoint is set
            assertTrue(m.mmu.addWatchpoint(0x5002, 2, AccessWatch.WRITE));
            assertEquals(ExitReason.DEBUG, m.interp.run(m.cpu, 1000));
            assertEquals(DebugControl.Stop.WATCHPOINT, m.cpu.debug.stop);
            assertEquals(AccessWatch.WRITE, m.cpu.debug.watchKind);
            assertEquals(0x5002, m.cpu.debug.watchAddress);
            assertEquals(0x100C, m.cpu.eip, "stopped after the store");
            assertEquals(3, m.cpu.icount);
            // The load of the same dword does not trigger a write watchpoint.
            assertEquals(ExitReason.HALTED_FOREVER, m.interp.run(m.cpu, 1000));
            assertEquals(3, m.cpu.reg[Cpu.EAX]);
        }
    }

    @Test
    void readWatchpointIgnoresStoresAndFetches() {
        try (TestMachine m = machine(false)) {
            assertTrue(m.mmu.addWatchpoint(0x5000, 4, AccessWatch.READ));
            // The code page itself is watched too: fetching from it must not count as a read.
            assertTrue(m.mmu.addWatchpoint(0x1012, 1, AccessWatch.READ));
            assertEquals(ExitReason.DEBUG, m.interp.run(m.cpu, 1000));
            assertEquals(0x1012, m.cpu.eip, "stopped after the load, not after the store");
            assertEquals(2, m.cpu.reg[Cpu.EBX]);
            assertEquals(4, m.cpu.icount);
            assertEquals(ExitReason.HALTED_FOREVER, m.interp.run(m.cpu, 1000));
            assertFalse(m.cpu.debug.idle());
        }
    }
}
