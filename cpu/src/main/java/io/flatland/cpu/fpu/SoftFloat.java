package io.flatland.cpu.fpu;

import java.math.BigInteger;

/**
 * IEEE 754 arithmetic on {@link Float80} with the x87's controls: rounding control (RC) and
 * precision control (PC: significands rounded to 24, 53 or 64 bits while the exponent keeps
 * its 15-bit range), and the exception flags it raises, kept in {@link #flags} at their
 * status-word positions (IE, DE, ZE, OE, UE, PE). Our own implementation from the IEEE 754
 * rules and the SDM; where hardware and QEMU 7.2 (our reference) differ, QEMU's choices
 * are taken: masked responses only (results are always the masked ones), tininess after
 * rounding, underflow only when inexact, unnormals and pseudo-NaN/infinities invalid,
 * pseudo-denormals read as the equal normal value, no DE for denormal operands.
 *
 * <p>Internally an unrounded result is a sign, the unbiased exponent of the leading bit and
 * a 128-bit significand {@code hi:lo} with the leading bit at bit 63 of {@code hi}; bits
 * shifted out are jammed into the least significant bit (sticky).
 */
public final class SoftFloat {
    public static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
    /** x87 RC encoding. */
    public static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;

    /** Rounding control, x87 encoding. */
    public int rc;
    /** Significand bits results are rounded to: 24, 53 or 64. */
    public int prec = 64;
    /** Accumulated exception flags (status-word bit positions). */
    public int flags;
    /** Tininess detection before rounding (false: after rounding, as QEMU does for x86). */
    public boolean tininessBeforeRounding;

    /** Sets RC and PC from an x87 control word (PC 00: 24 bits, 10: 53 bits, 01/11: 64 bits). */
    public void setControl(int fcw) {
        rc = (fcw >> 10) & 3;
        int pc = (fcw >> 8) & 3;
        prec = pc == 0 ? 24 : pc == 2 ? 53 : 64;
    }

    // ---- unpacked operands ----

    static final int ZERO = 0, NORMAL = 1, INF = 2, QNAN = 3, SNAN = 4;

    /** A classified operand: for NORMAL the significand has bit 63 set and exp is unbiased. */
    static final class Parts {
        int cls;
        boolean sign;
        int exp;
        long sig;

        Parts(int cls, boolean sign, int exp, long sig) {
            this.cls = cls;
            this.sign = sign;
            this.exp = exp;
            this.sig = sig;
        }

        boolean nan() { return cls >= QNAN; }
    }

    /** Classifies a value that is not an invalid encoding. */
    static Parts unpack(Float80 a) {
        int e = a.exp();
        boolean s = a.sign();
        long m = a.sig;
        if (e == Float80.EXP_MAX) {
            long f = m & ~Float80.J;
            if (f == 0) return new Parts(INF, s, 0, 0);
            return new Parts((f & Float80.QUIET) != 0 ? QNAN : SNAN, s, 0, f);
        }
        if (e == 0) {
            if (m == 0) return new Parts(ZERO, s, 0, 0);
            int sh = Long.numberOfLeadingZeros(m);
            return new Parts(NORMAL, s, 1 - Float80.BIAS - sh, m << sh);
        }
        return new Parts(NORMAL, s, e - Float80.BIAS, m);
    }

    /** Packs a NaN: integer bit set, quiet bit set (an SNaN is silenced). */
    static Float80 packNan(Parts p) {
        return new Float80((p.sign ? 0x8000 : 0) | 0x7FFF, p.sig | Float80.J | Float80.QUIET);
    }

    /** Result of a NaN operand to a one-operand operation: SNaN raises IE and is silenced. */
    Float80 returnNan(Parts p) {
        if (p.cls == SNAN) flags |= IE;
        return packNan(p);
    }

