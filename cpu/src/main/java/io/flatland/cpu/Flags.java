package io.flatland.cpu;

/**
 * Lazy arithmetic flags. An instruction that sets flags records what it did in
 * {@code cpu.flagOp} (kind &lt;&lt; 2 | size code) with its operands and result; CF, PF, AF,
 * ZF, SF and OF are computed from that record only when something reads them.
 * {@link #NONE} means {@code cpu.eflags} itself holds the flags.
 *
 * <p>Where the SDM leaves a flag undefined we produce what QEMU 7.2 produces, so that
 * runs compare equal with the reference machine:
 * <ul>
 * <li>AND/OR/XOR/TEST: AF = 0.
 * <li>MUL/IMUL: CF = OF = (the result does not fit the low half); SF, ZF, PF from the low
 *     half of the result; AF = 0.
 * <li>SHL/SHR/SAR (count != 0): CF = last bit shifted out; OF = MSB(result) XOR MSB(operand
 *     shifted by count-1) for every count (the SDM defines it for count 1 only); AF = 0. Counts
 *     are computed in 32 bits, so byte/word counts beyond the width give CF = 0 (SHL/SHR).
 * <li>ROL/ROR/RCL/RCR: OF by the count-1 formula for every count; flags untouched when the
 *     masked count is 0 (and for RCL/RCR when count mod 9/17 is 0).
 * <li>BSF/BSR: flags as a logic operation on the source (ZF = source is 0, SF/PF from the
 *     source, CF = OF = AF = 0); the destination is left unchanged when the source is 0.
 * <li>BT/BTS/BTR/BTC: only CF changes.
 * <li>DAA/DAS: OF = 0. AAA/AAS: ZF/SF/PF/OF unchanged. AAM/AAD: flags as a logic
 *     operation on AL (CF = OF = AF = 0).
 * <li>SHLD/SHRD: as SHL/SHR for the same count, where "operand shifted by count-1" is, for
 *     SHRD, the destination alone (32 bits) or the 32-bit src:dst pair (16 bits), as QEMU keeps it.
 * <li>DIV/IDIV: flags unchanged.
 * </ul>
 */
public final class Flags {
    private Flags() { }

    public static final int NONE = 0;
    // Kinds (the record's flagOp is kind << 2 | size code 0/1/2 for 8/16/32 bits).
    public static final int ADD = 1, ADC = 2, SUB = 3, SBB = 4, LOGIC = 5, INC = 6, DEC = 7,
            SHL = 8, SHR = 9, SAR = 10, MUL = 11;

    public static int op(int kind, int size) { return kind << 2 | (size >> 1); }

    private static final int[] MASK = {0xFF, 0xFFFF, 0xFFFFFFFF};
    private static final int[] SIGN = {0x80, 0x8000, 0x80000000};

    private static final byte[] PARITY = new byte[256];
    static {
        for (int i = 0; i < 256; i++) PARITY[i] = (byte) ((Integer.bitCount(i) & 1) == 0 ? Cpu.PF : 0);
    }

    public static int parity(int v) { return PARITY[v & 0xFF]; }

    /** EFLAGS with the arithmetic flags materialised (the record is left as it is). */
    public static int get(Cpu cpu) {
        int op = cpu.flagOp;
        if (op == NONE) return cpu.eflags;
        return (cpu.eflags & ~Cpu.ARITH_FLAGS) | compute(op, cpu.flagResult, cpu.flagSrc, cpu.flagDst);
    }

    /** Folds the lazy record into {@code cpu.eflags}; afterwards the record is {@link #NONE}. */
    public static void materialize(Cpu cpu) {
        if (cpu.flagOp != NONE) {
            cpu.eflags = get(cpu);
            cpu.flagOp = NONE;
        }
    }

    /** Replaces the whole of EFLAGS (bit 1 forced to 1) and drops the lazy record. */
    public static void set(Cpu cpu, int value) {
        int changed = cpu.eflags ^ value;
        cpu.eflags = value | 2;
        cpu.flagOp = NONE;
        if ((changed & Cpu.AC) != 0) cpu.updateViews();   // SMAP follows AC
    }

