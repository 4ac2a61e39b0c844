package io.flatland.cpu;

import static io.flatland.cpu.Flags.*;

/**
 * Semantics of the integer ALU operations, written once: each method takes operand values
 * (zero-extended to 32 bits) and the operand size in bytes, returns the result masked to
 * the size, and leaves the lazy flag record in the CPU. The interpreter and translated
 * code both call these. Flag choices where the SDM says "undefined" are listed in
 * {@link Flags}.
 */
public final class Alu {
    private Alu() { }

    public static final int ADD_K = 0, OR_K = 1, ADC_K = 2, SBB_K = 3, AND_K = 4, SUB_K = 5, XOR_K = 6, CMP_K = 7;

    public static int mask(int size) { return size == 4 ? -1 : (1 << (size * 8)) - 1; }

    public static int signBit(int size) { return 1 << (size * 8 - 1); }

    /** Sign-extends the low {@code size} bytes of {@code v}. */
    public static int sext(int v, int size) { return size == 4 ? v : size == 2 ? (short) v : (byte) v; }

    private static int record(Cpu c, int kind, int size, int res, int src, int dst) {
        res &= mask(size);
        c.flagOp = kind << 2 | (size >> 1);
        c.flagResult = res;
        c.flagSrc = src;
        c.flagDst = dst;
        return res;
    }

    /** The eight group-1 operations by ModRM.reg (CMP returns dst unchanged). */
    public static int alu(Cpu c, int kind, int size, int dst, int src) {
        switch (kind) {
            case ADD_K: return add(c, size, dst, src);
            case OR_K: return or(c, size, dst, src);
            case ADC_K: return adc(c, size, dst, src);
            case SBB_K: return sbb(c, size, dst, src);
            case AND_K: return and(c, size, dst, src);
            case SUB_K: return sub(c, size, dst, src);
            case XOR_K: return xor(c, size, dst, src);
            default: sub(c, size, dst, src); return dst;
        }
    }

    public static int add(Cpu c, int size, int dst, int src) {
        int m = mask(size);
        return record(c, ADD, size, dst + src, src & m, dst & m);
    }

    public static int adc(Cpu c, int size, int dst, int src) {
        int cin = Flags.cf(c) ? 1 : 0;
        int m = mask(size);
        return record(c, ADC, size, dst + src + cin, src & m, dst & m);
    }

    public static int sub(Cpu c, int size, int dst, int src) {
        int m = mask(size);
        return record(c, SUB, size, dst - src, src & m, dst & m);
    }

    public static int sbb(Cpu c, int size, int dst, int src) {
        int bin = Flags.cf(c) ? 1 : 0;
        int m = mask(size);
        return record(c, SBB, size, dst - src - bin, src & m, dst & m);
    }

    public static int and(Cpu c, int size, int dst, int src) { return logic(c, size, dst & src); }
    public static int or(Cpu c, int size, int dst, int src) { return logic(c, size, dst | src); }
    public static int xor(Cpu c, int size, int dst, int src) { return logic(c, size, dst ^ src); }

    /** Flags as AND/OR/XOR/TEST set them for a result: CF = OF = AF = 0. */
    public static int logic(Cpu c, int size, int res) { return record(c, LOGIC, size, res, 0, 0); }

    public static int inc(Cpu c, int size, int dst) {
        int cf = Flags.cf(c) ? 1 : 0;
        return record(c, INC, size, dst + 1, cf, dst);
    }

    public static int dec(Cpu c, int size, int dst) {
        int cf = Flags.cf(c) ? 1 : 0;
        return record(c, DEC, size, dst - 1, cf, dst);
    }

    /** NEG is 0 - dst: CF = (dst != 0). */
    public static int neg(Cpu c, int size, int dst) {
        return record(c, SUB, size, -dst, dst & mask(size), 0);
    }

    // ---- shifts and rotates (count already read from the instruction) ----

    public static final int ROL_K = 0, ROR_K = 1, RCL_K = 2, RCR_K = 3, SHL_K = 4, SHR_K = 5, SAL_K = 6, SAR_K = 7;

