package io.flatland.jit;

import io.flatland.cpu.DebugControl;
import io.flatland.cpu.ExitReason;
import io.flatland.mmu.AccessWatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A debugger's breakpoints and watchpoints set after the code is translated: the JIT engine
 * stops at the same instruction, with the same instruction count, as the interpreter, and runs
 * translated code again once they are gone.
 */
class DebugStopTest {
    private static final int C = LockstepMachine.CODE, S = LockstepMachine.SCRATCH;
    /** ecx = 0; loop: inc ecx; mov [S], ecx; cmp ecx, 100000; jne loop; hlt */
    private static final byte[] LOOP = {
        (byte) 0xB9, 0, 0, 0, 0,
        0x41,
        (byte) 0x89, 0x0D, (byte) S, (byte) (S >>> 8), (byte) (S >>> 16), (byte) (S >>> 24),
        (byte) 0x81, (byte) 0xF9, (byte) 0xA0, (byte) 0x86, 0x01, 0x00,
        0x75, (byte) 0xF1,
        (byte) 0xF4};

    private static LockstepMachine machine(boolean jit) {
        LockstepMachine m = new LockstepMachine(jit, true, 100, 0, null);
        m.load(C, LOOP);
        return m;
    }

    @Test
    void breakpointAndWatchpointStopBothEnginesAtTheSameInstruction() {
        try (LockstepMachine interp = machine(false); LockstepMachine jit = machine(true)) {
            for (LockstepMachine m : new LockstepMachine[] {interp, jit}) {
                assertEquals(ExitReason.BUDGET, m.run(5001));
            }
            long regionsBefore = jit.jit.blocksRun;
            assertTrue(regionsBefore > 0, "the loop runs translated before the debugger steps in");
            assertEquals(interp.state(), jit.state());

            for (LockstepMachine m : new LockstepMachine[] {interp, jit}) {
                DebugControl d = new DebugControl(m.cpu);
                d.addBreakpoint(C + 12);
                m.cpu.debug = d;
                assertEquals(ExitReason.DEBUG, m.run(1_000_000));
                assertEquals(DebugControl.Stop.BREAKPOINT, d.stop);
                assertEquals(C + 12, m.cpu.eip);
                d.removeBreakpoint(C + 12);
                // The next store to S: a write watchpoint stops after the MOV.
                m.mmu.addWatchpoint(S, 4, AccessWatch.WRITE);
                assertEquals(ExitReason.DEBUG, m.run(1_000_000));
                assertEquals(DebugControl.Stop.WATCHPOINT, d.stop);
                assertEquals(S, d.watchAddress);
                assertEquals(C + 12, m.cpu.eip);
                m.mmu.accessWatch.clear();
                assertTrue(d.idle());
                m.cpu.debug = null;
            }
            assertEquals(interp.state(), jit.state(), "same instruction, same count");
            assertEquals(regionsBefore, jit.jit.blocksRun, "no translated code ran while the debugger had points set");

            for (LockstepMachine m : new LockstepMachine[] {interp, jit}) {
                assertEquals(ExitReason.HALTED_FOREVER, m.run(10_000_000));
                assertNull(m.cpu.debug);
            }
            assertEquals(interp.state(), jit.state());
            assertEquals(100000, interp.ram.read32(S));
            assertTrue(jit.jit.blocksRun > regionsBefore, "translated code runs again afterwards");
        }
    }
}