    /** x87 NaN propagation between two operands, at least one of them a NaN. */
    Float80 pickNan(Parts a, Parts b) {
        if (a.cls == SNAN || b.cls == SNAN) flags |= IE;
        int cmp = Long.compareUnsigned(a.sig, b.sig);
        if (cmp == 0) cmp = (!a.sign && b.sign) ? 1 : 0;
        boolean aLarger = cmp > 0;
        boolean takeB;
        if (a.cls == SNAN) {
            takeB = b.cls == SNAN ? !aLarger : b.cls == QNAN;
        } else if (a.cls == QNAN) {
            takeB = b.cls == QNAN && !aLarger;
        } else {
            takeB = true;
        }
        return packNan(takeB ? b : a);
    }

    // ---- rounding ----

    private long rHi, rLo;

    /** hi:lo shifted right by n with the shifted-out bits jammed into bit 0 (into rHi:rLo). */
    private void shiftRightJam(long hi, long lo, int n) {
        if (n <= 0) {
            rHi = hi;
            rLo = lo;
        } else if (n < 64) {
            rLo = (hi << (64 - n)) | (lo >>> n) | ((lo << (64 - n)) != 0 ? 1 : 0);
            rHi = hi >>> n;
        } else if (n == 64) {
            rLo = hi | (lo != 0 ? 1 : 0);
            rHi = 0;
        } else if (n < 128) {
            rLo = (hi >>> (n - 64)) | (((hi << (128 - n)) | lo) != 0 ? 1 : 0);
            rHi = 0;
        } else {
            rLo = (hi | lo) != 0 ? 1 : 0;
            rHi = 0;
        }
    }

    private boolean roundUp(boolean sign, long rb, long half, boolean odd) {
        switch (rc) {
            case RC_NEAREST: {
                int c = Long.compareUnsigned(rb, half);
                return c > 0 || (c == 0 && odd);
            }
            case RC_DOWN: return sign && rb != 0;
            case RC_UP: return !sign && rb != 0;
            default: return false;
        }
    }

    /** Output of {@link #round}: biased exponent and the rounded significand (top-aligned). */
    private int outE;
    private long outSig;

    /**
     * Rounds sign, biased exponent {@code e} of bit 63 of {@code hi}, significand hi:lo (hi
     * normalised) to {@code p} bits in a format whose all-ones exponent is {@code expMax}.
     * Handles overflow (to infinity or the largest finite value by RC) and gradual
     * underflow; sets outE/outSig and the flags.
     */
    private void round(boolean sign, int e, long hi, long lo, int p, int expMax) {
        boolean sub = false, tiny = false;
        if (e <= 0) {
            sub = true;
            tiny = tininessBeforeRounding || e < 0 || !carries(sign, hi, lo, p);
            shiftRightJam(hi, lo, 1 - e);
            hi = rHi;
            lo = rLo;
        }
        long h;
        boolean inexact;
        if (p == 64) {
            h = hi;
            inexact = lo != 0;
            if (roundUp(sign, lo, Float80.J, (h & 1) != 0)) {
                h++;
                if (h == 0) { h = Float80.J; e++; }
            }
        } else {
            h = hi | (lo != 0 ? 1 : 0);
            int s = 64 - p;
            long mask = (1L << s) - 1;
            long rb = h & mask;
            inexact = rb != 0;
            boolean up = roundUp(sign, rb, 1L << (s - 1), ((h >>> s) & 1) != 0);
            h &= ~mask;
            if (up) {
                h += 1L << s;
                if (h == 0) { h = Float80.J; e++; }
            }
        }
        if (sub) {
            e = h < 0 ? 1 : 0;
            if (tiny && inexact) flags |= UE;
        }
        if (inexact) flags |= PE;
        if (e >= expMax) {
            flags |= OE | PE;
            boolean toMax = rc == RC_ZERO || (rc == RC_UP && sign) || (rc == RC_DOWN && !sign);
            if (toMax) {
                e = expMax - 1;
                h = p == 64 ? -1L : ~((1L << (64 - p)) - 1);
            } else {
                e = expMax;
                h = Float80.J;
            }
        }
        outE = e;
        outSig = h;
    }

