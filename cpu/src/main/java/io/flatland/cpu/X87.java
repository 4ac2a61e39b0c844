package io.flatland.cpu;

import io.flatland.cpu.fpu.Float80;
import io.flatland.cpu.fpu.FpuState;
import io.flatland.cpu.fpu.SoftFloat;
import io.flatland.cpu.fpu.Transcendental;

/**
 * The x87 FPU instructions (ESC opcodes D8-DF) with QEMU 7.2's observable behaviour as the
 * reference: arithmetic through {@link SoftFloat} (80-bit, RC and PC honoured), no stack
 * overflow/underflow detection (TOP just wraps, empty registers read their old contents),
 * results always the masked responses, pending unmasked exceptions (ES) delivered as #MF
 * (CR0.NE=1) only by FWAIT and FNOP. With CR0.NE=0 QEMU raises IRQ13 through FERR#; we do
 * not model that (the exception stays pending). CR0.EM or CR0.TS makes every ESC opcode
 * raise #NM (SDM Vol. 3A §2.5). FISTTP (SSE3) is executed as QEMU 7.2 does, whatever CPUID
 * says. Undefined register forms raise #UD.
 */
public final class X87 {
    private X87() { }

    static final int MF = 16;

    // x87 constants and their round-down variants (QEMU picks by RC).
    private static final Float80 PI = new Float80(0x4000, 0xc90fdaa22168c235L);
    private static final Float80 PI_D = new Float80(0x4000, 0xc90fdaa22168c234L);
    private static final Float80 LG2 = new Float80(0x3ffd, 0x9a209a84fbcff799L);
    private static final Float80 LG2_D = new Float80(0x3ffd, 0x9a209a84fbcff798L);
    private static final Float80 L2E = new Float80(0x3fff, 0xb8aa3b295c17f0bcL);
    private static final Float80 L2E_D = new Float80(0x3fff, 0xb8aa3b295c17f0bbL);
    private static final Float80 L2T = new Float80(0x4000, 0xd49a784bcd1b8afeL);
    private static final Float80 L2T_U = new Float80(0x4000, 0xd49a784bcd1b8affL);
    private static final Float80 LN2 = new Float80(0x3ffe, 0xb17217f7d1cf79acL);
    private static final Float80 LN2_D = new Float80(0x3ffe, 0xb17217f7d1cf79abL);

    /** FWAIT/FNOP: a pending unmasked exception raises #MF when CR0.NE is set. */
    static void checkPending(Cpu c) {
        if ((c.fpu.fpus & FpuState.SE) != 0 && (c.mmu.cr0() & CR0_NE) != 0) throw c.fault(MF, -1);
    }

    static final int CR0_NE = 1 << 5;

    static void esc(Cpu c, Insn in) {
        if (in.mem) escMemory(c, in, Operands.ea(c, in), c.eip);
        else escRegister(c, in, c.eip);
    }

    /** The x87 form of an ESC instruction: the opcode's low three bits, then ModRM.reg (0x00-0x3F). */
    public static int form(Insn in) { return (in.sub & 7) << 3 | in.reg; }

    /**
     * Whether the ESC instruction {@code in} touches only the FPU's state and memory: no
     * general register, no EFLAGS (FNSTSW AX, FCOMI and kin, FCMOVcc do). Translated code
     * calls {@link #escMemory}/{@link #escRegister} for these without writing its registers back.
     */
    public static boolean fpuOnly(Insn in) {
        if (in.mem) return true;
        int op = form(in);
        return switch (op) {
            case 0x3c, 0x1d, 0x1e, 0x3d, 0x3e, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1a, 0x1b -> false;
            default -> true;
        };
    }

    // ---- the frequent register forms, one method each: translated code calls the form's own
    // method (the form is known when it translates), so no switch over forms runs ----

    /** CR0.EM or CR0.TS: #NM before anything else. */
    private static FpuState fpu(Cpu c) {
        if ((c.mmu.cr0() & (Exec.CR0_EM | Exec.CR0_TS)) != 0) throw c.fault(Exec.NM, -1);
        return c.fpu;
    }

