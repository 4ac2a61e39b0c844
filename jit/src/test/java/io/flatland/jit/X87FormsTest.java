package io.flatland.jit;

import io.flatland.cpu.fpu.FpuState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the JIT's x87 calls (Emitters: the register forms that call a method of their own, the
 * others through X87.escRegister/escMemory with the effective address from the register locals
 * and the instruction's EIP) to the interpreter: every defined register form of D8-DF and every
 * memory form whose operand is plain data, translated alone and run beside the interpreter from
 * the same random x87 state (register contents, TOP, empty registers, rounding and precision
 * control), must leave the same machine state (the FPU's registers, status, control, tag and
 * instruction/data pointers included) and the same memory.
 */
class X87FormsTest {
    private static OneRegion r;
    private static long cases;

    @BeforeAll
    static void open() { r = new OneRegion(); }

    @AfterAll
    static void close() {
        System.out.println("x87 forms: " + r.regions + " regions, " + cases + " cases");
        r.close();
    }

    /** The defined register forms (second byte C0-FF) of each ESC opcode, as the SDM's opcode maps list them. */
    static boolean defined(int esc, int m) {
        return switch (esc) {
            case 0xD8, 0xDC -> true;
            case 0xD9 -> m <= 0xD0 || m == 0xE0 || m == 0xE1 || m == 0xE4 || m == 0xE5
                    || (m >= 0xE8 && m <= 0xEE) || m >= 0xF0;
            case 0xDA -> m <= 0xDF || m == 0xE9;
            case 0xDB -> m <= 0xDF || m == 0xE2 || m == 0xE3 || (m >= 0xE8 && m <= 0xF7);
            case 0xDD -> m <= 0xC7 || (m >= 0xD0 && m <= 0xEF);
            case 0xDE -> m <= 0xCF || m == 0xD9 || m >= 0xE0;
            default -> m <= 0xC7 || m == 0xE0 || (m >= 0xE8 && m <= 0xF7);     // DF
        };
    }

    @Test
    void registerForms() {
        Random rnd = new Random(87);
        for (int esc = 0xD8; esc <= 0xDF; esc++) {
            for (int m = 0xC0; m <= 0xFF; m++) {
                if (!defined(esc, m)) continue;
                int e = esc, mm = m;
                r.load(new Code(LockstepMachine.CODE).b(esc, m).b(0xF4).bytes());
                for (int t = 0; t < 12; t++) {
                    runOnce(rnd, () -> String.format("%02x %02x", e, mm));
                }
            }
        }
    }

    @Test
    void memoryForms() {
        Random rnd = new Random(88);
        int base = LockstepMachine.SCRATCH + 0x100;
        for (int esc = 0xD8; esc <= 0xDF; esc++) {
            for (int reg = 0; reg < 8; reg++) {
                // Not the undefined ones, nor FLDENV/FRSTOR (their image would need building).
                if (esc == 0xD9 && (reg == 1 || reg == 4) || esc == 0xDB && (reg == 4 || reg == 6)
                        || esc == 0xDD && (reg == 4 || reg == 5)) continue;
                int e = esc, g = reg;
                // [EBX + disp8]: the effective address comes from a register local.
                r.load(new Code(LockstepMachine.CODE).b(esc, 0x40 | reg << 3 | 3, 0x10).b(0xF4).bytes());
                for (int t = 0; t < 12; t++) {
                    byte[] data = new byte[0x80];
                    rnd.nextBytes(data);
                    r.ref.load(base, data);
                    r.jit.load(base, data);
                    r.ref.cpu.reg[3] = r.jit.cpu.reg[3] = base;
                    runOnce(rnd, () -> String.format("%02x /%d", e, g));
                }
            }
        }
    }

    /** Both machines from the same random x87 state, one instruction each way, then compared. */
    private void runOnce(Random rnd, java.util.function.Supplier<String> what) {
        int[] regs = r.ref.cpu.reg.clone();
        r.state(regs, rnd.nextInt() & 0x8D5);
        int top = rnd.nextInt(8), empty = rnd.nextInt(256) & rnd.nextInt(256);
        int fpuc = 0x37F & ~0xF00 | (rnd.nextBoolean() ? 0x300 : rnd.nextInt(16) << 8);
        int[] se = new int[8];
        long[] sig = new long[8];
        for (int i = 0; i < 8; i++) {
            int kind = rnd.nextInt(8);
            se[i] = (rnd.nextBoolean() ? 0x8000 : 0) | (kind == 0 ? 0 : kind == 1 ? 0x7FFF : 0x3FFF + rnd.nextInt(80) - 40);
            sig[i] = kind == 0 && rnd.nextBoolean() ? 0 : rnd.nextLong() | (kind == 1 && rnd.nextBoolean() ? 0 : Long.MIN_VALUE);
        }
        for (LockstepMachine m : new LockstepMachine[] {r.ref, r.jit}) {
            FpuState f = m.cpu.fpu;
            f.init();
            f.setControl(fpuc);
            f.top = top;
            f.emptyMask = empty;
            System.arraycopy(se, 0, f.se, 0, 8);
            System.arraycopy(sig, 0, f.sig, 0, 8);
        }
        r.runRegion();
        r.step(1);
        cases++;
        assertEquals(r.ref.state(), r.jit.state(), what);
        assertEquals(r.ref.watchedMemory(), r.jit.watchedMemory(), () -> what.get() + ": memory");
    }
}