    /** Replaces all of EFLAGS' arithmetic flags (and drops the lazy record). */
    public static void setArith(Cpu cpu, int flags) {
        cpu.eflags = (cpu.eflags & ~Cpu.ARITH_FLAGS) | (flags & Cpu.ARITH_FLAGS);
        cpu.flagOp = NONE;
    }

    public static boolean cf(Cpu cpu) {
        int op = cpu.flagOp;
        if (op == NONE) return (cpu.eflags & Cpu.CF) != 0;
        return carry(op, cpu.flagResult, cpu.flagSrc, cpu.flagDst) != 0;
    }

    /**
     * CF alone of an operation record, equal to {@code compute(...) & CF} (FlagsCarryTest
     * checks that): INC/DEC/ADC/SBB/RCL/RCR read CF on every execution, and computing
     * parity, zero and sign for them would cost more than the instruction itself.
     */
    static int carry(int op, int res, int src, int dst) {
        int sc = op & 3;
        int mask = MASK[sc];
        switch (op >>> 2) {
            case ADD:
                return Integer.compareUnsigned(res & mask, dst & mask) < 0 ? 1 : 0;
            case ADC: {
                res &= mask; src &= mask; dst &= mask;
                int cin = (res - dst - src) & 1;
                return Integer.compareUnsigned(res, dst) < 0 || (cin != 0 && res == dst) ? 1 : 0;
            }
            case SUB:
                return Integer.compareUnsigned(dst & mask, src & mask) < 0 ? 1 : 0;
            case SBB: {
                res &= mask; src &= mask; dst &= mask;
                int bin = (dst - src - res) & 1;
                if (Integer.compareUnsigned(dst, src) < 0 || (bin != 0 && src == mask)) return 1;
                return bin != 0 && dst == src ? 1 : 0;
            }
            case LOGIC:
                return 0;
            case INC, DEC, SHR, SAR:
                return src & Cpu.CF;
            case SHL:
                return (src & SIGN[sc]) != 0 ? 1 : 0;
            case MUL:
                return src != 0 ? 1 : 0;
            default:
                throw new IllegalStateException("bad lazy flag op " + op);
        }
    }

    /** The arithmetic flags an operation record stands for. */
    static int compute(int op, int res, int src, int dst) {
        int sc = op & 3;
        int mask = MASK[sc], sign = SIGN[sc];
        res &= mask;
        int f = PARITY[res & 0xFF] | (res == 0 ? Cpu.ZF : 0) | ((res & sign) != 0 ? Cpu.SF : 0);
        switch (op >>> 2) {
            case ADD -> {
                src &= mask; dst &= mask;
                if (Integer.compareUnsigned(res, dst) < 0) f |= Cpu.CF;
                f |= (dst ^ src ^ res) & Cpu.AF;
                if (((dst ^ res) & (src ^ res) & sign) != 0) f |= Cpu.OF;
            }
            case ADC -> {
                src &= mask; dst &= mask;
                int cin = (res - dst - src) & 1;
                if (Integer.compareUnsigned(res, dst) < 0 || (cin != 0 && res == dst)) f |= Cpu.CF;
                f |= (dst ^ src ^ res) & Cpu.AF;
                if (((dst ^ res) & (src ^ res) & sign) != 0) f |= Cpu.OF;
            }
            case SUB -> {
                src &= mask; dst &= mask;
                if (Integer.compareUnsigned(dst, src) < 0) f |= Cpu.CF;
                f |= (dst ^ src ^ res) & Cpu.AF;
                if (((dst ^ src) & (dst ^ res) & sign) != 0) f |= Cpu.OF;
            }
            case SBB -> {
                src &= mask; dst &= mask;
                int bin = (dst - src - res) & 1;
                if (Integer.compareUnsigned(dst, src) < 0 || (bin != 0 && src == mask)) f |= Cpu.CF;
                else if (bin != 0 && dst == src) f |= Cpu.CF;
                f |= (dst ^ src ^ res) & Cpu.AF;
                if (((dst ^ src) & (dst ^ res) & sign) != 0) f |= Cpu.OF;
            }
            case LOGIC -> { }
            case INC -> {
                f |= src & Cpu.CF;
                if ((res & 0xF) == 0) f |= Cpu.AF;
                if (res == sign) f |= Cpu.OF;
            }
            case DEC -> {
                f |= src & Cpu.CF;
                if ((res & 0xF) == 0xF) f |= Cpu.AF;
                if (res == sign - 1) f |= Cpu.OF;
            }
            case SHL -> {
                // src = operand << (count - 1) computed in 32 bits
                if ((src & sign) != 0) f |= Cpu.CF;
                if (((src ^ res) & sign) != 0) f |= Cpu.OF;
            }
            case SHR, SAR -> {
                // src = operand >> (count - 1)
                f |= src & Cpu.CF;
                if (((src ^ res) & sign) != 0) f |= Cpu.OF;
            }
            case MUL -> {
                if (src != 0) f |= Cpu.CF | Cpu.OF;
            }
            default -> throw new IllegalStateException("bad lazy flag op " + op);
        }
        return f;
    }