    /** The FPU's last instruction pointer: every non-control instruction records it. */
    private static void retired(Cpu c, FpuState f, int eip) {
        f.fpcs = c.segSel[Cpu.CS];
        f.fpip = eip;
    }

    /** D8 C0-FF arithmetic: ST0 = ST0 op ST(i) ({@code kind} is ModRM.reg: 0 add, 1 mul, 4-7 sub/subr/div/divr). */
    public static void arithSt0Register(Cpu c, int kind, int i, int eip) {
        FpuState f = fpu(c);
        int p = f.phys(i);
        arithSt0(f, kind, f.se[p], f.sig[p]);
        retired(c, f, eip);
    }

    /** DC/DE C0-FF arithmetic: ST(i) = ST(i) op ST0, then a pop for DE ({@code pop}). */
    public static void arithStNRegister(Cpu c, int kind, int i, boolean pop, int eip) {
        FpuState f = fpu(c);
        arithStN(f, kind, i);
        if (pop) f.pop();
        retired(c, f, eip);
    }

    /** FLD ST(i). */
    public static void fldRegister(Cpu c, int i, int eip) {
        FpuState f = fpu(c);
        pushCopy(f, i);
        retired(c, f, eip);
    }

    /** FXCH ST(i). */
    public static void fxch(Cpu c, int i, int eip) {
        FpuState f = fpu(c);
        exchange(f, i);
        retired(c, f, eip);
    }

    /** FST ST(i), and FSTP ST(i) with {@code pop}. */
    public static void fstRegister(Cpu c, int i, boolean pop, int eip) {
        FpuState f = fpu(c);
        copyFromSt0(f, i);
        if (pop) f.pop();
        retired(c, f, eip);
    }

