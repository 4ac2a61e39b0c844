package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

import static io.flatland.jit.OneRegion.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins the translator's copies of the condition rules ({@code Emit.branchIf}: compares of the
 * record's fields when its operation is known at translation time) and of the carry
 * ({@code Emit.carry}: the borrow of a 32-bit SUB, the zero of a logic record) to
 * {@link Flags#cond} and {@code Flags.carryOf}, the interpreter's.
 *
 * <p>For every flag-record producer the translator emits in line (each ALU kind, TEST, INC,
 * DEC, NEG, SHL/SHR/SAR/SAL by constants, IMUL) and some it leaves to the reference semantics
 * (MUL, one-operand IMUL, rotates, shifts by CL, BSF, BT, SHLD/SHRD: their record reaches the
 * condition through the Cpu), in 8, 16 and 32 bits, for each of the 16 condition codes, one
 * region {@code producer; SETcc dl; CMOVcc edi, esi; Jcc +5; mov ebp, imm; hlt} is translated
 * (SETcc takes the condition, CMOVcc and Jcc its negation) and run over edge operands (0, 1,
 * -1, the signed extremes and their neighbours at each width, random values with garbage in
 * the bits above the operand) with CF and the other arithmetic flags clear and set. The three
 * results must equal {@code Flags.cond} of the record the interpreter left after the producer,
 * and the whole state at the end must equal the interpreter's after the same instructions.
 */
class ConditionsTest {
    private static OneRegion r;
    private static long cases;

    @BeforeAll
    static void open() { r = new OneRegion(); }

    @AfterAll
    static void close() {
        System.out.println("conditions: " + r.regions + " regions, " + cases + " cases");
        r.close();
    }

    /** A producer of a flag record: its name and its encoding for an operand size (dst EAX, src EBX, count CL). */
    record Producer(String name, int size, BiConsumer<Code, Integer> emit) { }

    static final int EAX = Cpu.EAX, ECX = Cpu.ECX, EDX = Cpu.EDX, EBX = Cpu.EBX, ESP = Cpu.ESP, EBP = Cpu.EBP,
            ESI = Cpu.ESI, EDI = Cpu.EDI;
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] G2 = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};

    /** Every producer at every size it exists in. */
    static List<Producer> producers() {
        List<Producer> p = new ArrayList<>();
        for (int size : SIZES) {
            int w = size == 1 ? 0 : 1;   // the opcode's w bit
            int bits = 8 * size;
            for (int k = 0; k < 8; k++) {
                int kind = k;
                p.add(new Producer(ALU[k] + " eax,ebx", size, (c, s) -> c.b(kind * 8 + w, modrm(EBX, EAX))));
                p.add(new Producer(ALU[k] + " eax,imm", size, (c, s) -> {
                    c.b(size == 1 ? 0x80 : 0x81, modrm(kind, EAX));
                    if (size == 1) c.b(0x80); else if (size == 2) c.b(0x00, 0x80); else c.d(0x80000000);
                }));
            }
            p.add(new Producer("test eax,ebx", size, (c, s) -> c.b(0x84 + w, modrm(EBX, EAX))));
            p.add(new Producer("inc eax", size, (c, s) -> c.b(0xFE + w, modrm(0, EAX))));
            p.add(new Producer("dec eax", size, (c, s) -> c.b(0xFE + w, modrm(1, EAX))));
            if (size != 1) {
                p.add(new Producer("inc eax (40)", size, (c, s) -> c.b(0x40 + EAX)));
                p.add(new Producer("dec eax (48)", size, (c, s) -> c.b(0x48 + EAX)));
            }
            p.add(new Producer("neg eax", size, (c, s) -> c.b(0xF6 + w, modrm(3, EAX))));
            for (int sub : new int[] {4, 5, 6, 7}) {
                // Counts: 0 (nothing changes), 1 (OF defined), more, the width and beyond (8/16 bits), 31, 32 (masked to 0).
                for (int count : new int[] {0, 1, 3, bits - 1, bits, bits + 1, 31, 32}) {
                    if (count > 32 || size == 4 && count == bits + 1) continue;
                    p.add(new Producer(G2[sub] + " eax," + count, size, (c, s) -> c.b(0xC0 + w, modrm(sub, EAX), count)));
                }
                p.add(new Producer(G2[sub] + " eax,1 (d1)", size, (c, s) -> c.b(0xD0 + w, modrm(sub, EAX))));
                p.add(new Producer(G2[sub] + " eax,cl", size, (c, s) -> c.b(0xD2 + w, modrm(sub, EAX))));
            }
            for (int sub = 0; sub < 4; sub++) {
                int kind = sub;
                p.add(new Producer(G2[sub] + " eax,1", size, (c, s) -> c.b(0xD0 + w, modrm(kind, EAX))));
                p.add(new Producer(G2[sub] + " eax,5", size, (c, s) -> c.b(0xC0 + w, modrm(kind, EAX), 5)));
                p.add(new Producer(G2[sub] + " eax,cl", size, (c, s) -> c.b(0xD2 + w, modrm(kind, EAX))));
            }
            p.add(new Producer("mul ebx", size, (c, s) -> c.b(0xF6 + w, modrm(4, EBX))));
            p.add(new Producer("imul ebx", size, (c, s) -> c.b(0xF6 + w, modrm(5, EBX))));
            if (size != 1) {
                p.add(new Producer("imul eax,ebx", size, (c, s) -> c.b(0x0F, 0xAF, modrm(EAX, EBX))));
                p.add(new Producer("imul eax,ebx,-3", size, (c, s) -> c.b(0x6B, modrm(EAX, EBX), -3 & 0xFF)));
                p.add(new Producer("imul eax,ebx,imm", size, (c, s) -> {
                    c.b(0x69, modrm(EAX, EBX));
                    if (size == 2) c.b(0x01, 0x40); else c.d(0x40000001);
                }));
                p.add(new Producer("bsf eax,ebx", size, (c, s) -> c.b(0x0F, 0xBC, modrm(EAX, EBX))));
                p.add(new Producer("bt eax,ebx", size, (c, s) -> c.b(0x0F, 0xA3, modrm(EBX, EAX))));
                p.add(new Producer("shld eax,ebx,3", size, (c, s) -> c.b(0x0F, 0xA4, modrm(EBX, EAX), 3)));
                p.add(new Producer("shrd eax,ebx,cl", size, (c, s) -> c.b(0x0F, 0xAD, modrm(EBX, EAX))));
            }
        }
        return p;
    }

    /** Edge operands of a width, then random ones; the caller adds garbage above the operand. */
    static int[] values(int size, Random rnd) {
        int m = mask(size);
        int sign = 1 << (8 * size - 1);
        int[] edges = {0, 1, 2, 0xF, 0x10, 0x7F, 0x80, 0x81, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, -1, -2,
                sign - 1, sign, sign + 1, rnd.nextInt(), rnd.nextInt(), rnd.nextInt()};
        return java.util.Arrays.stream(edges).map(v -> v & m).distinct().toArray();
    }

    private static final int MARK_EBP = 0x5A5A5A5A;

    @Test
    void everyConditionAfterEveryRecordKindAndSize() {
        Random rnd = new Random(12);
        for (Producer p : producers()) {
            int[] vals = values(p.size, rnd);
            for (int cc = 0; cc < 16; cc++) {
                Code c = sized(new Code(LockstepMachine.CODE), p.size);
                p.emit.accept(c, p.size);
                c.b(0x0F, 0x90 + cc, modrm(0, EDX));            // setcc dl
                c.b(0x0F, 0x40 + cc, modrm(EDI, ESI));          // cmovcc edi, esi
                c.b(0x0F, 0x80 + cc).d(5);                      // jcc over the mov
                c.b(0xB8 + EBP).d(MARK_EBP);                    // mov ebp, imm
                c.b(0xF4);
                r.load(c.bytes());
                for (int a : vals) {
                    for (int b : vals) {
                        for (int flags : new int[] {0, Cpu.ARITH_FLAGS}) {
                            check(p, cc, a, b, flags, rnd);
                        }
                    }
                }
            }
        }
        assertTrue(cases > 1_000_000, "cases run: " + cases);
    }

    private static void check(Producer p, int cc, int a, int b, int flags, Random rnd) {
        int high = ~mask(p.size);
        int[] regs = new int[8];
        regs[EAX] = a | rnd.nextInt() & high;
        regs[EBX] = b | rnd.nextInt() & high;
        regs[ECX] = b;                    // the count of shifts by CL
        regs[EDX] = rnd.nextInt();
        regs[ESI] = 0x51515151;
        regs[EDI] = 0xD1D1D1D1;
        regs[EBP] = 0x0BADBEEF;
        regs[ESP] = LockstepMachine.STACK_TOP;
        r.state(regs, flags);
        java.util.function.Supplier<String> what = () -> p.name + " (" + 8 * p.size + " bits) a=" + Integer.toHexString(regs[EAX])
                + " b=" + Integer.toHexString(regs[EBX]) + " flags=" + Integer.toHexString(flags) + " cc=" + cc;
        int retired = r.runRegion();
        r.step(1);   // the producer, on the reference side
        boolean expected = Flags.cond(r.ref.cpu, cc);
        int[] got = r.jit.cpu.reg;
        assertEquals(expected ? 1 : 0, got[EDX] & 0xFF, () -> what.get() + ": SETcc");
        assertEquals(expected ? 0x51515151 : 0xD1D1D1D1, got[EDI], () -> what.get() + ": CMOVcc");
        assertEquals(expected ? 4 : 5, retired, () -> what.get() + ": Jcc taken");
        r.step(retired - 1);
        r.assertSameState(what);
        cases++;
    }

    /**
     * Emit.carry after each record kind: ADC, SBB, INC and DEC read CF of the producer's record
     * (INC and DEC carry it into theirs); the state afterwards, EFLAGS included, must be the
     * interpreter's.
     */
    @Test
    void carryAfterEveryRecordKindAndSize() {
        Random rnd = new Random(13);
        long before = cases;
        int[][] consumers = {{0x11, modrm(ESI, EDX)}, {0x19, modrm(ESI, EDX)}, {0x40 + EDX}, {0x48 + EDX}};
        for (Producer p : producers()) {
            int[] vals = values(p.size, rnd);
            for (int[] consumer : consumers) {
                Code c = sized(new Code(LockstepMachine.CODE), p.size);
                p.emit.accept(c, p.size);
                c.b(consumer).b(0xF4);
                r.load(c.bytes());
                for (int a : vals) {
                    for (int b : vals) {
                        for (int flags : new int[] {0, Cpu.ARITH_FLAGS}) {
                            int[] regs = new int[8];
                            regs[EAX] = a | rnd.nextInt() & ~mask(p.size);
                            regs[EBX] = b;
                            regs[ECX] = b;
                            regs[EDX] = rnd.nextInt();
                            regs[ESI] = rnd.nextInt();
                            regs[ESP] = LockstepMachine.STACK_TOP;
                            r.state(regs, flags);
                            java.util.function.Supplier<String> what = () -> p.name + " (" + 8 * p.size + " bits) then "
                                    + Integer.toHexString(consumer[0]) + " a=" + Integer.toHexString(regs[EAX])
                                    + " b=" + Integer.toHexString(b) + " flags=" + Integer.toHexString(flags);
                            int retired = r.runRegion();
                            assertEquals(2, retired, () -> what.get() + ": retired");
                            r.step(2);
                            r.assertSameState(what);
                            cases++;
                        }
                    }
                }
            }
        }
        assertTrue(cases - before > 100_000, "cases run: " + (cases - before));
    }
}
