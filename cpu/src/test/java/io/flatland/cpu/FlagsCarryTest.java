package io.flatland.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CF-only shortcut must agree with the full flag computation for every record kind. */
class FlagsCarryTest {
    @Test
    void carryEqualsTheCfOfTheFullComputation() {
        SplittableRandom rnd = new SplittableRandom(42);
        int[] edge = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
        for (int kind = Flags.ADD; kind <= Flags.MUL; kind++) {
            for (int size : new int[] {1, 2, 4}) {
                int op = Flags.op(kind, size);
                for (int i = 0; i < 20000; i++) {
                    int dst = i < 121 ? edge[i % 11] : rnd.nextInt();
                    int src = i < 121 ? edge[i / 11] : rnd.nextInt();
                    int cin = rnd.nextInt(2);
                    // Results as the ALU would record them, so ADC/SBB carry-in inference is exercised.
                    int res = switch (kind) {
                        case Flags.ADD -> dst + src;
                        case Flags.ADC -> dst + src + cin;
                        case Flags.SUB -> dst - src;
                        case Flags.SBB -> dst - src - cin;
                        default -> rnd.nextInt();
                    };
                    if (kind == Flags.ADC || kind == Flags.SBB || kind == Flags.ADD || kind == Flags.SUB) {
                        int m = size == 4 ? -1 : (1 << (8 * size)) - 1;
                        dst &= m; src &= m;
                    }
                    assertEquals(Flags.compute(op, res, src, dst) & Cpu.CF, Flags.carry(op, res, src, dst),
                            "kind " + kind + " size " + size + " res " + res + " src " + src + " dst " + dst);
                }
            }
        }
    }
}
