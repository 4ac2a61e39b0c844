package io.flatland.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A guest that runs through memory as code keeps a bounded decoded-instruction cache. */
class DecodeCacheBoundTest {
    @Test
    void runningThroughZeroedMemoryStaysWithinTheBound() {
        try (TestMachine m = new TestMachine()) {
            // Zeroed RAM decodes as "add [eax], al" (00 00): EAX points at a zero byte, so each one
            // adds 0 and the CPU walks on through 12 MiB of memory, two bytes per instruction.
            m.cpu.eip = 0x100000;
            m.cpu.reg[Cpu.EAX] = 0x80000;
            long insns = (12L << 20) / 2;
            ExitReason why = m.interp.run(m.cpu, insns);
            assertEquals(ExitReason.BUDGET, why);
            assertEquals(0x100000 + 2 * insns, m.cpu.eip & 0xFFFFFFFFL, "every instruction ran");
            DecodeCache cache = m.interp.decodeCache();
            assertTrue(cache.livePages() <= DecodeCache.MAX_PAGES, "decoded pages " + cache.livePages());
            assertTrue(cache.flushes >= 1, "3072 pages of code went past the bound of " + DecodeCache.MAX_PAGES);
        }
    }
}
