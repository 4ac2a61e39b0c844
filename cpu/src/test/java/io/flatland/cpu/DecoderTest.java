package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Instruction lengths and operand forms, checked against SDM Vol. 2A ch. 2 encodings. */
class DecoderTest {
    private final TestMachine m = new TestMachine();

    @AfterEach
    void close() { m.close(); }

    private Insn decode(int... bytes) {
        m.load(0x3000, bytes);
        Insn in = new Insn();
        Decoder.decode(m.cpu, 0x3000, in);
        return in;
    }

    @Test
    void sibWithEspBaseDefaultsToSs() {
        Insn in = decode(0x8B, 0x44, 0x24, 0x08);   // mov eax,[esp+8]
        assertEquals(Op.MOV_GE, in.op);
        assertEquals(4, in.len);
        assertEquals(Cpu.ESP, in.base);
        assertEquals(-1, in.index);
        assertEquals(8, in.disp);
        assertEquals(Cpu.SS, in.seg);
        assertEquals(Cpu.EAX, in.reg);
    }

    @Test
    void sibIndexScaleNoBase() {
        Insn in = decode(0x8B, 0x04, 0x8D, 0x00, 0x10, 0x00, 0x00);   // mov eax,[ecx*4+0x1000]
        assertEquals(7, in.len);
        assertEquals(-1, in.base);
        assertEquals(Cpu.ECX, in.index);
        assertEquals(2, in.scale);
        assertEquals(0x1000, in.disp);
        assertEquals(Cpu.DS, in.seg);
    }

    @Test
    void disp32Only() {
        Insn in = decode(0x8B, 0x05, 0x78, 0x56, 0x34, 0x12);
        assertEquals(6, in.len);
        assertEquals(-1, in.base);
        assertEquals(0x12345678, in.disp);
    }

    @Test
    void ebpBaseDisp8IsStackSegment() {
        Insn in = decode(0x8B, 0x45, 0xFC);   // mov eax,[ebp-4]
        assertEquals(3, in.len);
        assertEquals(Cpu.EBP, in.base);
        assertEquals(-4, in.disp);
        assertEquals(Cpu.SS, in.seg);
    }

    @Test
    void operandSizePrefix() {
        Insn in = decode(0x66, 0xB8, 0x34, 0x12);   // mov ax,0x1234
        assertEquals(4, in.len);
        assertEquals(2, in.size);
        assertEquals(0x1234, in.imm);
    }

    @Test
    void addressSizePrefixGives16BitForms() {
        Insn in = decode(0x67, 0x8B, 0x00);   // mov eax,[bx+si]
        assertEquals(3, in.len);
        assertFalse(in.a32);
        assertEquals(Cpu.EBX, in.base);
        assertEquals(Cpu.ESI, in.index);
        assertEquals(4, in.size);
    }

    @Test
    void sixteenBitCodeBpDisp8() {
        m.cpu.code32 = false;
        Insn in = decode(0x8B, 0x46, 0xFE);   // mov ax,[bp-2]
        assertEquals(3, in.len);
        assertEquals(2, in.size);
        assertEquals(Cpu.EBP, in.base);
        assertEquals(-2, in.disp);
        assertEquals(Cpu.SS, in.seg);
    }

    @Test
    void sixteenBitDirectAddress() {
        m.cpu.code32 = false;
        Insn in = decode(0x8B, 0x1E, 0x34, 0x12);   // mov bx,[0x1234]
        assertEquals(4, in.len);
        assertEquals(-1, in.base);
        assertEquals(0x1234, in.disp);
        assertEquals(Cpu.DS, in.seg);
    }

    @Test
    void sixteenBitCodeWith66Is32BitOperand() {
        m.cpu.code32 = false;
        Insn in = decode(0x66, 0xB8, 0x78, 0x56, 0x34, 0x12);
        assertEquals(6, in.len);
        assertEquals(4, in.size);
        assertEquals(0x12345678, in.imm);
    }

    @Test
    void moffsWithSegmentOverride() {
        Insn in = decode(0x64, 0xA1, 0x10, 0x00, 0x00, 0x00);   // mov eax,fs:[0x10]
        assertEquals(Op.MOV_AO, in.op);
        assertEquals(6, in.len);
        assertEquals(Cpu.FS, in.seg);
        assertEquals(0x10, in.disp);
    }

    @Test
    void repPrefixAndStringOp() {
        Insn in = decode(0xF3, 0xA5);
        assertEquals(Op.MOVS, in.op);
        assertEquals(0xF3, in.rep);
        assertEquals(2, in.len);
        assertEquals(4, in.size);
    }

