package io.flatland.cpu.disasm;

import static io.flatland.cpu.Op.*;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Insn;

/**
 * Prints a decoded {@link Insn} in AT&T syntax, as {@code objdump -d} prints i386 code. There
 * is no second decoder: the bytes go through {@link Decoder} (the tables and code path that
 * execution uses) and this class only names what it produced: the operation id, sub-kind,
 * operand size, ModRM fields, effective address parts, immediates and prefixes. An encoding
 * the decoder does not know ({@code Op.UD}) prints as {@code (bad)}; bytes that end inside an
 * instruction print as {@code .byte 0x..}.
 */
public final class Disassembler {
    private Disassembler() { }

    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    private static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] SHIFT_NAMES = {"rol", "ror", "rcl", "rcr", "shl", "shr", "shl", "sar"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
    private static final String[] BT = {"bt", "bts", "btr", "btc"};

    /** One disassembled instruction: its address, length and text. */
    public record Line(int address, int length, String text) {
        @Override
        public String toString() { return String.format("0x%08x:  %s", address, text); }
    }

    /**
     * Disassembles the instruction at {@code code[off]}, which sits at guest address {@code address}
     * (relative branch targets are printed from it).
     */
    public static Line line(byte[] code, int off, int address, boolean code32) {
        Insn in = new Insn();
        try {
            Decoder.decode(code, off, code32, in);
        } catch (Decoder.Truncated t) {
            return new Line(address, 1, String.format(".byte 0x%x", code[off] & 0xFF));
        }
        return new Line(address, in.len, format(in, address));
    }

    /** The text of a decoded instruction at {@code address}: mnemonic padded as objdump pads it, operands. */
    public static String format(Insn in, int address) {
        String[] t = text(in, address);
        String mnem = prefixes(in) + t[0];
        if (t[1] == null) return mnem;
        StringBuilder sb = new StringBuilder(mnem);
        do sb.append(' '); while (sb.length() < 7);
        return sb.append(t[1]).toString();
    }

    private static String prefixes(Insn in) {
        StringBuilder p = new StringBuilder();
        if (in.lock) p.append("lock ");
        if (in.rep != 0) {
            boolean cmp = in.op == CMPS || in.op == SCAS;
            boolean string = cmp || in.op == MOVS || in.op == STOS || in.op == LODS || in.op == INS || in.op == OUTS;
            if (string) p.append(in.rep == 0xF3 ? (cmp ? "repz " : "rep ") : "repnz ");
            else p.append(in.rep == 0xF3 ? "repz " : "repnz ");
        }
        if (in.segOverride && !in.mem && !stringOp(in.op)) p.append(SEG[in.seg]).append(' ');
        return p.toString();
    }

    private static boolean stringOp(int op) {
        return op == MOVS || op == CMPS || op == STOS || op == LODS || op == SCAS || op == INS || op == OUTS || op == XLAT;
    }

    private static String reg(int size, int r) {
        return "%" + (size == 1 ? R8[r] : size == 2 ? R16[r] : R32[r]);
    }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }

    private static String imm(Insn in, int size) {
        long v = size == 1 ? in.imm & 0xFF : size == 2 ? in.imm & 0xFFFF : in.imm & 0xFFFFFFFFL;
        return "$" + hex(v);
    }

    private static char suffix(int size) { return size == 1 ? 'b' : size == 2 ? 'w' : 'l'; }

    /** The r/m operand: a register of {@code size}, or the memory reference. */
    private static String rm(Insn in, int size) {
        return in.mem ? mem(in) : reg(size, in.rm);
    }

    private static String mem(Insn in) {
        StringBuilder sb = new StringBuilder();
        if (in.segOverride) sb.append('%').append(SEG[in.seg]).append(':');
        boolean sib = in.a32 && in.hasModrm && in.rm == 4 && in.mod != 3;
        boolean noBase = in.base < 0;
        boolean hasIndex = in.index >= 0 || sib && (in.base != Cpu.ESP || in.scale != 0);
        if (!in.hasModrm || noBase && !hasIndex) {
            // moffs or a bare displacement
            return sb.append(hex(in.a32 ? in.disp & 0xFFFFFFFFL : in.disp & 0xFFFF)).toString();
        }
        boolean showDisp = in.mod != 0 || noBase;
        if (showDisp) {
            if (in.a32) sb.append(in.disp < 0 ? "-" + hex(-(long) in.disp) : hex(in.disp));
            else {
                int d = (short) in.disp;
                sb.append(d < 0 ? "-" + hex(-d) : hex(d));
            }
        }
        sb.append('(');
        if (!noBase) sb.append(reg(in.a32 ? 4 : 2, in.base));
        if (hasIndex) {
            sb.append(',').append(in.index >= 0 ? reg(in.a32 ? 4 : 2, in.index) : "%eiz");
            if (in.a32) sb.append(',').append(1 << in.scale);
        }
        return sb.append(')').toString();
    }

    private static String target(Insn in, int address) {
        int t = address + in.len + in.imm;
        if (!in.o32) t &= 0xFFFF;
        return Integer.toHexString(t);
    }

    private static String[] op(String mnemonic, String operands) { return new String[] {mnemonic, operands}; }

    private static String[] op(String mnemonic) { return new String[] {mnemonic, null}; }

    /** Mnemonic with a size suffix when nothing else tells the size (a memory operand and no register). */
    private static String sized(String m, Insn in) { return in.mem ? m + suffix(in.size) : m; }

    private static String[] text(Insn in, int address) {
        int s = in.size;
        String g = in.hasModrm ? reg(s, in.reg) : null;
        String acc = reg(s, Cpu.EAX);
        switch (in.op) {
            case UD: return in.opcode == 0x10B ? op("ud2") : op("(bad)");
            case NOP: return in.o32 || !in.code32 ? op("nop") : op("xchg", "%ax,%ax");
            case NOP_E: return op(sized("nop", in), rm(in, s));
            case ALU_EG: return op(ALU[in.sub], g + "," + rm(in, s));
            case ALU_GE: return op(ALU[in.sub], rm(in, s) + "," + g);
            case ALU_AI: return op(ALU[in.sub], imm(in, s) + "," + acc);
            case ALU_EI: return op(sized(ALU[in.sub], in), imm(in, s) + "," + rm(in, s));
            case TEST_EG: return op("test", g + "," + rm(in, s));
            case TEST_AI: return op("test", imm(in, s) + "," + acc);
            case TEST_EI: return op(sized("test", in), imm(in, s) + "," + rm(in, s));
            case INC_R: return op("inc", reg(s, in.sub));
            case DEC_R: return op("dec", reg(s, in.sub));
            case INC_E: return op(sized("inc", in), rm(in, s));
            case DEC_E: return op(sized("dec", in), rm(in, s));
            case NOT_E: return op(sized("not", in), rm(in, s));
            case NEG_E: return op(sized("neg", in), rm(in, s));
            case MUL_E: return op(sized("mul", in), rm(in, s));
            case IMUL_E: return op(sized("imul", in), rm(in, s));
            case DIV_E: return op(sized("div", in), rm(in, s));
            case IDIV_E: return op(sized("idiv", in), rm(in, s));
            case IMUL_GE: return op("imul", rm(in, s) + "," + g);
            case IMUL_GEI: return op("imul", imm(in, s) + "," + rm(in, s) + "," + g);
            case PUSH_R: return op("push", reg(s, in.sub));
            case POP_R: return op("pop", reg(s, in.sub));
            case PUSH_I: return op(in.o32 == in.code32 ? "push" : "push" + suffix(s), imm(in, s));
            case PUSH_E: return op(in.o32 == in.code32 ? "push" : "pushw", rm(in, s));
            case POP_E: return op(in.o32 == in.code32 ? "pop" : "popw", rm(in, s));
            case PUSH_SEG: return op(in.o32 == in.code32 ? "push" : "push" + suffix(s), "%" + SEG[in.sub]);
            case POP_SEG: return op(in.o32 == in.code32 ? "pop" : "pop" + suffix(s), "%" + SEG[in.sub]);
            case PUSHA: return op(in.o32 ? "pusha" : "pushaw");
            case POPA: return op(in.o32 ? "popa" : "popaw");
            case PUSHF: return op(in.o32 ? "pushf" : "pushfw");
            case POPF: return op(in.o32 ? "popf" : "popfw");
            case MOV_EG: return op("mov", g + "," + rm(in, s));
            case MOV_GE: return op("mov", rm(in, s) + "," + g);
            case MOV_ES: return op("mov", "%" + SEG[in.reg] + "," + rm(in, in.mem ? 2 : s));
            case MOV_SE: return op("mov", rm(in, in.mem || !in.o32 ? 2 : 4) + ",%" + SEG[in.reg]);
            case MOV_RI: return op("mov", imm(in, s) + "," + reg(s, in.sub));
            case MOV_EI: return op(sized("mov", in), imm(in, s) + "," + rm(in, s));
            case MOV_AO: return op("mov", mem(in) + "," + acc);
            case MOV_OA: return op("mov", acc + "," + mem(in));
            case LEA: return op("lea", mem(in) + "," + g);
            case XCHG_EG: return op("xchg", g + "," + rm(in, s));
            case XCHG_AR: return op("xchg", acc + "," + reg(s, in.sub));
            case CBW: return op(in.o32 ? "cwtl" : "cbtw");
            case CWD: return op(in.o32 ? "cltd" : "cwtd");
            case SAHF: return op("sahf");
            case LAHF: return op("lahf");
            case CMC: return op("cmc");
            case CLC: return op("clc");
            case STC: return op("stc");
            case CLI: return op("cli");
            case STI: return op("sti");
            case CLD: return op("cld");
            case STD: return op("std");
            case SALC: return op("salc");
            case JCC: return op("j" + CC[in.sub], target(in, address));
            case JMP_REL: return op("jmp", target(in, address));
            case CALL_REL: return op("call", target(in, address));
            case JMP_E: return op("jmp", "*" + rm(in, s));
            case CALL_E: return op("call", "*" + rm(in, s));
            case RET: return in.opcode == 0xC2 ? op("ret", imm(in, 2)) : op("ret");
            case RETF: return in.opcode == 0xCA ? op("lret", imm(in, 2)) : op("lret");
            case JMPF_PTR: return op("ljmp", "$" + hex(in.imm2 & 0xFFFF) + ",$" + hex(in.imm & (in.o32 ? 0xFFFFFFFFL : 0xFFFF)));
            case CALLF_PTR: return op("lcall", "$" + hex(in.imm2 & 0xFFFF) + ",$" + hex(in.imm & (in.o32 ? 0xFFFFFFFFL : 0xFFFF)));
            case JMPF_M: return op("ljmp", "*" + mem(in));
            case CALLF_M: return op("lcall", "*" + mem(in));
            case LOOP: return op("loop", target(in, address));
            case LOOPE: return op("loope", target(in, address));
            case LOOPNE: return op("loopne", target(in, address));
            case JCXZ: return op(in.a32 ? "jecxz" : "jcxz", target(in, address));
            case INT3: return op("int3");
            case INT: return op("int", imm(in, 1));
            case INTO: return op("into");
            case INT1: return op("int1");
            case IRET: return op(in.o32 ? "iret" : "iretw");
            case HLT: return op("hlt");
            case IN_I: return op("in", imm(in, 1) + "," + acc);
            case IN_D: return op("in", "(%dx)," + acc);
            case OUT_I: return op("out", acc + "," + imm(in, 1));
            case OUT_D: return op("out", acc + ",(%dx)");
            case MOVS: return op("movs" + suffix(s), strSrc(in) + "," + "%es:(" + idx(in, Cpu.EDI) + ")");
            case CMPS: return op("cmps" + suffix(s), "%es:(" + idx(in, Cpu.EDI) + ")," + strSrc(in));
            case STOS: return op("stos", acc + ",%es:(" + idx(in, Cpu.EDI) + ")");
            case LODS: return op("lods", strSrc(in) + "," + acc);
            case SCAS: return op("scas", "%es:(" + idx(in, Cpu.EDI) + ")," + acc);
            case INS: return op("ins" + suffix(s), "(%dx),%es:(" + idx(in, Cpu.EDI) + ")");
            case OUTS: return op("outs" + suffix(s), strSrc(in) + ",(%dx)");
            case XLAT: return op("xlat", strSrcBx(in));
            case SHIFT: {
                String m = SHIFT_NAMES[in.sub];
                boolean one = in.opcode == 0xD0 || in.opcode == 0xD1;
                return one ? op(sized(m, in), rm(in, s)) : op(sized(m, in), imm(in, 1) + "," + rm(in, s));
            }
            case SHIFT_CL: return op(sized(SHIFT_NAMES[in.sub], in), "%cl," + rm(in, s));
            case DAA: return op("daa");
            case DAS: return op("das");
            case AAA: return op("aaa");
            case AAS: return op("aas");
            case AAM: return op("aam", imm(in, 1));
            case AAD: return op("aad", imm(in, 1));
            case BOUND: return op("bound", g + "," + mem(in));
            case ARPL: return op("arpl", reg(2, in.reg) + "," + rm(in, 2));
            case LSEG: return op("l" + SEG[in.sub], mem(in) + "," + g);
            case ENTER: return op("enter", "$" + hex(in.imm & 0xFFFF) + ",$" + hex(in.imm2 & 0xFF));
            case LEAVE: return op("leave");
            case FWAIT: return op("fwait");
            case FPU: return X87Names.text(in);
            case SLDT: return op("sldt", rm(in, in.mem || !in.o32 ? 2 : 4));
            case STR: return op("str", rm(in, in.mem || !in.o32 ? 2 : 4));
            case LLDT: return op("lldt", rm(in, 2));
            case LTR: return op("ltr", rm(in, 2));
            case VERR: return op("verr", rm(in, 2));
            case VERW: return op("verw", rm(in, 2));
            case SGDT: return op(in.o32 ? "sgdtl" : "sgdtw", mem(in));
            case SIDT: return op(in.o32 ? "sidtl" : "sidtw", mem(in));
            case LGDT: return op(in.o32 ? "lgdtl" : "lgdtw", mem(in));
            case LIDT: return op(in.o32 ? "lidtl" : "lidtw", mem(in));
            case SMSW: return op("smsw", rm(in, in.mem ? 2 : in.o32 ? 4 : 2));
            case LMSW: return op("lmsw", rm(in, 2));
            case INVLPG: return op("invlpg", mem(in));
            case LAR: return op("lar", rm(in, in.mem ? 2 : s) + "," + g);
            case LSL: return op("lsl", rm(in, in.mem ? 2 : s) + "," + g);
            case CLTS: return op("clts");
            case INVD: return op("invd");
            case WBINVD: return op("wbinvd");
            case MOV_RC: return op("mov", "%cr" + in.reg + "," + reg(4, in.rm));
            case MOV_CR: return op("mov", reg(4, in.rm) + ",%cr" + in.reg);
            case MOV_RD: return op("mov", "%db" + in.reg + "," + reg(4, in.rm));
            case MOV_DR: return op("mov", reg(4, in.rm) + ",%db" + in.reg);
            case WRMSR: return op("wrmsr");
            case RDTSC: return op("rdtsc");
            case RDMSR: return op("rdmsr");
            case SYSENTER: return op("sysenter");
            case SYSEXIT: return op("sysexit");
            case CMOV: return op("cmov" + CC[in.sub], rm(in, s) + "," + g);
            case SETCC: return op("set" + CC[in.sub], rm(in, 1));
            case CPUID: return op("cpuid");
            case BT_EG: return op("bt", g + "," + rm(in, s));
            case BTS_EG: return op("bts", g + "," + rm(in, s));
            case BTR_EG: return op("btr", g + "," + rm(in, s));
            case BTC_EG: return op("btc", g + "," + rm(in, s));
            case BT_EI: return op(sized(BT[in.sub], in), imm(in, 1) + "," + rm(in, s));
            case SHLD_I: return op("shld", imm(in, 1) + "," + g + "," + rm(in, s));
            case SHLD_CL: return op("shld", "%cl," + g + "," + rm(in, s));
            case SHRD_I: return op("shrd", imm(in, 1) + "," + g + "," + rm(in, s));
            case SHRD_CL: return op("shrd", "%cl," + g + "," + rm(in, s));
            case CMPXCHG: return op("cmpxchg", g + "," + rm(in, s));
            case CMPXCHG8B: return op("cmpxchg8b", mem(in));
            case MOVZX: return op("movz" + suffix(in.sub) + suffix(s), rm(in, in.sub) + "," + g);
            case MOVSX: return op("movs" + suffix(in.sub) + suffix(s), rm(in, in.sub) + "," + g);
            case XADD: return op("xadd", g + "," + rm(in, s));
            case BSF: return op("bsf", rm(in, s) + "," + g);
            case BSR: return op("bsr", rm(in, s) + "," + g);
            case BSWAP: return op("bswap", reg(4, in.sub));
            default: return op("(bad)");
        }
    }

    private static String idx(Insn in, int r) { return reg(in.a32 ? 4 : 2, r); }

    private static String strSrc(Insn in) {
        return "%" + SEG[in.segOverride ? in.seg : Cpu.DS] + ":(" + idx(in, Cpu.ESI) + ")";
    }

    private static String strSrcBx(Insn in) {
        return "%" + SEG[in.segOverride ? in.seg : Cpu.DS] + ":(" + idx(in, Cpu.EBX) + ")";
    }

    /** The x87 escape opcodes (D8-DF), named from the decoded sub (the escape), ModRM.reg and r/m. */
    static final class X87Names {
        private X87Names() { }

        private static final String[][] MEM = {
            {"fadds", "fmuls", "fcoms", "fcomps", "fsubs", "fsubrs", "fdivs", "fdivrs"},
            {"flds", null, "fsts", "fstps", "fldenv", "fldcw", "fnstenv", "fnstcw"},
            {"fiaddl", "fimull", "ficoml", "ficompl", "fisubl", "fisubrl", "fidivl", "fidivrl"},
            {"fildl", "fisttpl", "fistl", "fistpl", null, "fldt", null, "fstpt"},
            {"faddl", "fmull", "fcoml", "fcompl", "fsubl", "fsubrl", "fdivl", "fdivrl"},
            {"fldl", "fisttpll", "fstl", "fstpl", "frstor", null, "fnsave", "fnstsw"},
            {"fiadds", "fimuls", "ficoms", "ficomps", "fisubs", "fisubrs", "fidivs", "fidivrs"},
            {"filds", "fisttps", "fists", "fistps", "fbld", "fildll", "fbstp", "fistpll"},
        };
        private static final String[] D9_4 = {"fchs", "fabs", null, null, "ftst", "fxam", null, null};
        private static final String[] D9_5 = {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz", null};
        private static final String[] D9_6 = {"f2xm1", "fyl2x", "fptan", "fpatan", "fxtract", "fprem1", "fdecstp", "fincstp"};
        private static final String[] D9_7 = {"fprem", "fyl2xp1", "fsqrt", "fsincos", "frndint", "fscale", "fsin", "fcos"};
        /** D8 and DC register forms (DC's subtract and divide pairs swapped, as AT&T tools print them). */
        private static final String[] D8 = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
        private static final String[] DC = {"fadd", "fmul", "fcom2", "fcomp3", "fsub", "fsubr", "fdiv", "fdivr"};
        private static final String[] DE = {"faddp", "fmulp", "fcomp5", null, "fsubp", "fsubrp", "fdivp", "fdivrp"};
        private static final String[] FCMOV = {"fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};

        static String[] text(Insn in) {
            int esc = in.sub & 7, r = in.reg, i = in.rm;
            if (in.mem) {
                String m = MEM[esc][r];
                return m == null ? op("(bad)") : op(m, mem(in));
            }
            String st = "%st(" + i + ")";
            String bad = "(bad)";
            switch (esc) {
                case 0:
                    return r == 2 || r == 3 ? op(D8[r], st) : op(D8[r], st + ",%st");
                case 1:
                    switch (r) {
                        case 0: return op("fld", st);
                        case 1: return op("fxch", st);
                        case 2: return i == 0 ? op("fnop") : op(bad);
                        case 3: return op("fstp1", st);
                        case 4: return D9_4[i] == null ? op(bad) : op(D9_4[i]);
                        case 5: return D9_5[i] == null ? op(bad) : op(D9_5[i]);
                        case 6: return op(D9_6[i]);
                        default: return op(D9_7[i]);
                    }
                case 2:
                    if (r < 4) return op(FCMOV[r], st + ",%st");
                    return r == 5 && i == 1 ? op("fucompp") : op(bad);
                case 3:
                    if (r < 4) return op(FCMOV[r + 4], st + ",%st");
                    if (r == 4) {
                        return switch (i) {
                            case 0 -> op("fneni(8087 only)");
                            case 1 -> op("fndisi(8087 only)");
                            case 2 -> op("fnclex");
                            case 3 -> op("fninit");
                            case 4 -> op("fnsetpm(287 only)");
                            default -> op(bad);
                        };
                    }
                    if (r == 5) return op("fucomi", st + ",%st");
                    if (r == 6) return op("fcomi", st + ",%st");
                    return op(bad);
                case 4:
                    return r == 2 || r == 3 ? op(DC[r], st) : op(DC[r], "%st," + st);
                case 5:
                    return switch (r) {
                        case 0 -> op("ffree", st);
                        case 1 -> op("fxch4", st);
                        case 2 -> op("fst", st);
                        case 3 -> op("fstp", st);
                        case 4 -> op("fucom", st);
                        case 5 -> op("fucomp", st);
                        default -> op(bad);
                    };
                case 6:
                    if (r == 3) return i == 1 ? op("fcompp") : op(bad);
                    return r == 2 ? op(DE[r], st) : op(DE[r], "%st," + st);
                default:
                    return switch (r) {
                        case 0 -> op("ffreep", st);
                        case 1 -> op("fxch7", st);
                        case 2 -> op("fstp8", st);
                        case 3 -> op("fstp9", st);
                        case 4 -> i == 0 ? op("fnstsw", "%ax") : op(bad);
                        case 5 -> op("fucomip", st + ",%st");
                        case 6 -> op("fcomip", st + ",%st");
                        default -> op(bad);
                    };
            }
        }
    }
}