    /** A memory form at offset {@code off} of its segment, for the instruction at {@code eip} (FPU IP). */
    public static void escMemory(Cpu c, Insn in, int off, int eip) {
        FpuState f = fpu(c);
        int op = form(in);
        boolean updateIp = true;
        boolean updateDp = true;
        switch (op) {
            case 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
                 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37 -> {
                SoftFloat sf = f.sf;
                switch (op >> 4) {
                    case 0 -> {
                        int v = Operands.read(c, in.seg, off, 4);
                        sf.flags = 0;
                        sf.fromF32To(v);
                        f.setException(sf.flags);
                    }
                    case 1 -> sf.fromLongTo(Operands.read(c, in.seg, off, 4), sf.prec);
                    case 2 -> {
                        long v = read64(c, in.seg, off);
                        sf.flags = 0;
                        sf.fromF64To(v);
                        f.setException(sf.flags);
                    }
                    default -> sf.fromLongTo((short) Operands.read(c, in.seg, off, 2), sf.prec);
                }
                arithSt0(f, op & 7, sf.resSe, sf.resSig);
                if ((op & 7) == 3) f.pop();
            }
            case 0x08, 0x18, 0x28, 0x38 -> {               // FLD m32fp / FILD m32 / FLD m64fp / FILD m16
                SoftFloat sf = f.sf;
                switch (op >> 4) {
                    case 0 -> {
                        int x = Operands.read(c, in.seg, off, 4);
                        sf.flags = 0;
                        sf.fromF32To(x);
                        pushValue(f, sf.resSe, sf.resSig);
                        f.setException(sf.flags);
                    }
                    case 1 -> {
                        sf.fromLongTo(Operands.read(c, in.seg, off, 4), 64);
                        pushValue(f, sf.resSe, sf.resSig);
                    }
                    case 2 -> {
                        long x = read64(c, in.seg, off);
                        sf.flags = 0;
                        sf.fromF64To(x);
                        pushValue(f, sf.resSe, sf.resSig);
                        f.setException(sf.flags);
                    }
                    default -> {
                        sf.fromLongTo((short) Operands.read(c, in.seg, off, 2), 64);
                        pushValue(f, sf.resSe, sf.resSig);
                    }
                }
            }
            case 0x19, 0x29, 0x39 -> {                     // FISTTP m32 / m64 / m16
                storeInt(c, in, off, op == 0x19 ? 32 : op == 0x29 ? 64 : 16, true);
                f.pop();
            }
            case 0x0a, 0x0b, 0x1a, 0x1b, 0x2a, 0x2b, 0x3a, 0x3b -> {
                switch (op >> 4) {
                    case 0 -> {
                        int lin = writable(c, in.seg, off, 4);
                        SoftFloat sf = f.sf;
                        sf.flags = 0;
                        int v = sf.toF32(f.st(0));
                        f.setException(sf.flags);
                        c.writeLin32(lin, v);
                    }
                    case 1 -> storeInt(c, in, off, 32, false);
                    case 2 -> {
                        int lin = writable(c, in.seg, off, 8);
                        SoftFloat sf = f.sf;
                        sf.flags = 0;
                        int r = f.top;
                        long v = sf.toF64(f.se[r], f.sig[r]);
                        f.setException(sf.flags);
                        c.writeLin32(lin, (int) v);
                        c.writeLin32(lin + 4, (int) (v >>> 32));
                    }
                    default -> storeInt(c, in, off, 16, false);
                }
                if ((op & 7) == 3) f.pop();
            }
            case 0x0c -> {                                 // FLDENV
                loadEnv(c, in, off);
                updateIp = updateDp = false;
            }
            case 0x0d -> {                                 // FLDCW
                f.setControl(Operands.read(c, in.seg, off, 2));
                updateIp = updateDp = false;
            }
            case 0x0e -> {                                 // FNSTENV
                storeEnv(c, in, off);
                updateIp = updateDp = false;
            }
            case 0x0f -> {                                 // FNSTCW
                Operands.write(c, in.seg, off, 2, f.fpuc);
                updateIp = updateDp = false;
            }
            case 0x1d -> {                                 // FLD m80
                int lin = Operands.linear(c, in.seg, off, 10, false);
                long lo = readLin64(c, lin);
                int hi = c.readLin16(lin + 8);
                pushValue(f, new Float80(hi, lo));
            }
            case 0x1f -> {                                 // FSTP m80
                int lin = writable(c, in.seg, off, 10);
                store80(c, lin, f.st(0));
                f.pop();
            }
            case 0x2c -> {                                 // FRSTOR
                int base = loadEnv(c, in, off);
                int size = in.o32 ? 28 : 14;
                for (int i = 0; i < 8; i++) {
                    int lin = Operands.linear(c, in.seg, off + size + 10 * i, 10, false);
                    long lo = readLin64(c, lin);
                    int hi = c.readLin16(lin + 8);
                    f.setSt(i, new Float80(hi, lo));
                }
                updateIp = updateDp = false;
            }
            case 0x2e -> {                                 // FNSAVE
                int size = in.o32 ? 28 : 14;
                writable(c, in.seg, off, size + 80);
                storeEnv(c, in, off);
                for (int i = 0; i < 8; i++) {
                    store80(c, Operands.linear(c, in.seg, off + size + 10 * i, 10, true), f.st(i));
                }
                f.init();
                updateIp = updateDp = false;
            }
            case 0x2f -> {                                 // FNSTSW m16
                Operands.write(c, in.seg, off, 2, f.statusWord());
                updateIp = updateDp = false;
            }
            case 0x3c -> fbld(c, in, off);
            case 0x3e -> {
                fbstp(c, in, off);
                f.pop();
            }
            case 0x3d -> pushValue(f, f.sf.fromLong(read64(c, in.seg, off), 64));   // FILD m64
            case 0x3f -> {                                 // FISTP m64
                storeInt(c, in, off, 64, false);
                f.pop();
            }
            default -> throw Exec.ud(c);
        }
        if (updateDp) {
            f.fpds = c.segSel[in.seg];
            f.fpdp = off;
        }
        if (updateIp) retired(c, f, eip);
    }