    /** Evaluates condition code {@code cc} (the low nibble of Jcc/SETcc/CMOVcc, SDM Vol. 1 App. B). */
    public static boolean cond(Cpu cpu, int cc) {
        return condOf(cpu.flagOp, cpu.flagResult, cpu.flagSrc, cpu.flagDst, cpu.eflags, cc);
    }

    /**
     * Condition {@code cc} of a flag record ({@code op}, {@code res}, {@code src}, {@code dst})
     * over {@code eflags} (which holds the flags themselves when {@code op} is {@link #NONE}).
     * Translated code keeps the record in locals and calls this with them.
     */
    public static boolean condOf(int op, int res, int src, int dst, int eflags, int cc) {
        // Fast paths for the common compare-and-branch pairs.
        if (op == (SUB << 2 | 2)) {
            switch (cc) {
                case 2: return Integer.compareUnsigned(dst, src) < 0;
                case 3: return Integer.compareUnsigned(dst, src) >= 0;
                case 4: return dst == src;
                case 5: return dst != src;
                case 6: return Integer.compareUnsigned(dst, src) <= 0;
                case 7: return Integer.compareUnsigned(dst, src) > 0;
                case 12: return dst < src;
                case 13: return dst >= src;
                case 14: return dst <= src;
                case 15: return dst > src;
                default: break;
            }
        } else if (op == (LOGIC << 2 | 2)) {
            switch (cc) {
                case 4: return res == 0;
                case 5: return res != 0;
                case 8: case 12: return res < 0;
                case 9: case 13: return res >= 0;
                case 14: return res <= 0;
                case 15: return res > 0;
                default: break;
            }
        }
        int f = op == NONE ? eflags : compute(op, res, src, dst);
        boolean b;
        switch (cc >>> 1) {
            case 0 -> b = (f & Cpu.OF) != 0;
            case 1 -> b = (f & Cpu.CF) != 0;
            case 2 -> b = (f & Cpu.ZF) != 0;
            case 3 -> b = (f & (Cpu.CF | Cpu.ZF)) != 0;
            case 4 -> b = (f & Cpu.SF) != 0;
            case 5 -> b = (f & Cpu.PF) != 0;
            case 6 -> b = ((f & Cpu.SF) != 0) != ((f & Cpu.OF) != 0);
            default -> b = (f & Cpu.ZF) != 0 || (((f & Cpu.SF) != 0) != ((f & Cpu.OF) != 0));
        }
        return b != ((cc & 1) != 0);
    }

    /** CF (0 or 1) of a flag record over {@code eflags}, as {@link #condOf} reads records. */
    public static int carryOf(int op, int res, int src, int dst, int eflags) {
        return op == NONE ? eflags & Cpu.CF : carry(op, res, src, dst);
    }
}
