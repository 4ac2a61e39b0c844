package io.flatland.jit;

/**
 * The x87 instructions an operating system uses to detect and initialise an FPU
 * (FNINIT, FNCLEX, FNSTSW, FNSTCW, FLDCW) with a minimal state in {@link Cpu}. CR0.EM or
 * CR0.TS makes every ESC opcode raise #NM (SDM Vol. 3A §2.5, Table 2-2). Arithmetic is
 * not emulated: such an opcode stops the machine as unimplemented rather than compute
 * wrong values.
 */
final class X87 {
    private X87() { }

    static void esc(Cpu c, Insn in) {
        if ((c.mmu.cr0() & (Exec.CR0_EM | Exec.CR0_TS)) != 0) throw c.fault(Exec.NM, -1);
        int esc = 0xD8 + in.sub;
        int modrm = in.mod << 6 | in.reg << 3 | in.rm;
        if (!in.mem) {
            if (esc == 0xDB && modrm == 0xE3) {          // FNINIT
                c.fpuControl = 0x37F;
                c.fpuStatus = 0;
                c.fpuTag = 0xFFFF;
                return;
            }
            if (esc == 0xDB && modrm == 0xE2) {          // FNCLEX
                c.fpuStatus &= 0x7F00;
                return;
            }
            if (esc == 0xDB && (modrm == 0xE0 || modrm == 0xE1 || modrm == 0xE4)) return;   // FENI/FDISI/FSETPM: no-ops after the 8087/287
            if (esc == 0xDF && modrm == 0xE0) {          // FNSTSW AX
                Operands.setReg(c, 2, Cpu.EAX, c.fpuStatus);
                return;
            }
            if (esc == 0xD9 && modrm == 0xD0) return;    // FNOP
        } else {
            if (esc == 0xDD && in.reg == 7) {            // FNSTSW m16
                Operands.write(c, in.seg, Operands.ea(c, in), 2, c.fpuStatus);
                return;
            }
            if (esc == 0xD9 && in.reg == 7) {            // FNSTCW m16
                Operands.write(c, in.seg, Operands.ea(c, in), 2, c.fpuControl);
                return;
            }
            if (esc == 0xD9 && in.reg == 5) {            // FLDCW m16
                c.fpuControl = Operands.read(c, in.seg, Operands.ea(c, in), 2);
                return;
            }
        }
        throw new UnsupportedOperationException(String.format("x87 instruction %02X %02X at %08X", esc, modrm, c.eip));
    }
}