    @Test
    void group1Immediates() {
        Insn a = decode(0x81, 0xC3, 0x78, 0x56, 0x34, 0x12);   // add ebx,0x12345678
        assertEquals(Op.ALU_EI, a.op);
        assertEquals(Alu.ADD_K, a.sub);
        assertEquals(6, a.len);
        assertEquals(0x12345678, a.imm);
        Insn b = decode(0x83, 0xEB, 0xFF);   // sub ebx,-1 (imm8 sign-extended)
        assertEquals(Alu.SUB_K, b.sub);
        assertEquals(3, b.len);
        assertEquals(-1, b.imm);
    }

    @Test
    void group3TestHasImmediateOthersDoNot() {
        Insn t = decode(0xF6, 0xC3, 0x01);
        assertEquals(Op.TEST_EI, t.op);
        assertEquals(3, t.len);
        Insn n = decode(0xF7, 0xD8);
        assertEquals(Op.NEG_E, n.op);
        assertEquals(2, n.len);
        Insn t32 = decode(0xF7, 0x05, 0, 0, 0, 0, 1, 0, 0, 0);   // test dword [0],1
        assertEquals(10, t32.len);
        assertEquals(1, t32.imm);
    }

    @Test
    void lockRules() {
        assertEquals(Op.ALU_EG, decode(0xF0, 0x01, 0x03).op);   // lock add [ebx],eax
        assertEquals(Op.UD, decode(0xF0, 0x01, 0xC3).op);       // register destination
        assertEquals(Op.UD, decode(0xF0, 0x39, 0x03).op);       // CMP is not lockable
        assertEquals(Op.UD, decode(0xF0, 0x8B, 0x03).op);       // MOV is not lockable
        assertEquals(Op.CMPXCHG, decode(0xF0, 0x0F, 0xB1, 0x0B).op);
    }

    @Test
    void twoByteOpcodes() {
        Insn z = decode(0x0F, 0xB6, 0xC1);   // movzx eax,cl
        assertEquals(Op.MOVZX, z.op);
        assertEquals(1, z.sub);
        assertEquals(3, z.len);
        Insn j = decode(0x0F, 0x84, 0x10, 0, 0, 0);
        assertEquals(Op.JCC, j.op);
        assertEquals(4, j.sub);
        assertEquals(6, j.len);
        assertEquals(Op.UD, decode(0x0F, 0x0B).op);
        Insn cr = decode(0x0F, 0x20, 0x00);   // mov eax,cr0 encoded with mod=0: no displacement
        assertEquals(Op.MOV_RC, cr.op);
        assertEquals(3, cr.len);
        assertFalse(cr.mem);
        Insn bt = decode(0x0F, 0xBA, 0xE0, 0x05);   // bt eax,5
        assertEquals(Op.BT_EI, bt.op);
        assertEquals(4, bt.len);
    }

    @Test
    void farPointerAndEnter() {
        Insn jf = decode(0xEA, 0x78, 0x56, 0x34, 0x12, 0x08, 0x00);
        assertEquals(Op.JMPF_PTR, jf.op);
        assertEquals(7, jf.len);
        assertEquals(0x12345678, jf.imm);
        assertEquals(8, jf.imm2);
        Insn e = decode(0xC8, 0x10, 0x00, 0x01);
        assertEquals(Op.ENTER, e.op);
        assertEquals(4, e.len);
        assertEquals(0x10, e.imm);
        assertEquals(1, e.imm2);
    }

    @Test
    void longestLegalAndTooLong() {
        int[] ok = new int[15];
        java.util.Arrays.fill(ok, 0x66);
        ok[14] = 0x90;
        assertEquals(15, decode(ok).len);
        int[] bad = new int[16];
        java.util.Arrays.fill(bad, 0x66);
        bad[15] = 0x90;
        GuestFault f = assertThrows(GuestFault.class, () -> decode(bad));
        assertEquals(13, f.vector);
    }

    @Test
    void undefinedOpcodesAreUd() {
        assertEquals(Op.UD, decode(0xFF, 0xF8).op);   // FF /7
        assertEquals(Op.UD, decode(0x8F, 0xC8).op);   // 8F /1
        assertEquals(Op.UD, decode(0x0F, 0xFF).op);
        assertEquals(Op.UD, decode(0xFE, 0xD0).op);   // FE /2
    }
}