    /** Group-2 operation on {@code v} by {@code count} (masked to 5 bits here, SDM). */
    public static int shift(Cpu c, int kind, int size, int v, int count) {
        count &= 0x1F;
        if (count == 0) return v & mask(size);
        int bits = size * 8;
        int m = mask(size);
        v &= m;
        switch (kind) {
            case SHL_K: case SAL_K: {
                int s = v << (count - 1);
                return record(c, SHL, size, s << 1, s, 0);
            }
            case SHR_K: {
                int s = v >>> (count - 1);
                return record(c, SHR, size, s >>> 1, s, 0);
            }
            case SAR_K: {
                int s = sext(v, size) >> (count - 1);
                return record(c, SAR, size, s >> 1, s, 0);
            }
            case ROL_K: {
                int n = count & (bits - 1);
                int r = n == 0 ? v : ((v << n) | (v >>> (bits - n))) & m;
                int f = Flags.get(c) & ~(Cpu.CF | Cpu.OF);
                int cf = r & 1;
                f |= cf;
                if ((((r >>> (bits - 1)) & 1) ^ cf) != 0) f |= Cpu.OF;
                Flags.setArith(c, f);
                return r;
            }
            case ROR_K: {
                int n = count & (bits - 1);
                int r = n == 0 ? v : ((v >>> n) | (v << (bits - n))) & m;
                int f = Flags.get(c) & ~(Cpu.CF | Cpu.OF);
                int msb = (r >>> (bits - 1)) & 1;
                f |= msb;
                if ((msb ^ ((r >>> (bits - 2)) & 1)) != 0) f |= Cpu.OF;
                Flags.setArith(c, f);
                return r;
            }
            case RCL_K: {
                int n = size == 1 ? count % 9 : size == 2 ? count % 17 : count;
                if (n == 0) return v;
                int f = Flags.get(c);
                long wide = (v & 0xFFFFFFFFL) | ((long) (f & Cpu.CF) << bits);   // CF:value, bits+1 wide
                long wm = (1L << (bits + 1)) - 1;
                long rot = ((wide << n) | (wide >>> (bits + 1 - n))) & wm;
                int r = (int) rot & m;
                int cf = (int) (rot >>> bits) & 1;
                f = (f & ~(Cpu.CF | Cpu.OF)) | cf;
                if ((((v ^ r) >>> (bits - 1)) & 1) != 0) f |= Cpu.OF;
                Flags.setArith(c, f);
                return r;
            }
            default: {   // RCR
                int n = size == 1 ? count % 9 : size == 2 ? count % 17 : count;
                if (n == 0) return v;
                int f = Flags.get(c);
                long wide = (v & 0xFFFFFFFFL) | ((long) (f & Cpu.CF) << bits);
                long wm = (1L << (bits + 1)) - 1;
                long rot = ((wide >>> n) | (wide << (bits + 1 - n))) & wm;
                int r = (int) rot & m;
                int cf = (int) (rot >>> bits) & 1;
                f = (f & ~(Cpu.CF | Cpu.OF)) | cf;
                if ((((v ^ r) >>> (bits - 1)) & 1) != 0) f |= Cpu.OF;
                Flags.setArith(c, f);
                return r;
            }
        }
    }

    /** SHLD: shifts {@code dst} left filling from {@code src}; count masked to 5 bits. */
    public static int shld(Cpu c, int size, int dst, int src, int count) {
        count &= 0x1F;
        int m = mask(size);
        dst &= m;
        if (count == 0) return dst;
        int bits = size * 8;
        long both;
        if (size == 4) both = ((dst & 0xFFFFFFFFL) << 32) | (src & 0xFFFFFFFFL);
        else both = ((long) dst << 32) | ((long) (src & m) << 16) | (dst & 0xFFFFL);   // 16-bit: dst:src:dst as QEMU
        // Result is the top 32 bits after the shift, sized; CF is the last bit out of dst.
        long sh = both << (count - 1);
        int s = (int) (sh >>> 32);
        int r = (int) ((sh << 1) >>> 32);
        if (size == 2) { s = (int) (sh >>> 32) & 0xFFFF; r = (int) ((sh << 1) >>> 32) & 0xFFFF; }
        return record(c, SHL, size, r, s, 0) & m;
    }

    /** SHRD: shifts {@code dst} right filling from {@code src}; count masked to 5 bits. */
    public static int shrd(Cpu c, int size, int dst, int src, int count) {
        count &= 0x1F;
        int m = mask(size);
        dst &= m;
        if (count == 0) return dst;
        long both;
        if (size == 4) both = ((src & 0xFFFFFFFFL) << 32) | (dst & 0xFFFFFFFFL);
        else both = ((long) (dst & 0xFFFF) << 32) | ((long) (src & m) << 16) | dst;       // dst:src:dst
        long sh = both >>> (count - 1);
        int r = (int) (sh >>> 1) & m;
        // The flag record's "operand shifted by count-1" is what QEMU keeps: for 32 bits the
        // destination alone (no fill from src), for 16 bits the 32-bit src:dst pair. Only the
        // undefined OF of counts > 1 depends on it; CF (its bit 0) is the same either way.
        int s = size == 4 ? dst >>> (count - 1) : (int) ((((src & m) << 16 | dst) & 0xFFFFFFFFL) >>> (count - 1)) & m;
        return record(c, SHR, size, r, s, 0);
    }

    // ---- multiply ----

    /** Two/three-operand IMUL and the low half of one-operand forms: result, CF/OF if truncated. */
    public static int imul(Cpu c, int size, int a, int b) {
        long full = (long) sext(a, size) * (long) sext(b, size);
        int low = (int) full;
        int lowS = sext(low, size);
        return record(c, MUL, size, low, full != lowS ? 1 : 0, 0);
    }

    /** Records MUL/IMUL flags for a result whose high half is {@code overflow != 0}. */
    public static void mulFlags(Cpu c, int size, int low, boolean overflow) {
        record(c, MUL, size, low, overflow ? 1 : 0, 0);
    }

    public static int bswap(int v) { return Integer.reverseBytes(v); }
}