    /** A register form (or one without operand), for the instruction at {@code eip} (FPU IP). */
    public static void escRegister(Cpu c, Insn in, int eip) {
        FpuState f = fpu(c);
        int op = form(in);
        boolean updateIp = true;
        int i = in.rm;
        switch (op) {
            case 0x08 -> pushCopy(f, i);                   // FLD ST(i)
            case 0x09, 0x29, 0x39 -> exchange(f, i);       // FXCH
            case 0x0a -> {
                if (i != 0) throw Exec.ud(c);
                checkPending(c);                           // FNOP checks like FWAIT
                updateIp = false;
            }
            case 0x0c -> {
                switch (i) {
                    case 0 -> f.se[f.top] ^= 0x8000;           // FCHS
                    case 1 -> f.se[f.top] &= 0x7FFF;           // FABS
                    case 4 -> compare(f, Float80.ZERO, false);
                    case 5 -> fxam(f);
                    default -> throw Exec.ud(c);
                }
            }
            case 0x0d -> {
                int rcm = f.fpuc & 0xC00;
                boolean downOrChop = rcm == 0x400 || rcm == 0xC00;
                Float80 k = switch (i) {
                    case 0 -> Float80.ONE;
                    case 1 -> rcm == 0x800 ? L2T_U : L2T;
                    case 2 -> downOrChop ? L2E_D : L2E;
                    case 3 -> downOrChop ? PI_D : PI;
                    case 4 -> downOrChop ? LG2_D : LG2;
                    case 5 -> downOrChop ? LN2_D : LN2;
                    case 6 -> Float80.ZERO;
                    default -> throw Exec.ud(c);
                };
                pushValue(f, k);
            }
            case 0x0e -> {
                switch (i) {
                    case 0 -> Transcendental.f2xm1(f);
                    case 1 -> Transcendental.fyl2x(f);
                    case 2 -> Transcendental.fptan(f);
                    case 3 -> Transcendental.fpatan(f);
                    case 4 -> fxtract(f);
                    case 5 -> fprem(f, false);
                    case 6 -> { f.top = (f.top - 1) & 7; f.fpus &= ~0x4700; }
                    default -> { f.top = (f.top + 1) & 7; f.fpus &= ~0x4700; }
                }
            }
            case 0x0f -> {
                switch (i) {
                    case 0 -> fprem(f, true);
                    case 1 -> Transcendental.fyl2xp1(f);
                    case 2 -> fsqrt(f);
                    case 3 -> Transcendental.fsincos(f);
                    case 4 -> frndint(f);
                    case 5 -> fscale(f);
                    case 6 -> Transcendental.fsin(f);
                    default -> Transcendental.fcos(f);
                }
            }
            case 0x00, 0x01, 0x04, 0x05, 0x06, 0x07 -> {
                int p = f.phys(i);
                arithSt0(f, op & 7, f.se[p], f.sig[p]);
            }
            case 0x20, 0x21, 0x24, 0x25, 0x26, 0x27,
                 0x30, 0x31, 0x34, 0x35, 0x36, 0x37 -> {
                arithStN(f, op & 7, i);
                if (op >= 0x30) f.pop();
            }
            case 0x02, 0x22 -> compare(f, i, false);
            case 0x03, 0x23, 0x32 -> {
                compare(f, i, false);
                f.pop();
            }
            case 0x15, 0x33 -> {                           // FUCOMPP, FCOMPP
                if (i != 1) throw Exec.ud(c);
                compare(f, 1, op == 0x15);
                f.pop();
                f.pop();
            }
            case 0x1c -> {
                switch (i) {
                    case 0, 1, 4 -> { }                    // FENI/FDISI/FSETPM: no-ops after the 287
                    case 2 -> { f.fpus &= 0x7F00; updateIp = false; }          // FNCLEX
                    case 3 -> { f.init(); updateIp = false; }                  // FNINIT
                    default -> throw Exec.ud(c);
                }
            }
            case 0x1d -> compareEflags(c, i, true);                  // FUCOMI
            case 0x1e -> compareEflags(c, i, false);                 // FCOMI
            case 0x28 -> f.emptyMask |= 1 << ((f.top + i) & 7);       // FFREE
            case 0x2a -> copyFromSt0(f, i);                          // FST ST(i)
            case 0x2b, 0x0b, 0x3a, 0x3b -> {                         // FSTP ST(i)
                copyFromSt0(f, i);
                f.pop();
            }
            case 0x2c -> compare(f, i, true);                        // FUCOM
            case 0x2d -> {                                           // FUCOMP
                compare(f, i, true);
                f.pop();
            }
            case 0x38 -> {                                           // FFREEP
                f.emptyMask |= 1 << ((f.top + i) & 7);
                f.pop();
            }
            case 0x3c -> {                                           // FNSTSW AX
                if (i != 0) throw Exec.ud(c);
                Operands.setReg(c, 2, Cpu.EAX, f.statusWord());
            }
            case 0x3d -> {                                           // FUCOMIP
                compareEflags(c, i, true);
                f.pop();
            }
            case 0x3e -> {                                           // FCOMIP
                compareEflags(c, i, false);
                f.pop();
            }
            case 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1a, 0x1b -> {   // FCMOVcc
                int cc = switch (op & 3) { case 0 -> 2; case 1 -> 4; case 2 -> 6; default -> 10; };
                if (op >= 0x18) cc |= 1;
                if (Flags.cond(c, cc)) f.setSt(0, f.st(i));
            }
            default -> throw Exec.ud(c);
        }
        if (updateIp) retired(c, f, eip);
    }

