package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Supplier;

import static io.flatland.jit.OneRegion.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins {@code Emitters}' in-line arithmetic (Emitters.alu, unaryOp, shift, pureShift, imul, the
 * moves and extensions, and Emit's register and memory operand helpers) to the interpreter's
 * {@code Alu} and {@code Operands}: every form the emitters handle (register, memory with the
 * in-line TLB path and the slow path, immediate, accumulator), for every ALU kind, at 8, 16 and
 * 32 bits, over edge operands, is translated alone and run beside the interpreter. The result
 * (registers and memory) and each flag the SDM defines for the instruction must agree; then the
 * flags the SDM leaves undefined must agree too, because the interpreter's choices for them
 * (QEMU's, listed in {@link Flags}) are what the machine shows and the JIT may not differ.
 */
class AluFormsTest {
    private static OneRegion r;
    private static long cases;

    @BeforeAll
    static void open() { r = new OneRegion(); }

    @AfterAll
    static void close() {
        System.out.println("alu forms: " + r.regions + " regions, " + cases + " cases");
        r.close();
    }

    static final int EAX = Cpu.EAX, ECX = Cpu.ECX, EDX = Cpu.EDX, EBX = Cpu.EBX, ESP = Cpu.ESP, ESI = Cpu.ESI, EDI = Cpu.EDI;
    static final int CF = Cpu.CF, PF = Cpu.PF, AF = Cpu.AF, ZF = Cpu.ZF, SF = Cpu.SF, OF = Cpu.OF;

    /** The memory operand: dword-aligned in a page, and one that crosses into the next page (the emitters' slow path). */
    static final int MEM = LockstepMachine.SCRATCH + 0x10, MEM_CROSS = LockstepMachine.SCRATCH + 0xFFE;

    // Flags the SDM leaves undefined (Vol. 2, each instruction's "Flags Affected"):
    /** AND, OR, XOR, TEST: "The state of the AF flag is undefined." */
    static final int LOGIC_UNDEFINED = AF;
    /** IMUL: "The SF, ZF, AF, and PF flags are undefined." */
    static final int IMUL_UNDEFINED = SF | ZF | AF | PF;

    /**
     * SAL/SAR/SHL/SHR: "For a non-zero count, the AF flag is undefined"; OF "is affected only for
     * 1-bit shifts; otherwise, it is undefined"; CF "is undefined for SHL and SHR instructions
     * where the count is greater than or equal to the size (in bits) of the destination operand".
     * A count of 0 (after masking to 5 bits) affects no flags.
     */
    static int shiftUndefined(int sub, int count, int size) {
        count &= 0x1F;
        if (count == 0) return 0;
        int u = AF;
        if (count != 1) u |= OF;
        if ((sub == 4 || sub == 5 || sub == 6) && count >= 8 * size) u |= CF;
        return u;
    }

    /** ROL/ROR/RCL/RCR: "The OF flag is defined only for the 1-bit rotates; it is undefined in all other cases." */
    static int rotateUndefined(int count) {
        return (count & 0x1F) == 1 ? 0 : OF;
    }

    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] G2 = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};

    /** Immediates of a width: edges of the operand, as the instruction encodes them (sign-extended for 83). */
    static int[] imms(int size) {
        int sign = 1 << (8 * size - 1);
        return java.util.Arrays.stream(new int[] {0, 1, 0x7F, 0x80, 0xFF, sign - 1, sign, -1}).map(v -> v & mask(size)).distinct().toArray();
    }

    static Code code(int size) { return sized(new Code(LockstepMachine.CODE), size); }

    static void imm(Code c, int size, int v) {
        if (size == 1) c.b(v); else if (size == 2) c.b(v, v >>> 8); else c.d(v);
    }

    /** ModRM + disp32 of the absolute memory operand at {@code addr} with {@code reg}. */
    static Code mem(Code c, int reg, int addr) { return c.b(reg << 3 | 5).d(addr); }

    @Test
    void aluKindsEveryForm() {
        for (int size : SIZES) {
            int w = size == 1 ? 0 : 1;
            for (int k = 0; k < 8; k++) {
                int undef = k == 1 || k == 4 || k == 6 ? LOGIC_UNDEFINED : 0;
                String n = ALU[k];
                sweep(n + " eax,ebx", size, code(size).b(k * 8 + w, modrm(EBX, EAX)), undef, -1, false);
                sweep(n + " ebx,eax (reversed)", size, code(size).b(k * 8 + 2 + w, modrm(EBX, EAX)), undef, -1, false);
                for (int addr : new int[] {MEM, MEM_CROSS}) {
                    sweep(n + " [mem],ebx", size, mem(code(size).b(k * 8 + w), EBX, addr), undef, addr, true);
                    sweep(n + " eax,[mem]", size, mem(code(size).b(k * 8 + 2 + w), EAX, addr), undef, addr, false);
                }
                for (int v : imms(size)) {
                    Code ai = code(size).b(k * 8 + 4 + w);
                    imm(ai, size, v);
                    sweep(n + " eax," + Integer.toHexString(v), size, ai, undef, -1, false);
                    Code ei = code(size).b(0x80 + w, modrm(k, EAX));
                    imm(ei, size, v);
                    sweep(n + " eax,imm " + Integer.toHexString(v), size, ei, undef, -1, false);
                    Code em = mem(code(size).b(0x80 + w), k, MEM);
                    imm(em, size, v);
                    sweep(n + " [mem],imm " + Integer.toHexString(v), size, em, undef, MEM, true);
                    if (size != 1) {
                        sweep(n + " eax,simm8 " + Integer.toHexString(v & 0xFF), size, code(size).b(0x83, modrm(k, EAX), v & 0xFF), undef, -1, false);
                        sweep(n + " [mem],simm8 " + Integer.toHexString(v & 0xFF), size, mem(code(size).b(0x83), k, MEM_CROSS).b(v & 0xFF), undef, MEM_CROSS, true);
                    }
                }
            }
        }
        assertTrue(cases > 500_000, "cases: " + cases);
    }

    @Test
    void testIncDecNotNegEveryForm() {
        for (int size : SIZES) {
            int w = size == 1 ? 0 : 1;
            sweep("test eax,ebx", size, code(size).b(0x84 + w, modrm(EBX, EAX)), LOGIC_UNDEFINED, -1, false);
            sweep("test [mem],ebx", size, mem(code(size).b(0x84 + w), EBX, MEM_CROSS), LOGIC_UNDEFINED, MEM_CROSS, true);
            for (int v : imms(size)) {
                Code ai = code(size).b(0xA8 + w);
                imm(ai, size, v);
                sweep("test al," + Integer.toHexString(v), size, ai, LOGIC_UNDEFINED, -1, false);
                Code ei = code(size).b(0xF6 + w, modrm(0, EAX));
                imm(ei, size, v);
                sweep("test eax,imm " + Integer.toHexString(v), size, ei, LOGIC_UNDEFINED, -1, false);
                Code em = mem(code(size).b(0xF6 + w), 0, MEM);
                imm(em, size, v);
                sweep("test [mem],imm " + Integer.toHexString(v), size, em, LOGIC_UNDEFINED, MEM, true);
            }
            String[] unary = {"inc", "dec", "not", "neg"};
            int[][] enc = {{0xFE, 0}, {0xFE, 1}, {0xF6, 2}, {0xF6, 3}};
            for (int u = 0; u < 4; u++) {
                sweep(unary[u] + " eax", size, code(size).b(enc[u][0] + w, modrm(enc[u][1], EAX)), 0, -1, false);
                for (int addr : new int[] {MEM, MEM_CROSS}) {
                    sweep(unary[u] + " [mem]", size, mem(code(size).b(enc[u][0] + w), enc[u][1], addr), 0, addr, true);
                }
            }
            if (size != 1) {
                for (int reg = 0; reg < 8; reg++) {
                    if (reg == ESP) continue;
                    sweep("inc r" + reg, size, code(size).b(0x40 + reg), 0, -1, false);
                    sweep("dec r" + reg, size, code(size).b(0x48 + reg), 0, -1, false);
                }
            }
        }
    }

    @Test
    void shiftsAndRotatesEveryForm() {
        for (int size : SIZES) {
            int w = size == 1 ? 0 : 1;
            for (int sub = 0; sub < 8; sub++) {
                int s = sub;
                boolean rotate = sub < 4;
                for (int count : new int[] {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 0xFF}) {
                    int undef = rotate ? rotateUndefined(count) : shiftUndefined(s, count, size);
                    Code ci = code(size).b(0xC0 + w, modrm(sub, EAX), count);
                    sweep(G2[sub] + " eax," + count, size, ci, undef, -1, false);
                    sweep(G2[sub] + " [mem]," + count, size, mem(code(size).b(0xC0 + w), sub, MEM_CROSS).b(count), undef, MEM_CROSS, true);
                    // The record dead (the CMP replaces it): Emitters.pureShift computes the result alone.
                    sweep(G2[sub] + " eax," + count + "; cmp esi,edi", size,
                            code(size).b(0xC0 + w, modrm(sub, EAX), count).b(0x39, modrm(EDI, ESI)), 0, -1, false);
                }
                int undef1 = rotate ? rotateUndefined(1) : shiftUndefined(s, 1, size);
                sweep(G2[sub] + " eax,1", size, code(size).b(0xD0 + w, modrm(sub, EAX)), undef1, -1, false);
                sweep(G2[sub] + " [mem],1", size, mem(code(size).b(0xD0 + w), sub, MEM), undef1, MEM, true);
                // By CL (ECX = the second operand value): the undefined flags depend on the count of each case.
                sweep(G2[sub] + " eax,cl", size, code(size).b(0xD2 + w, modrm(sub, EAX)), -2 - sub, -1, false);
                sweep(G2[sub] + " [mem],cl", size, mem(code(size).b(0xD2 + w), sub, MEM), -2 - sub, MEM, true);
                sweep(G2[sub] + " eax,cl; cmp esi,edi", size, code(size).b(0xD2 + w, modrm(sub, EAX)).b(0x39, modrm(EDI, ESI)), 0, -1, false);
            }
        }
    }

    /**
     * BT/BTS/BTR/BTC on memory (Emitters.bitTest): with a register offset the operand is the
     * word or dword the signed offset reaches from the address (edge offsets reach far below and
     * above it, past the end of RAM too); with an immediate, the operand itself. The flat-segment
     * path probes in line; half the cases start with a cold TLB (the slow path).
     */
    @Test
    void bitTestsOnMemoryEveryForm() {
        String[] names = {"bt", "bts", "btr", "btc"};
        for (int size : new int[] {2, 4}) {
            for (int k = 0; k < 4; k++) {
                for (int addr : new int[] {MEM, MEM_CROSS}) {
                    sweep(names[k] + " [mem],ebx", size, mem(code(size).b(0x0F, 0xA3 + 8 * k), EBX, addr), 0, addr, true);
                    sweep(names[k] + " [mem],5", size, mem(code(size).b(0x0F, 0xBA), 4 + k, addr).b(5), 0, addr, true);
                }
            }
        }
    }

    @Test
    void multiplyEveryForm() {
        for (int size : SIZES) {
            int w = size == 1 ? 0 : 1;
            // MUL: AL/AX/EAX times the operand into AX, DX:AX or EDX:EAX (AH as the operand too).
            sweep("mul ebx", size, code(size).b(0xF6 + w, modrm(4, EBX)), IMUL_UNDEFINED, -1, false);
            sweep("mul esp/ah", size, code(size).b(0xF6 + w, modrm(4, 4)), IMUL_UNDEFINED, -1, false);
            sweep("mul [mem]", size, mem(code(size).b(0xF6 + w), 4, MEM_CROSS), IMUL_UNDEFINED, MEM_CROSS, false);
        }
        for (int size : new int[] {2, 4}) {
            sweep("imul eax,ebx", size, code(size).b(0x0F, 0xAF, modrm(EAX, EBX)), IMUL_UNDEFINED, -1, false);
            sweep("imul eax,[mem]", size, mem(code(size).b(0x0F, 0xAF), EAX, MEM_CROSS), IMUL_UNDEFINED, MEM_CROSS, false);
            for (int v : imms(size)) {
                Code c = code(size).b(0x69, modrm(EAX, EBX));
                imm(c, size, v);
                sweep("imul eax,ebx," + Integer.toHexString(v), size, c, IMUL_UNDEFINED, -1, false);
                sweep("imul eax,ebx,simm8 " + Integer.toHexString(v & 0xFF), size, code(size).b(0x6B, modrm(EAX, EBX), v & 0xFF), IMUL_UNDEFINED, -1, false);
                Code m = mem(code(size).b(0x69), EAX, MEM);
                imm(m, size, v);
                sweep("imul eax,[mem]," + Integer.toHexString(v), size, m, IMUL_UNDEFINED, MEM, false);
            }
        }
    }

    /**
     * Emit.loadReg and regStoreBegin/End (Operands.getReg/setReg on the locals): every register
     * pair at every size, AH..BH included, through MOV, XCHG, MOVZX/MOVSX, CBW/CWD and MOV r,imm.
     */
    @Test
    void registerOperandsEveryRegister() {
        for (int size : SIZES) {
            int w = size == 1 ? 0 : 1;
            for (int reg = 0; reg < 8; reg++) {
                for (int rm = 0; rm < 8; rm++) {
                    sweep("mov r" + rm + ",r" + reg, size, code(size).b(0x88 + w, modrm(reg, rm)), 0, -1, false);
                    sweep("mov r" + reg + ",r" + rm + " (8a)", size, code(size).b(0x8A + w, modrm(reg, rm)), 0, -1, false);
                    sweep("xchg r" + rm + ",r" + reg, size, code(size).b(0x86 + w, modrm(reg, rm)), 0, -1, false);
                    if (size != 1) {
                        sweep("movzx r" + reg + ",r8 " + rm, size, code(size).b(0x0F, 0xB6, modrm(reg, rm)), 0, -1, false);
                        sweep("movsx r" + reg + ",r8 " + rm, size, code(size).b(0x0F, 0xBE, modrm(reg, rm)), 0, -1, false);
                        sweep("movzx r" + reg + ",r16 " + rm, size, code(size).b(0x0F, 0xB7, modrm(reg, rm)), 0, -1, false);
                        sweep("movsx r" + reg + ",r16 " + rm, size, code(size).b(0x0F, 0xBF, modrm(reg, rm)), 0, -1, false);
                    }
                }
                Code mi = code(size).b((size == 1 ? 0xB0 : 0xB8) + reg);
                imm(mi, size, 0x89ABCDEF);
                sweep("mov r" + reg + ",imm", size, mi, 0, -1, false);
                if (size != 1) sweep("xchg eax,r" + reg, size, code(size).b(0x90 + reg), 0, -1, false);
            }
            if (size != 1) {
                sweep("cbw/cwde", size, code(size).b(0x98), 0, -1, false);
                sweep("cwd/cdq", size, code(size).b(0x99), 0, -1, false);
            }
        }
    }

    /**
     * Runs the program {@code c} (then HLT) over edge values: EAX (and the memory operand when
     * {@code memIsDst}) hold the first, EBX, ECX (shift counts) and the memory operand otherwise the
     * second; the other registers are random. {@code undefined}: the flags the SDM leaves
     * undefined, or {@code -2 - sub} for a group-2 operation by CL (computed per count).
     */
    private static void sweep(String name, int size, Code c, int undefined, int addr, boolean memIsDst) {
        byte[] bytes = c.b(0xF4).bytes();
        r.load(bytes);
        Random rnd = new Random(name.hashCode() * 31L + size);
        int[] vals = ConditionsTest.values(size, rnd);
        int insns = 0;
        for (int pos = 0; pos < bytes.length - 1; insns++) pos += length(bytes, pos);
        int expectRetired = insns;
        for (int a : vals) {
            for (int b : vals) {
                for (int flags : new int[] {0, Cpu.ARITH_FLAGS}) {
                    int[] regs = new int[8];
                    for (int i = 0; i < 8; i++) regs[i] = rnd.nextInt();
                    regs[EAX] = a | regs[EAX] & ~mask(size);
                    regs[EBX] = b | regs[EBX] & ~mask(size);
                    regs[ECX] = b;
                    regs[ESP] = LockstepMachine.STACK_TOP;
                    r.state(regs, flags);
                    if (addr >= 0) {
                        long m = (memIsDst ? a : b) & 0xFFFFFFFFL | (long) rnd.nextInt() << 32;
                        for (LockstepMachine mm : new LockstepMachine[] {r.ref, r.jit}) {
                            for (int i = 0; i < 8; i++) mm.ram.write8(addr + i, (int) (m >>> 8 * i));
                            if (flags != 0) mm.mmu.tlb.flushAll(true);   // half the cases with a cold TLB: the slow path
                        }
                    }
                    Supplier<String> what = () -> name + " (" + 8 * size + " bits) eax=" + Integer.toHexString(regs[EAX])
                            + " ebx=" + Integer.toHexString(regs[EBX]) + " flags=" + Integer.toHexString(flags);
                    int retired = r.runRegion();
                    assertEquals(expectRetired, retired, () -> what.get() + ": retired");
                    r.step(retired);
                    int undef = undefined >= -1 ? undefined
                            : (-2 - undefined) < 4 ? rotateUndefined(b) : shiftUndefined(-2 - undefined, b, size);
                    int defined = Cpu.ARITH_FLAGS & ~undef;
                    assertEquals(Flags.get(r.ref.cpu) & defined, Flags.get(r.jit.cpu) & defined, () -> what.get() + ": defined flags");
                    if (addr >= 0) {
                        for (int i = 0; i < 8; i += 4) {
                            int at = addr + i;
                            assertEquals(r.ref.ram.read32(at), r.jit.ram.read32(at), () -> what.get() + ": memory at " + Integer.toHexString(at));
                        }
                    }
                    r.assertSameState(() -> what.get() + " (undefined flags included: the interpreter's choices, Flags)");
                    cases++;
                }
            }
        }
    }

    /** Instructions in the program: decoded by the interpreter's decoder on the reference machine. */
    private static int length(byte[] bytes, int pos) {
        io.flatland.cpu.Insn in = new io.flatland.cpu.Insn();
        io.flatland.cpu.Decoder.decode(r.ref.cpu, LockstepMachine.CODE + pos, in);
        return in.len;
    }
}