    /** Whether rounding hi:lo (unshifted) to p bits carries out of the significand. */
    private boolean carries(boolean sign, long hi, long lo, int p) {
        if (p == 64) return hi == -1L && roundUp(sign, lo, Float80.J, true);
        long h = hi | (lo != 0 ? 1 : 0);
        int s = 64 - p;
        long mask = (1L << s) - 1;
        if ((h | mask) != -1L) return false;
        return roundUp(sign, h & mask, 1L << (s - 1), true);
    }

    /** Rounds an unpacked extended result at the current precision control. */
    Float80 packX80(boolean sign, int exp, long hi, long lo) {
        return packX80(sign, exp, hi, lo, prec);
    }

    Float80 packX80(boolean sign, int exp, long hi, long lo, int p) {
        if (hi == 0 && lo == 0) return sign ? Float80.NEG_ZERO : Float80.ZERO;
        if (hi >= 0) {   // normalise
            int sh = hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
            if (sh >= 64) {
                hi = lo << (sh - 64);
                lo = 0;
            } else {
                hi = (hi << sh) | (lo >>> (64 - sh));
                lo <<= sh;
            }
            exp -= sh;
        }
        int e = exp + Float80.BIAS;
        if (e >= Float80.EXP_MAX + 2) e = Float80.EXP_MAX + 1;     // keep int arithmetic sane
        if (e < -0x10000) e = -0x10000;
        round(sign, e, hi, lo, p, Float80.EXP_MAX);
        return new Float80((sign ? 0x8000 : 0) | outE, outSig);
    }

    // ---- arithmetic ----

    public Float80 add(Float80 a, Float80 b) { return addSub(a, b, false); }

    public Float80 sub(Float80 a, Float80 b) { return addSub(a, b, true); }