    // ---- helpers ----

    private static void pushValue(FpuState f, Float80 v) {
        f.push();
        f.setSt(0, v);
    }

    private static void pushValue(FpuState f, int se, long sig) {
        f.push();
        f.setSt(0, se, sig);
    }

    /** Pushes a copy of ST(i) (FLD ST(i)). */
    private static void pushCopy(FpuState f, int i) {
        int p = f.phys(i);
        pushValue(f, f.se[p], f.sig[p]);
    }

    /** Swaps ST0 and ST(i) (FXCH). */
    private static void exchange(FpuState f, int i) {
        int p = f.phys(i), r = f.top;
        int se = f.se[p];
        long sig = f.sig[p];
        f.se[p] = f.se[r];
        f.sig[p] = f.sig[r];
        f.se[r] = se;
        f.sig[r] = sig;
    }

    private static void copyFromSt0(FpuState f, int i) {
        int p = f.phys(i), r = f.top;
        f.se[p] = f.se[r];
        f.sig[p] = f.sig[r];
    }

    /**
     * D8 /op and DC-less forms: ST0 = ST0 op FT0 (2, 3: compare). Operands and result stay
     * sign-exponent word and significand pairs: the registers are kept that way.
     */
    private static void arithSt0(FpuState f, int op, int bSe, long bSig) {
        if (op == 2 || op == 3) {
            compare(f, bSe, bSig, false);
            return;
        }
        int r = f.top;
        arith(f, op, r, f.se[r], f.sig[r], bSe, bSig);
    }

    /** DC/DE register forms: ST(i) = ST(i) op ST0 (4: FSUBR, 5: FSUB, 6: FDIVR, 7: FDIV). */
    private static void arithStN(FpuState f, int op, int i) {
        int r = f.top, p = f.phys(i);
        // With ST(i) first, DC's subtractions and divisions are the reverse of D8's of the same /reg.
        arith(f, op < 4 ? op : op ^ 1, p, f.se[p], f.sig[p], f.se[r], f.sig[r]);
    }

