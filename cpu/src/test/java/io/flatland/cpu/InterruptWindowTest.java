package io.flatland.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * When the run loop takes a pending maskable interrupt (SDM Vol. 3A §6.8.3): at the first
 * instruction boundary where IF=1 and no STI/MOV SS shadow is active — also when the
 * instructions around it are plain ALU ones that the interpreter runs in bursts.
 */
class InterruptWindowTest {
    /** A platform whose INTR line is raised once; it records the icount of the INTA cycle. */
    static final class OneIrq implements Platform {
        boolean pending = true;
        long ackAt = -1;
        @Override public boolean interruptPending() { return pending; }
        @Override public int acknowledgeInterrupt() { pending = false; ackAt = -2; return 0x20; }
        @Override public void service(Cpu c) { c.nextEventAt = Long.MAX_VALUE; }
        @Override public boolean idle(Cpu c) { return false; }
    }

    @Test
    void interruptIsTakenRightAfterTheInstructionFollowingSti() {
        try (TestMachine m = new TestMachine()) {
            OneIrq irq = new OneIrq();
            m.cpu.platform = irq;
            m.cpu.gdtBase = 0xA000;
            m.cpu.gdtLimit = 0x17;
            m.ram.write32(0xA008, 0x0000FFFF);            // flat 32-bit ring-0 code segment
            m.ram.write32(0xA00C, 0x00CF9A00);
            m.cpu.idtBase = 0x9000;
            m.cpu.idtLimit = 0x7FF;
            // Interrupt gate for vector 0x20 -> handler at 0x3000 (32-bit, DPL 0, present).
            m.ram.write32(0x9000 + 0x20 * 8, 0x3000 & 0xFFFF | 0x08 << 16);
            m.ram.write32(0x9000 + 0x20 * 8 + 4, 0x3000 & 0xFFFF0000 | 0x8E00);
            m.load(0x3000, 0xF4);                           // handler: hlt
            // sti; inc eax; inc eax; inc eax; ...; hlt
            int[] code = {0xFB, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0xF4};
            m.load(TestMachine.CODE, code);
            m.cpu.eip = TestMachine.CODE;
            m.interp.run(m.cpu, 100);
            assertFalse(irq.pending, "the interrupt was acknowledged");
            // STI's shadow lets exactly one more instruction run: one INC, then the handler.
            assertEquals(1, m.cpu.reg[Cpu.EAX], "instructions between STI and the interrupt");
            assertEquals(TestMachine.CODE + 2, m.ram.read32(TestMachine.STACK_TOP - 12), "pushed EIP");
            assertEquals(0x3001, m.cpu.eip, "halted in the handler");
        }
    }
}