    private Float80 addSub(Float80 a, Float80 b, boolean subtract) {
        if (a.invalidEncoding() || b.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts pa = unpack(a), pb = unpack(b);
        boolean bSign = pb.sign ^ subtract;
        if (pa.nan() || pb.nan()) return pickNan(pa, pb);
        if (pa.sign != bSign) {
            if (pa.cls == NORMAL && pb.cls == NORMAL) return magSub(pa.sign, pa, pb);
            if (pa.cls == ZERO && pb.cls == ZERO) return rc == RC_DOWN ? Float80.NEG_ZERO : Float80.ZERO;
            if (pa.cls == INF) {
                if (pb.cls == INF) { flags |= IE; return Float80.DEFAULT_NAN; }
                return pa.sign ? Float80.NEG_INF : Float80.INF;
            }
            if (pb.cls == INF) return bSign ? Float80.NEG_INF : Float80.INF;
        } else {
            if (pa.cls == NORMAL && pb.cls == NORMAL) return magAdd(pa.sign, pa, pb);
            if (pa.cls == ZERO && pb.cls == ZERO) return pa.sign ? Float80.NEG_ZERO : Float80.ZERO;
            if (pa.cls == INF || pb.cls == INF) return pa.sign ? Float80.NEG_INF : Float80.INF;
        }
        if (pb.cls == ZERO) return packX80(pa.sign, pa.exp, pa.sig, 0);
        return packX80(bSign, pb.exp, pb.sig, 0);
    }

    private Float80 magAdd(boolean sign, Parts a, Parts b) {
        if (a.exp < b.exp) { Parts t = a; a = b; b = t; }
        shiftRightJam(b.sig, 0, a.exp - b.exp);
        long lo = rLo;
        long hi = a.sig + rHi;
        int exp = a.exp;
        if (Long.compareUnsigned(hi, a.sig) < 0) {       // carry out of bit 63
            lo = (hi << 63) | (lo >>> 1) | (lo & 1);
            hi = (hi >>> 1) | Float80.J;
            exp++;
        }
        return packX80(sign, exp, hi, lo);
    }

    private Float80 magSub(boolean aSign, Parts a, Parts b) {
        boolean sign = aSign;
        int c = a.exp != b.exp ? Integer.compare(a.exp, b.exp) : Long.compareUnsigned(a.sig, b.sig);
        if (c == 0) return rc == RC_DOWN ? Float80.NEG_ZERO : Float80.ZERO;
        if (c < 0) { Parts t = a; a = b; b = t; sign = !sign; }
        shiftRightJam(b.sig, 0, a.exp - b.exp);
        long lo = -rLo;
        long hi = a.sig - rHi - (rLo != 0 ? 1 : 0);
        return packX80(sign, a.exp, hi, lo);
    }

    public Float80 mul(Float80 a, Float80 b) {
        if (a.invalidEncoding() || b.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts pa = unpack(a), pb = unpack(b);
        boolean sign = pa.sign ^ pb.sign;
        if (pa.cls == NORMAL && pb.cls == NORMAL) {
            long lo = pa.sig * pb.sig;
            long hi = unsignedMultiplyHigh(pa.sig, pb.sig);
            return packX80(sign, pa.exp + pb.exp + 1, hi, lo);
        }
        if ((pa.cls == INF && pb.cls == ZERO) || (pa.cls == ZERO && pb.cls == INF)) {
            flags |= IE;
            return Float80.DEFAULT_NAN;
        }
        if (pa.nan() || pb.nan()) return pickNan(pa, pb);
        if (pa.cls == INF || pb.cls == INF) return sign ? Float80.NEG_INF : Float80.INF;
        return sign ? Float80.NEG_ZERO : Float80.ZERO;
    }

    static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    public Float80 div(Float80 a, Float80 b) {
        if (a.invalidEncoding() || b.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts pa = unpack(a), pb = unpack(b);
        boolean sign = pa.sign ^ pb.sign;
        if (pa.cls == NORMAL && pb.cls == NORMAL) {
            BigInteger n = unsigned(pa.sig).shiftLeft(128);
            BigInteger[] qr = n.divideAndRemainder(unsigned(pb.sig));
            return packBig(sign, pa.exp - pb.exp - 128, qr[0], qr[1].signum() != 0);
        }
        if ((pa.cls == ZERO && pb.cls == ZERO) || (pa.cls == INF && pb.cls == INF)) {
            flags |= IE;
            return Float80.DEFAULT_NAN;
        }
        if (pa.nan() || pb.nan()) return pickNan(pa, pb);
        if (pa.cls == INF) return sign ? Float80.NEG_INF : Float80.INF;
        if (pa.cls == ZERO || pb.cls == INF) return sign ? Float80.NEG_ZERO : Float80.ZERO;
        flags |= ZE;
        return sign ? Float80.NEG_INF : Float80.INF;
    }

    static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
        return v < 0 ? b.setBit(63) : b;
    }

    /** Packs value v * 2^scale (v > 0), with a sticky bit for a non-zero remainder. */
    private Float80 packBig(boolean sign, int scale, BigInteger v, boolean sticky) {
        int len = v.bitLength();
        long hi, lo;
        if (len > 128) {
            int sh = len - 128;
            sticky |= v.getLowestSetBit() < sh;
            v = v.shiftRight(sh);
            scale += sh;
        } else {
            v = v.shiftLeft(128 - len);
            scale -= 128 - len;
        }
        hi = v.shiftRight(64).longValue();
        lo = v.longValue() | (sticky ? 1 : 0);
        // leading bit is at position 127: value = hi:lo * 2^scale, exponent of bit 127 = scale + 127
        return packX80(sign, scale + 127, hi, lo);
    }

    public Float80 sqrt(Float80 a) {
        if (a.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts p = unpack(a);
        if (p.nan()) return returnNan(p);
        if (p.cls == ZERO) return a.sign() ? Float80.NEG_ZERO : Float80.ZERO;
        if (p.sign) { flags |= IE; return Float80.DEFAULT_NAN; }
        if (p.cls == INF) return Float80.INF;
        int k = p.exp - 63;                   // value = sig * 2^k
        int s = (k & 1) == 0 ? 192 : 193;     // k - s even
        BigInteger n = unsigned(p.sig).shiftLeft(s);
        BigInteger r = n.sqrt();
        boolean sticky = !r.multiply(r).equals(n);
        return packBig(false, (k - s) / 2, r, sticky);
    }

    /** FRNDINT: round to an integer in the current RC, then to the current precision. */
    public Float80 roundToInt(Float80 a) {
        if (a.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts p = unpack(a);
        if (p.nan()) return returnNan(p);
        if (p.cls != NORMAL) return a;          // zero, infinity unchanged
        roundToIntNormal(p, rc, prec - 1);
        if (p.cls == ZERO) return p.sign ? Float80.NEG_ZERO : Float80.ZERO;
        return packX80(p.sign, p.exp, p.sig, 0);
    }

    /**
     * Rounds a NORMAL part to an integer in rounding mode {@code mode} (x87 RC encoding);
     * values with exp >= fracSize are taken as integral. May turn p into ZERO. Returns
     * whether the value changed (PE raised here).
     */
    boolean roundToIntNormal(Parts p, int mode, int fracSize) {
        if (p.exp < 0) {
            flags |= PE;
            boolean one;
            switch (mode) {
                case RC_NEAREST -> one = p.exp == -1 && (p.sig << 1) != 0;
                case RC_UP -> one = !p.sign;
                case RC_DOWN -> one = p.sign;
                default -> one = false;
            }
            if (one) {
                p.exp = 0;
                p.sig = Float80.J;
            } else {
                p.cls = ZERO;
            }
            return true;
        }
        if (p.exp >= fracSize || p.exp >= 63) return false;
        int fracBits = 63 - p.exp;
        long mask = (1L << fracBits) - 1;
        long rb = p.sig & mask;
        if (rb == 0) return false;
        flags |= PE;
        boolean odd = ((p.sig >>> fracBits) & 1) != 0;
        boolean up;
        switch (mode) {
            case RC_NEAREST -> {
                int c = Long.compareUnsigned(rb, 1L << (fracBits - 1));
                up = c > 0 || (c == 0 && odd);
            }
            case RC_UP -> up = !p.sign;
            case RC_DOWN -> up = p.sign;
            default -> up = false;
        }
        long s = p.sig & ~mask;
        if (up) {
            s += 1L << fracBits;
            if (s == 0) {
                s = Float80.J;
                p.exp++;
            }
        }
        p.sig = s;
        return true;
    }

    // ---- conversions ----

    /** Integer to extended, rounded at precision {@code p} (64 for exact FILD). */
    public Float80 fromLong(long v, int p) {
        if (v == 0) return Float80.ZERO;
        boolean sign = v < 0;
        long m = sign ? -v : v;                  // Long.MIN_VALUE stays 2^63 unsigned
        return packX80(sign, 63, m, 0, p);
    }

    /** Result of a conversion to integer: the value, or {@code indefinite} after IE. */
    public long toInt(Float80 a, int bits, boolean truncate) {
        long min = bits == 64 ? Long.MIN_VALUE : bits == 32 ? Integer.MIN_VALUE : Short.MIN_VALUE;
        long max = bits == 64 ? Long.MAX_VALUE : bits == 32 ? Integer.MAX_VALUE : Short.MAX_VALUE;
        Parts p;
        if (a.invalidEncoding()) {
            flags |= IE;
            p = unpack(Float80.DEFAULT_NAN);
        } else {
            p = unpack(a);
        }
        switch (p.cls) {
            case QNAN, SNAN: flags |= IE; return max;
            case INF: flags |= IE; return p.sign ? min : max;
            case ZERO: return 0;
            default: break;
        }
        int saved = flags;
        flags = 0;
        roundToIntNormal(p, truncate ? RC_ZERO : rc, 126);
        int f = flags;
        flags = saved;
        if (p.cls == ZERO) { flags |= f; return 0; }
        long r = p.exp <= 63 ? p.sig >>> (63 - p.exp) : -1L;
        if (p.sign) {
            if (Long.compareUnsigned(r, -min) <= 0) { flags |= f; return -r; }
            flags |= IE;
            return min;
        }
        if (Long.compareUnsigned(r, max) > 0) { flags |= IE; return max; }
        flags |= f;
        return r;
    }

    /** float32 bits to extended (rounded at the current precision). */
    public Float80 fromF32(int v) {
        boolean sign = v < 0;
        int e = (v >>> 23) & 0xFF;
        long f = v & 0x7FFFFF;
        if (e == 0xFF) {
            if (f == 0) return sign ? Float80.NEG_INF : Float80.INF;
            Parts p = new Parts((f & 0x400000) != 0 ? QNAN : SNAN, sign, 0, f << 40);
            return returnNan(p);
        }
        if (e == 0) {
            if (f == 0) return sign ? Float80.NEG_ZERO : Float80.ZERO;
            return packX80(sign, -126 - 23 + 63, f, 0);
        }
        return packX80(sign, e - 127, (f | 0x800000) << 40, 0);
    }

    public Float80 fromF64(long v) {
        boolean sign = v < 0;
        int e = (int) ((v >>> 52) & 0x7FF);
        long f = v & 0xFFFFFFFFFFFFFL;
        if (e == 0x7FF) {
            if (f == 0) return sign ? Float80.NEG_INF : Float80.INF;
            Parts p = new Parts((f & 0x8000000000000L) != 0 ? QNAN : SNAN, sign, 0, f << 11);
            return returnNan(p);
        }
        if (e == 0) {
            if (f == 0) return sign ? Float80.NEG_ZERO : Float80.ZERO;
            return packX80(sign, -1022 - 52 + 63, f, 0);
        }
        return packX80(sign, e - 1023, (f | 0x10000000000000L) << 11, 0);
    }

    public int toF32(Float80 a) {
        if (a.invalidEncoding()) { flags |= IE; return 0xFFC00000; }
        Parts p = unpack(a);
        int s = p.sign ? 0x80000000 : 0;
        switch (p.cls) {
            case QNAN, SNAN: {
                if (p.cls == SNAN) flags |= IE;
                return s | 0x7FC00000 | (int) ((p.sig >>> 40) & 0x7FFFFF);
            }
            case INF: return s | 0x7F800000;
            case ZERO: return s;
            default: break;
        }
        int e = p.exp + 127;
        if (e < -200) e = -200;
        if (e > 400) e = 400;
        round(p.sign, e, p.sig, 0, 24, 0xFF);
        return s | (outE << 23) | (int) ((outSig >>> 40) & 0x7FFFFF);
    }

    public long toF64(Float80 a) {
        if (a.invalidEncoding()) { flags |= IE; return 0xFFF8000000000000L; }
        Parts p = unpack(a);
        long s = p.sign ? Long.MIN_VALUE : 0;
        switch (p.cls) {
            case QNAN, SNAN: {
                if (p.cls == SNAN) flags |= IE;
                return s | 0x7FF8000000000000L | ((p.sig >>> 11) & 0xFFFFFFFFFFFFFL);
            }
            case INF: return s | 0x7FF0000000000000L;
            case ZERO: return s;
            default: break;
        }
        int e = p.exp + 1023;
        if (e < -2000) e = -2000;
        if (e > 4000) e = 4000;
        round(p.sign, e, p.sig, 0, 53, 0x7FF);
        return s | ((long) outE << 52) | ((outSig >>> 11) & 0xFFFFFFFFFFFFFL);
    }

    // ---- comparison ----

    public static final int LESS = -1, EQUAL = 0, GREATER = 1, UNORDERED = 2;

    /** FCOM (quiet=false: any NaN raises IE) and FUCOM (quiet: only SNaN raises IE). */
    public int compare(Float80 a, Float80 b, boolean quiet) {
        if (a.invalidEncoding() || b.invalidEncoding()) { flags |= IE; return UNORDERED; }
        Parts pa = unpack(a), pb = unpack(b);
        if (pa.nan() || pb.nan()) {
            if (!quiet || pa.cls == SNAN || pb.cls == SNAN) flags |= IE;
            return UNORDERED;
        }
        if (pa.cls == ZERO && pb.cls == ZERO) return EQUAL;
        if (pa.cls == ZERO) return pb.sign ? GREATER : LESS;
        if (pb.cls == ZERO) return pa.sign ? LESS : GREATER;
        if (pa.sign != pb.sign) return pa.sign ? LESS : GREATER;
        int c;
        if (pa.cls == INF || pb.cls == INF) {
            c = pa.cls == pb.cls ? 0 : pa.cls == INF ? 1 : -1;
        } else {
            c = pa.exp != pb.exp ? Integer.compare(pa.exp, pb.exp) : Long.compareUnsigned(pa.sig, pb.sig);
        }
        if (c == 0) return EQUAL;
        return (c > 0) != pa.sign ? GREATER : LESS;
    }

    // ---- scaling and remainder ----

    /** a * 2^n rounded at the current precision (FSCALE forces 64 bits before calling). */
    public Float80 scalbn(Float80 a, int n) {
        if (a.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts p = unpack(a);
        if (p.nan()) return returnNan(p);
        if (p.cls != NORMAL) return a;
        n = Math.max(-0x10000, Math.min(0x10000, n));
        return packX80(p.sign, p.exp + n, p.sig, 0);
    }

    /** Quotient bits of the last {@link #modrem}. */
    public long quotient;

    /**
     * Exact remainder a - q*b with q the quotient truncated (mod, FPREM) or rounded to
     * nearest-even (FPREM1); the exponent difference must be below 64 for a full
     * quotient. Special operands as softfloat's floatx80_modrem. As in QEMU 7.2 the
     * result (also an operand passed through) is rounded at the current precision.
     */
    public Float80 modrem(Float80 a, Float80 b, boolean mod) {
        quotient = 0;
        if (a.invalidEncoding() || b.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts pa = unpack(a), pb = unpack(b);
        if (pa.nan() || pb.nan()) return pickNan(pa, pb);
        if (pa.cls == INF || pb.cls == ZERO) { flags |= IE; return Float80.DEFAULT_NAN; }
        if (pa.cls == ZERO) return a;
        if (pb.cls == INF) return packX80(pa.sign, pa.exp, pa.sig, 0);
        int expDiff = pa.exp - pb.exp;
        if (expDiff < 0 && (mod || expDiff < -1)) return packX80(pa.sign, pa.exp, pa.sig, 0);
        // a = A * 2^(ea-63), b = B * 2^(eb-63); work in units of 2^(eb-63-1) when expDiff == -1
        BigInteger A = unsigned(pa.sig), B = unsigned(pb.sig);
        int shift = Math.max(expDiff, 0);
        BigInteger num = expDiff >= 0 ? A.shiftLeft(shift) : A;
        BigInteger den = expDiff >= 0 ? B : B.shiftLeft(1);
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger q = qr[0], r = qr[1];
        boolean sign = pa.sign;
        if (!mod) {
            BigInteger alt = den.subtract(r);
            int c = alt.compareTo(r);
            if (c < 0 || (c == 0 && q.testBit(0))) {
                r = alt;
                sign = !sign;
                q = q.add(BigInteger.ONE);
            }
        }
        quotient = q.longValue();
        int unitExp = pb.exp - 63 - (expDiff >= 0 ? 0 : 1);
        if (r.signum() == 0) return sign ? Float80.NEG_ZERO : Float80.ZERO;
        int len = r.bitLength();
        long sig = r.shiftLeft(64 - len).longValue();
        return packX80(sign, unitExp + len - 1, sig, 0);
    }
}