    /**
     * Physical register {@code dst} = a op b, op as D8's /reg: 0 add, 1 mul, 4 a - b, 5 b - a,
     * 6 a / b, 7 b / a; the exceptions raised are recorded.
     */
    private static void arith(FpuState f, int op, int dst, int aSe, long aSig, int bSe, long bSig) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        switch (op) {
            case 0 -> sf.addSub(aSe, aSig, bSe, bSig, false);
            case 1 -> sf.mul(aSe, aSig, bSe, bSig);
            case 4 -> sf.addSub(aSe, aSig, bSe, bSig, true);
            case 5 -> sf.addSub(bSe, bSig, aSe, aSig, true);
            case 6 -> sf.div(aSe, aSig, bSe, bSig);
            default -> sf.div(bSe, bSig, aSe, aSig);
        }
        f.se[dst] = sf.resSe;
        f.sig[dst] = sf.resSig;
        f.setException(sf.flags);
    }

    private static final int[] FCOM_CC = {0x0100, 0x4000, 0x0000, 0x4500};

    private static void compare(FpuState f, Float80 b, boolean quiet) {
        compare(f, b.se, b.sig, quiet);
    }

    /** FCOM family against ST(i). */
    private static void compare(FpuState f, int i, boolean quiet) {
        int p = f.phys(i);
        compare(f, f.se[p], f.sig[p], quiet);
    }

    private static void compare(FpuState f, int bSe, long bSig, boolean quiet) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        int r = sf.compare(f.se[f.top], f.sig[f.top], bSe, bSig, quiet);
        f.fpus = (f.fpus & ~0x4500) | FCOM_CC[r + 1];
        f.setException(sf.flags);
    }

    /** FCOMI family against ST(i). */
    private static void compareEflags(Cpu c, int i, boolean quiet) {
        FpuState f = c.fpu;
        SoftFloat sf = f.sf;
        sf.flags = 0;
        int p = f.phys(i);
        int r = sf.compare(f.se[f.top], f.sig[f.top], f.se[p], f.sig[p], quiet);
        int v = switch (r) {
            case SoftFloat.LESS -> Cpu.CF;
            case SoftFloat.EQUAL -> Cpu.ZF;
            case SoftFloat.GREATER -> 0;
            default -> Cpu.ZF | Cpu.PF | Cpu.CF;
        };
        // QEMU 7.2 keeps OF, SF and AF (hardware clears them).
        int ef = Flags.get(c);
        Flags.setArith(c, (ef & Cpu.ARITH_FLAGS & ~(Cpu.ZF | Cpu.PF | Cpu.CF)) | v);
        f.setException(sf.flags);
    }

    private static void fxam(FpuState f) {
        Float80 v = f.st(0);
        f.fpus &= ~0x4700;
        if (v.sign()) f.fpus |= 0x200;
        if (f.empty(f.top)) {
            f.fpus |= 0x4100;
            return;
        }
        int e = v.exp();
        long m = v.sig;
        if (e == 0x7FFF) {
            if (m == Float80.J) f.fpus |= 0x500;
            else if (m < 0) f.fpus |= 0x100;
        } else if (e == 0) {
            f.fpus |= m == 0 ? 0x4000 : 0x4400;
        } else if (m < 0) {
            f.fpus |= 0x400;
        }
    }

    private static void fsqrt(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        int r = f.top;
        if ((f.se[r] & 0x8000) != 0) {
            f.fpus &= ~0x4700;
            f.fpus |= 0x400;
        }
        sf.sqrt(f.se[r], f.sig[r]);
        f.se[r] = sf.resSe;
        f.sig[r] = sf.resSig;
        f.setException(sf.flags);
    }

    private static void frndint(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        f.setSt(0, sf.roundToInt(f.st(0)));
        f.setException(sf.flags);
    }

    private static void fscale(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        Float80 st0 = f.st(0), st1 = f.st(1);
        Float80 r;
        if (st1.invalidEncoding() || st0.invalidEncoding()) {
            sf.flags |= SoftFloat.IE;
            r = Float80.DEFAULT_NAN;
        } else if (st1.isNan()) {
            if (st0.isSignalingNan()) sf.flags |= SoftFloat.IE;
            r = st1;
            if (r.isSignalingNan()) {
                sf.flags |= SoftFloat.IE;
                r = new Float80(r.se, r.sig | Float80.QUIET);
            }
        } else if (st1.isInf() && !st0.isNan()) {
            if (st1.sign()) {
                if (st0.isInf()) {
                    sf.flags |= SoftFloat.IE;
                    r = Float80.DEFAULT_NAN;
                } else {
                    r = st0.sign() ? Float80.NEG_ZERO : Float80.ZERO;
                }
            } else if (st0.isZero()) {
                sf.flags |= SoftFloat.IE;
                r = Float80.DEFAULT_NAN;
            } else {
                r = st0.sign() ? Float80.NEG_INF : Float80.INF;
            }
        } else {
            int saved = sf.flags;
            int n = (int) sf.toInt(st1, 32, true);
            if ((sf.flags & SoftFloat.IE) != 0 && !st1.isNan()) n = st1.sign() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            sf.flags = saved;
            int p = sf.prec;
            sf.prec = 64;
            r = sf.scalbn(st0, n);
            sf.prec = p;
        }
        f.setSt(0, r);
        f.setException(sf.flags);
    }

    private static void fxtract(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        Float80 v = f.st(0);
        if (v.isZero()) {
            f.setSt(0, sf.div(Float80.ONE.negate(), Float80.ZERO));
            pushValue(f, v);
        } else if (v.invalidEncoding()) {
            sf.flags |= SoftFloat.IE;
            f.setSt(0, Float80.DEFAULT_NAN);
            pushValue(f, f.st(0));
        } else if (v.isNan()) {
            if (v.isSignalingNan()) {
                sf.flags |= SoftFloat.IE;
                f.setSt(0, new Float80(v.se, v.sig | Float80.QUIET));
            }
            pushValue(f, f.st(0));
        } else if (v.isInf()) {
            pushValue(f, v);
            f.setSt(1, Float80.INF);
        } else {
            int e = v.exp();
            long m = v.sig;
            int exp;
            if (e == 0) {
                int sh = Long.numberOfLeadingZeros(m);
                m <<= sh;
                exp = 1 - Float80.BIAS - sh;
                sf.flags |= SoftFloat.DE;
            } else {
                exp = e - Float80.BIAS;
            }
            f.setSt(0, sf.fromLong(exp, sf.prec));
            pushValue(f, new Float80((v.se & 0x8000) | Float80.BIAS, m));
        }
        f.setException(sf.flags);
    }

    private static void fprem(FpuState f, boolean mod) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        Float80 a = f.st(0), b = f.st(1);
        int e0 = a.exp(), e1 = b.exp();
        f.fpus &= ~0x4700;
        if (a.isZero() || b.isZero() || e0 == 0x7FFF || e1 == 0x7FFF || a.invalidEncoding() || b.invalidEncoding()) {
            f.setSt(0, sf.modrem(a, b, mod));
        } else {
            if (e0 == 0) e0 = 1 - Long.numberOfLeadingZeros(a.sig);
            if (e1 == 0) e1 = 1 - Long.numberOfLeadingZeros(b.sig);
            int d = e0 - e1;
            if (d < 64) {
                f.setSt(0, sf.modrem(a, b, mod));
                // QEMU 7.2 reports no quotient bits for FPREM1 (observed by the fuzz kernels).
                long q = mod ? sf.quotient : 0;
                f.fpus |= (int) ((q & 4) << 6) | (int) ((q & 2) << 13) | (int) ((q & 1) << 9);
            } else {
                int n = 32 + d % 32;
                Float80 t = sf.scalbn(b, d - n);
                f.setSt(0, sf.modrem(a, t, true));
                f.fpus |= 0x400;
            }
        }
        f.setException(sf.flags);
    }

    private static void storeInt(Cpu c, Insn in, int off, int bits, boolean truncate) {
        FpuState f = c.fpu;
        SoftFloat sf = f.sf;
        int size = bits / 8;
        int lin = writable(c, in.seg, off, size);
        sf.flags = 0;
        long v = sf.toInt(f.st(0), bits == 16 ? 32 : bits, truncate);
        if (bits == 16) {
            if (v != (short) v) {
                sf.flags = SoftFloat.IE;
                v = -32768;
            }
        } else if ((sf.flags & SoftFloat.IE) != 0) {
            v = bits == 32 ? 0x80000000L : Long.MIN_VALUE;
        }
        f.setException(sf.flags);
        if (bits == 16) c.writeLin16(lin, (int) v);
        else if (bits == 32) c.writeLin32(lin, (int) v);
        else {
            c.writeLin32(lin, (int) v);
            c.writeLin32(lin + 4, (int) (v >>> 32));
        }
    }

    private static void fbld(Cpu c, Insn in, int off) {
        FpuState f = c.fpu;
        int lin = Operands.linear(c, in.seg, off, 10, false);
        long val = 0;
        for (int k = 8; k >= 0; k--) {
            int v = c.readLin8(lin + k);
            val = val * 100 + (v >> 4) * 10 + (v & 15);
        }
        int saved = f.sf.flags;
        Float80 t = f.sf.fromLong(val, f.sf.prec);
        f.sf.flags = saved;
        if ((c.readLin8(lin + 9) & 0x80) != 0) t = t.negate();
        pushValue(f, t);
    }

    private static void fbstp(Cpu c, Insn in, int off) {
        FpuState f = c.fpu;
        SoftFloat sf = f.sf;
        int lin = writable(c, in.seg, off, 10);
        Float80 st0 = f.st(0);
        sf.flags = 0;
        long val = sf.toInt(st0, 64, false);
        if (val >= 1000000000000000000L || val <= -1000000000000000000L) {
            sf.flags = SoftFloat.IE;
            for (int k = 0; k < 7; k++) c.writeLin8(lin + k, 0);
            c.writeLin8(lin + 7, 0xC0);
            c.writeLin8(lin + 8, 0xFF);
            c.writeLin8(lin + 9, 0xFF);
            f.setException(sf.flags);
            return;
        }
        if (st0.sign()) {
            c.writeLin8(lin + 9, 0x80);
            val = -val;
        } else {
            c.writeLin8(lin + 9, 0);
        }
        int k = 0;
        while (k < 9 && val != 0) {
            int v = (int) (val % 100);
            val /= 100;
            c.writeLin8(lin + k++, (v / 10) << 4 | (v % 10));
        }
        while (k < 9) c.writeLin8(lin + k++, 0);
        f.setException(sf.flags);
    }

    private static void storeEnv(Cpu c, Insn in, int off) {
        FpuState f = c.fpu;
        int fsw = f.statusWord(), ftw = f.tagWord();
        if (in.o32) {
            int lin = writable(c, in.seg, off, 28);
            c.writeLin32(lin, f.fpuc);
            c.writeLin32(lin + 4, fsw);
            c.writeLin32(lin + 8, ftw);
            c.writeLin32(lin + 12, f.fpip);
            c.writeLin32(lin + 16, f.fpcs & 0xFFFF);
            c.writeLin32(lin + 20, f.fpdp);
            c.writeLin32(lin + 24, f.fpds & 0xFFFF);
        } else {
            int lin = writable(c, in.seg, off, 14);
            c.writeLin16(lin, f.fpuc);
            c.writeLin16(lin + 2, fsw);
            c.writeLin16(lin + 4, ftw);
            c.writeLin16(lin + 6, f.fpip);
            c.writeLin16(lin + 8, f.fpcs);
            c.writeLin16(lin + 10, f.fpdp);
            c.writeLin16(lin + 12, f.fpds);
        }
    }

    private static int loadEnv(Cpu c, Insn in, int off) {
        FpuState f = c.fpu;
        int lin = Operands.linear(c, in.seg, off, in.o32 ? 28 : 14, false);
        int fcw, fsw, ftw;
        if (in.o32) {
            fcw = c.readLin16(lin);
            fsw = c.readLin16(lin + 4);
            ftw = c.readLin16(lin + 8);
        } else {
            fcw = c.readLin16(lin);
            fsw = c.readLin16(lin + 2);
            ftw = c.readLin16(lin + 4);
        }
        f.setControl(fcw);
        f.setStatus(fsw);
        f.setTagWord(ftw);
        return lin;
    }

    private static int writable(Cpu c, int seg, int off, int size) {
        int lin = Operands.linear(c, seg, off, size, true);
        c.probeWrite(lin, Math.min(size, 16));
        if (size > 16) c.probeWrite(lin + size - 16, 16);
        return lin;
    }

    private static long read64(Cpu c, int seg, int off) {
        int lin = Operands.linear(c, seg, off, 8, false);
        return readLin64(c, lin);
    }

    private static long readLin64(Cpu c, int lin) {
        long lo = c.readLin32(lin) & 0xFFFFFFFFL;
        long hi = c.readLin32(lin + 4) & 0xFFFFFFFFL;
        return hi << 32 | lo;
    }

    private static void store80(Cpu c, int lin, Float80 v) {
        c.writeLin32(lin, (int) v.sig);
        c.writeLin32(lin + 4, (int) (v.sig >>> 32));
        c.writeLin16(lin + 8, v.se);
    }
}
