package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Operands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.flatland.jit.LockstepMachine.CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins {@code Emit.ea} (the effective address unrolled into bytecode) to {@link Operands#ea}:
 * every 32-bit addressing form (mod 0, 1, 2 × r/m; with a SIB byte every scale × index,
 * index 100b = none, × base, base 101b with mod 0 = disp32 and no base; r/m 101b with mod 0 =
 * disp32 alone; SDM Vol. 2 Tables 2-2 and 2-3) and every 16-bit one (Table 2-1, run by the
 * reference semantics), with displacements at their sign edges, through LEA (the address
 * itself) and MOV (a load from it, memory holding a pattern that names each address).
 */
class AddressingTest {
    private static OneRegion r;
    private static long cases;
    private static int forms32, forms16;
    /** RAM the loads may read, filled with the pattern on both machines (above the code, below the end of RAM). */
    static final int PATTERN_FROM = 0x18000, PATTERN_TO = 0x400000;

    @BeforeAll
    static void open() {
        r = new OneRegion();
        for (LockstepMachine m : new LockstepMachine[] {r.ref, r.jit}) {
            for (int a = PATTERN_FROM; a < PATTERN_TO; a += 4) m.ram.write32(a, a * 0x9E3779B1 + 0x1234567);
        }
    }

    @AfterAll
    static void close() {
        System.out.println("addressing: " + forms32 + " 32-bit and " + forms16 + " 16-bit forms, " + r.regions + " regions, " + cases + " cases");
        r.close();
    }

    private static final int[] DISP8 = {0x7F, 0x80}, DISP32 = {0x7FFFFFF0, 0x80000010, 0x40000, 0xFFFFFF00};
    private static final int[] DISP16 = {0x7FFF, 0x8000, 0x0100};

    @Test
    void every32BitForm() {
        int formNo = 0;
        for (int mod = 0; mod < 3; mod++) {
            for (int rm = 0; rm < 8; rm++) {
                if (rm != 4) {
                    form32(mod, rm, -1, formNo++);
                    continue;
                }
                for (int sib = 0; sib < 256; sib++) form32(mod, rm, sib, formNo++);
            }
        }
        forms32 = formNo;
        assertEquals(3 * 7 + 3 * 256, formNo);
        assertTrue(cases > 100_000, "cases: " + cases);
    }

    /** One ModRM (+SIB) form with each displacement its size allows; dest register and operand size vary with the form. */
    private static void form32(int mod, int rm, int sib, int formNo) {
        boolean disp32 = mod == 2 || mod == 0 && rm == 5 || mod == 0 && sib >= 0 && (sib & 7) == 5;
        int[] disps = mod == 1 ? DISP8 : disp32 ? DISP32 : new int[] {0};
        for (int disp : disps) {
            int reg = formNo & 7;
            int size = (formNo & 8) != 0 ? 2 : 4;
            for (int load = 0; load < 2; load++) {
                Code c = new Code(CODE);
                if (size == 2) c.b(0x66);
                c.b(load == 0 ? 0x8D : 0x8B, mod << 6 | reg << 3 | rm);   // LEA / MOV reg, [form]
                if (sib >= 0) c.b(sib);
                if (mod == 1) c.b(disp); else if (disp32) c.d(disp);
                c.b(0xF4);
                run(c, load == 1, size, reg);
            }
        }
    }

    @Test
    void every16BitForm() {
        int formNo = 0;
        for (int mod = 0; mod < 3; mod++) {
            for (int rm = 0; rm < 8; rm++) {
                boolean disp16 = mod == 2 || mod == 0 && rm == 6;
                int[] disps = mod == 1 ? DISP8 : disp16 ? DISP16 : new int[] {0};
                for (int disp : disps) {
                    int reg = formNo & 7;
                    for (int load = 0; load < 2; load++) {
                        Code c = new Code(CODE).b(0x67, load == 0 ? 0x8D : 0x8B, mod << 6 | reg << 3 | rm);
                        if (mod == 1) c.b(disp); else if (disp16) c.b(disp, disp >>> 8);
                        c.b(0xF4);
                        run(c, load == 1, 4, reg);
                    }
                }
                formNo++;
            }
        }
        forms16 = formNo;
        assertEquals(24, formNo);
    }

    /**
     * Runs the one-instruction program over register sets: for LEA the destination must be
     * Operands.ea of the decoded instruction (sized); for MOV the dword the reference machine
     * holds there. Then the whole state must be the interpreter's.
     */
    private static void run(Code c, boolean load, int size, int dest) {
        r.load(c.bytes());
        Insn in = new Insn();
        Decoder.decode(r.ref.cpu, CODE, in);
        assertTrue(in.mem, "a memory form");
        Random rnd = new Random(cases);
        for (int set = 0; set < 40; set++) {
            int[] regs = new int[8];
            for (int i = 0; i < 8; i++) {
                // Loads: registers small enough that base + index*8 + disp stays in the pattern; LEA: anything.
                regs[i] = load ? 0x20000 + i * 0x1000 + rnd.nextInt(0x800)
                        : set < 4 ? new int[] {0, -1, 0x7FFFFFFF, 0x80000000}[set] ^ i : rnd.nextInt();
            }
            r.state(regs, 0);
            int ea = Operands.ea(r.ref.cpu, in);
            int expected = load ? r.ref.ram.read32(ea) : ea;
            int retired = r.runRegion();
            assertEquals(1, retired);
            int m = size == 4 ? -1 : 0xFFFF;
            int got = r.jit.cpu.reg[dest] & m;
            int set0 = set;
            assertEquals(Integer.toHexString(expected & m), Integer.toHexString(got),
                    () -> in + (load ? " loads from " : " addresses ") + Integer.toHexString(ea) + ", register set " + set0);
            r.step(1);
            r.assertSameState(() -> in + " register set " + set0);
            cases++;
        }
    }
}
