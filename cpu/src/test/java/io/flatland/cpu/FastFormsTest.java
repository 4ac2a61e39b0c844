package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fast form ({@link FastForms}) against its operation's generic handler: the same
 * instruction, decoded once, runs with each handler on two machines in the same random state
 * (registers, flag record, memory, a 32- or 16-bit stack, a CS limit that some transfers
 * exceed), and registers, EIP, EFLAGS, the fault raised and the memory it could touch must be
 * equal.
 */
class FastFormsTest {
    static final int DATA = 0x100000, STACK = 0x180000;

    /** Instruction templates: opcode bytes; a ModRM (random register or memory form) follows those marked. */
    record Form(int[] opcode, boolean modrm, int immBytes) { }

    static final Form[] FORMS = {
        new Form(new int[] {0x8B}, true, 0), new Form(new int[] {0x89}, true, 0),         // mov r,r/m; mov r/m,r
        new Form(new int[] {0x8D}, true, 0),                                              // lea
        new Form(new int[] {0x01}, true, 0), new Form(new int[] {0x29}, true, 0),         // add, sub
        new Form(new int[] {0x39}, true, 0), new Form(new int[] {0x21}, true, 0),         // cmp, and
        new Form(new int[] {0x09}, true, 0), new Form(new int[] {0x31}, true, 0),         // or, xor
        new Form(new int[] {0x11}, true, 0), new Form(new int[] {0x85}, true, 0),         // adc (generic), test
        new Form(new int[] {0x81}, true, 4), new Form(new int[] {0x83}, true, 1),         // alu r/m,imm
        new Form(new int[] {0x70}, false, 1), new Form(new int[] {0x0F, 0x84}, false, 4), // jcc rel8, rel32
        new Form(new int[] {0xEB}, false, 1), new Form(new int[] {0xE9}, false, 4),       // jmp
        new Form(new int[] {0xE8}, false, 4), new Form(new int[] {0xC3}, false, 0),       // call, ret
        new Form(new int[] {0xC2}, false, 2),                                             // ret imm16
        new Form(new int[] {0x50}, false, 0), new Form(new int[] {0x58}, false, 0),       // push r, pop r
        new Form(new int[] {0xB8}, false, 4),                                             // mov r,imm32
        new Form(new int[] {0x66, 0x8B}, true, 0),                                        // 16-bit: generic
    };

    @Test
    void everyFastFormEqualsTheGenericHandler() {
        Random rnd = new Random(20261205);
        int fast = 0;
        try (TestMachine a = new TestMachine(); TestMachine b = new TestMachine()) {
            for (int trial = 0; trial < 20_000; trial++) {
                Form f = FORMS[rnd.nextInt(FORMS.length)];
                byte[] code = encode(f, rnd);
                Insn inFast = new Insn(), inGeneric = new Insn();
                Decoder.decode(padded(code), 0, true, inFast);
                Decoder.decode(padded(code), 0, true, inGeneric);
                assertEquals(code.length, inFast.len, hex(code));
                inGeneric.handler = Exec.handler(inGeneric.op);
                if (inFast.handler != inGeneric.handler) fast++;
                long seed = rnd.nextLong();
                String where = "trial " + trial + " " + hex(code);
                prepare(a, new Random(seed));
                prepare(b, new Random(seed));
                String fa = run(a, inFast), fb = run(b, inGeneric);
                assertEquals(fb, fa, where + ": fault");
                assertEquals(state(b), state(a), where + ": state");
                for (int addr : new int[] {address(b, inGeneric), b.cpu.reg[Cpu.ESP] - 8, a.cpu.reg[Cpu.ESP] - 8}) {
                    for (int k = 0; k < 16; k += 4) {
                        assertEquals(b.ram.read32(addr + k), a.ram.read32(addr + k), where + ": memory at " + Integer.toHexString(addr + k));
                    }
                }
            }
        }
        assertTrue(fast > 10_000, "most trials ran a fast form: " + fast);
    }

