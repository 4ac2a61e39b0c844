package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Insn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bit tests where only their CF can be observed (FlagLiveness.analyse: Emitters records
 * CF alone, the other flags not folded into EFLAGS) and where more can: sequences of BT, BTS,
 * BTR, BTC (register and memory, register and immediate offsets) and SETB/SETAE, other SETcc,
 * a flag-writing instruction and the region's end, translated and run beside the interpreter
 * from random registers, flags and memory. Registers, memory and the whole of EFLAGS agree.
 */
class BitTestCarryTest {
    private static OneRegion r;
    private static final int MEM = LockstepMachine.SCRATCH + 0x200;

    @BeforeAll
    static void open() { r = new OneRegion(); }

    @AfterAll
    static void close() { r.close(); }

    // BT ECX,EDX / BT [EBX+8],EDX / BTS [EBX+8],EDX / BTR ECX,13 / BTC [EBX+8],EDX, then SETB AL, SETAE AH, SETZ DH (ZF), SETO DH (OF).
    private static final int[] BT_REG = {0x0F, 0xA3, 0xD1}, BT_MEM = {0x0F, 0xA3, 0x53, 0x08}, BTS_MEM = {0x0F, 0xAB, 0x53, 0x08},
            BTR_IMM = {0x0F, 0xBA, 0xF1, 13}, BTC_MEM = {0x0F, 0xBB, 0x53, 0x08};
    private static final int[] SETB = {0x0F, 0x92, 0xC0}, SETAE = {0x0F, 0x93, 0xC4}, SETZ = {0x0F, 0x94, 0xC6},
            SETO = {0x0F, 0x90, 0xC6};
    /** ADD ESI,EDI: writes the whole record. */
    private static final int[] ADD = {0x01, 0xFE};

    private static Code program(int[]... parts) {
        Code c = new Code(LockstepMachine.CODE);
        for (int[] p : parts) c.b(p);
        return c.b(0xF4);
    }

    @Test
    void carryAloneWhereOnlyCarryIsSeen() {
        for (int[] bt : new int[][] {BT_REG, BT_MEM, BTR_IMM}) {
            run(program(bt, SETB, ADD), 0, true);
            run(program(bt, SETB, SETAE, ADD), 0, true);
            run(program(bt, ADD), 0, true);
        }
        // A store to memory may hit the region's own code, which then leaves right after it: its flags are seen there.
        for (int[] bt : new int[][] {BTS_MEM, BTC_MEM}) run(program(bt, SETB, ADD), 0, false);
    }

    @Test
    void everyFlagWhereMoreIsSeen() {
        for (int[] bt : new int[][] {BT_REG, BT_MEM, BTS_MEM, BTR_IMM, BTC_MEM}) {
            run(program(bt, SETB, SETZ, ADD), 0, false);     // ZF kept from before
            run(program(bt, SETO, ADD), 0, false);           // OF kept from before
            run(program(bt, SETB), 0, false);                // the region's end sees them all
            // A memory bit test can fault, and the flags before it are seen there.
            run(program(BT_REG, SETB, bt, SETB, ADD), 0, bt == BT_REG || bt == BTR_IMM);
        }
    }

    /** Runs program {@code c} over random states; instruction {@code k} must (not) be found to leave only CF visible. */
    private static void run(Code c, int k, boolean expectCarryOnly) {
        byte[] bytes = c.bytes();
        r.load(bytes);
        java.util.List<Insn> insns = new java.util.ArrayList<>();
        for (int pos = 0; bytes[pos] != (byte) 0xF4; ) {
            Insn in = new Insn();
            Decoder.decode(bytes, pos, true, in);
            insns.add(in);
            pos += in.len;
        }
        boolean[] pathEnd = new boolean[insns.size()];
        pathEnd[insns.size() - 1] = true;
        assertEquals(expectCarryOnly, FlagLiveness.analyse(insns, pathEnd).carryOnly()[k], () -> java.util.Arrays.toString(bytes) + ": carry only");
        Random rnd = new Random(java.util.Arrays.hashCode(bytes));
        for (int t = 0; t < 400; t++) {
            int[] regs = new int[8];
            for (int i = 0; i < 8; i++) regs[i] = rnd.nextInt();
            regs[Cpu.EBX] = MEM;
            regs[Cpu.EDX] = rnd.nextInt(200) - 100;    // bit offsets reaching the dwords around the operand
            regs[Cpu.ESP] = LockstepMachine.STACK_TOP;
            // Flags before: random, and the lazy record of an ADD of random values (so that folding it matters).
            r.state(regs, rnd.nextInt() & Cpu.ARITH_FLAGS);
            for (LockstepMachine m : new LockstepMachine[] {r.ref, r.jit}) {
                m.cpu.flagOp = io.flatland.cpu.Flags.op(io.flatland.cpu.Flags.ADD, 4);
                m.cpu.flagDst = regs[Cpu.ESI];
                m.cpu.flagSrc = regs[Cpu.EDI];
                m.cpu.flagResult = regs[Cpu.ESI] + regs[Cpu.EDI];
            }
            Random mem = new Random(t);
            for (int i = -32; i < 48; i++) {
                int v = mem.nextInt(256);
                r.ref.ram.write8(MEM + i, v);
                r.jit.ram.write8(MEM + i, v);
            }
            int retired = r.runRegion();
            r.step(retired);
            int tt = t;
            r.assertSameState(() -> java.util.Arrays.toString(bytes) + " case " + tt);
            for (int i = -32; i < 48; i++) {
                assertEquals(r.ref.ram.read8(MEM + i), r.jit.ram.read8(MEM + i), "memory");
            }
        }
    }
}