    @Test
    void theFormsAreChosenOnlyWhereTheyApply() {
        Insn in = new Insn();
        Decoder.decode(new byte[] {(byte) 0x8B, (byte) 0xC1}, 0, true, in);
        assertNotSame(Exec.handler(Op.MOV_GE), in.handler, "mov eax,ecx in 32-bit code");
        Decoder.decode(new byte[] {0x66, (byte) 0x8B, (byte) 0xC1}, 0, true, in);
        assertEquals(Exec.handler(Op.MOV_GE), in.handler, "mov ax,cx");
        Decoder.decode(new byte[] {(byte) 0x8B, (byte) 0xC1}, 0, false, in);
        assertEquals(Exec.handler(Op.MOV_GE), in.handler, "16-bit code");
        Decoder.decode(new byte[] {0x67, (byte) 0x8B, 0x07}, 0, true, in);
        assertEquals(Exec.handler(Op.MOV_GE), in.handler, "16-bit addressing");
    }

    private static byte[] encode(Form f, Random rnd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < f.opcode.length; i++) {
            int op = f.opcode[i];
            if (i == f.opcode.length - 1) {
                if (op == 0x70) op += rnd.nextInt(16);                    // every condition
                if (op == 0x84) op = 0x80 + rnd.nextInt(16);
                if (op == 0x50 || op == 0x58 || op == 0xB8) op += rnd.nextInt(8);
            }
            out.write(op);
        }
        if (f.modrm) {
            int reg = rnd.nextInt(8), rm = rnd.nextInt(8);
            int mod = f.opcode[f.opcode.length - 1] == 0x8D ? rnd.nextInt(3) : rnd.nextInt(4);
            if (mod == 0 && rm == 5) rm = 6;                               // no absolute disp32 forms
            out.write(mod << 6 | reg << 3 | rm);
            if (mod != 3 && rm == 4) {
                int base = rnd.nextInt(8);
                if (mod == 0 && base == 5) base = 3;
                out.write(rnd.nextInt(4) << 6 | rnd.nextInt(8) << 3 | base);
            }
            if (mod == 1) out.write(rnd.nextInt(256));
            if (mod == 2) { int d = rnd.nextInt(0x400) - 0x200; out.write(d); out.write(d >> 8); out.write(d >> 16); out.write(d >> 24); }
        }
        for (int i = 0; i < f.immBytes; i++) out.write(rnd.nextInt(256));
        return out.toByteArray();
    }

    /** The instruction's bytes and some after it (the decoder may look beyond what it consumes). */
    private static byte[] padded(byte[] code) {
        return java.util.Arrays.copyOf(code, code.length + 16);
    }

    /** Registers point into DATA (small offsets, so that every address form stays in RAM); a random flag record. */
    private static void prepare(TestMachine m, Random r) {
        Cpu c = m.cpu;
        for (int i = 0; i < 8; i++) c.reg[i] = DATA + r.nextInt(0x10000);
        boolean stack32 = r.nextInt(8) != 0;
        c.stack32 = stack32;
        c.reg[Cpu.ESP] = stack32 ? STACK + 4 * r.nextInt(0x100) : 0x7000 + 4 * r.nextInt(0x100);
        c.segLimit[Cpu.CS] = r.nextInt(4) == 0 ? 0x1FFF : 0xFFFFFFFF;
        c.eip = TestMachine.CODE;
        for (int k = 0; k < 64; k++) m.ram.write32(c.reg[Cpu.ESP] - 128 + 4 * k, TestMachine.CODE + r.nextInt(0x2000));
        Alu.alu(c, r.nextInt(8), 4, r.nextInt(), r.nextInt());
    }

    private static String run(TestMachine m, Insn in) {
        try {
            in.handler.exec(m.cpu, in);
            return "none";
        } catch (GuestFault f) {
            return "vector " + f.vector;
        }
    }

    private static int address(TestMachine m, Insn in) {
        return in.mem ? Operands.ea(m.cpu, in) - 8 : DATA;
    }

    private static String state(TestMachine m) {
        Cpu c = m.cpu;
        StringBuilder sb = new StringBuilder();
        for (int r : c.reg) sb.append(Integer.toHexString(r)).append(' ');
        return sb.append("eip=").append(Integer.toHexString(c.eip)).append(" fl=").append(Integer.toHexString(Flags.get(c))).toString();
    }

    private static String hex(byte[] code) {
        StringBuilder sb = new StringBuilder();
        for (byte x : code) sb.append(String.format("%02x ", x & 0xFF));
        return sb.toString().trim();
    }
}
