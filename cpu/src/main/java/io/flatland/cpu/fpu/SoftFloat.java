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
        packTo(sign, exp, hi, lo, p);
        return result();
    }

    /** {@link #packX80} into {@link #resSe}/{@link #resSig}. */
    void packTo(boolean sign, int exp, long hi, long lo, int p) {
        if (hi == 0 && lo == 0) {
            resSe = sign ? 0x8000 : 0;
            resSig = 0;
            return;
        }
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
        if (p == 64 && rc == RC_NEAREST && e > 0 && e < Float80.EXP_MAX - 1) {
            // The common case, what round() does for it: a normal result at full precision
            // rounded to nearest-even (the exponent leaves room for the carry).
            if (lo != 0) {
                flags |= PE;
                if (lo < 0 && (lo != Float80.J || (hi & 1) != 0)) {
                    hi++;
                    if (hi == 0) {
                        hi = Float80.J;
                        e++;
                    }
                }
            }
            resSe = (sign ? 0x8000 : 0) | e;
            resSig = hi;
            return;
        }
        round(sign, e, hi, lo, p, Float80.EXP_MAX);
        resSe = (sign ? 0x8000 : 0) | outE;
        resSig = outSig;
    }

    // ---- the register-level interface: operands as sign-exponent word and significand ----

    /**
     * The result of the last register-level operation (sign-exponent word, significand). The
     * x87 keeps its registers as such pairs; passing them without a Float80 keeps the
     * arithmetic allocation-free. The Float80 methods wrap these.
     */
    public int resSe;
    public long resSig;

    Float80 result() { return new Float80(resSe, resSig); }

    private void set(Float80 v) {
        resSe = v.se;
        resSig = v.sig;
    }

    /** Finite, non-zero and normalised: the operands the fast paths take. */
    private static boolean normal(int se, long sig) {
        int e = se & 0x7FFF;
        return sig < 0 && e != 0 && e != Float80.EXP_MAX;
    }

    private static boolean zero(int se, long sig) { return (se & 0x7FFF) == 0 && sig == 0; }

    /** a + b, or a - b with {@code subtract}, into the result. */
    public void addSub(int aSe, long aSig, int bSe, long bSig, boolean subtract) {
        if (normal(aSe, aSig) && normal(bSe, bSig)) {
            boolean aSign = (aSe & 0x8000) != 0, bSign = ((bSe & 0x8000) != 0) ^ subtract;
            int ea = (aSe & 0x7FFF) - Float80.BIAS, eb = (bSe & 0x7FFF) - Float80.BIAS;
            if (aSign == bSign) magAdd(aSign, ea, aSig, eb, bSig);
            else magSub(aSign, ea, aSig, eb, bSig);
            return;
        }
        // A zero and a normal operand (accumulators start at zero): the normal one, rounded.
        if (normal(aSe, aSig) && zero(bSe, bSig)) {
            packTo((aSe & 0x8000) != 0, (aSe & 0x7FFF) - Float80.BIAS, aSig, 0, prec);
            return;
        }
        if (zero(aSe, aSig) && normal(bSe, bSig)) {
            packTo(((bSe & 0x8000) != 0) ^ subtract, (bSe & 0x7FFF) - Float80.BIAS, bSig, 0, prec);
            return;
        }
        set(addSubSpecial(new Float80(aSe, aSig), new Float80(bSe, bSig), subtract));
    }

    public void mul(int aSe, long aSig, int bSe, long bSig) {
        if (normal(aSe, aSig) && normal(bSe, bSig)) {
            int exp = (aSe & 0x7FFF) + (bSe & 0x7FFF) - 2 * Float80.BIAS + 1;
            packTo(((aSe ^ bSe) & 0x8000) != 0, exp, unsignedMultiplyHigh(aSig, bSig), aSig * bSig, prec);
            return;
        }
        if ((normal(aSe, aSig) || zero(aSe, aSig)) && (normal(bSe, bSig) || zero(bSe, bSig))) {
            resSe = (aSe ^ bSe) & 0x8000;       // a zero operand: a signed zero
            resSig = 0;
            return;
        }
        set(mulSpecial(new Float80(aSe, aSig), new Float80(bSe, bSig)));
    }

    public void div(int aSe, long aSig, int bSe, long bSig) {
        if (normal(aSe, aSig) && normal(bSe, bSig)) {
            divNormal(((aSe ^ bSe) & 0x8000) != 0, (aSe & 0x7FFF) - Float80.BIAS, aSig, (bSe & 0x7FFF) - Float80.BIAS, bSig);
            return;
        }
        set(divSpecial(new Float80(aSe, aSig), new Float80(bSe, bSig)));
    }

    public void sqrt(int se, long sig) {
        if (normal(se, sig) && se < 0x8000) {
            sqrtNormal(se - Float80.BIAS - 63, sig);
            return;
        }
        set(sqrtSpecial(new Float80(se, sig)));
    }

    /** {@link #compare(Float80, Float80, boolean)} on register-level operands. */
    public int compare(int aSe, long aSig, int bSe, long bSig, boolean quiet) {
        if (normal(aSe, aSig) && normal(bSe, bSig)) {
            boolean aSign = (aSe & 0x8000) != 0;
            if (aSign != ((bSe & 0x8000) != 0)) return aSign ? LESS : GREATER;
            int ea = aSe & 0x7FFF, eb = bSe & 0x7FFF;
            int c = ea != eb ? Integer.compare(ea, eb) : Long.compareUnsigned(aSig, bSig);
            if (c == 0) return EQUAL;
            return (c > 0) != aSign ? GREATER : LESS;
        }
        return compareSpecial(new Float80(aSe, aSig), new Float80(bSe, bSig), quiet);
    }

    /** {@link #toF64(Float80)} of a register-level operand. */
    public long toF64(int se, long sig) {
        if (normal(se, sig)) {
            int e = (se & 0x7FFF) - Float80.BIAS + 1023;
            if (e < -2000) e = -2000;
            if (e > 4000) e = 4000;
            round((se & 0x8000) != 0, e, sig, 0, 53, 0x7FF);
            return ((long) (se & 0x8000) << 48) | ((long) outE << 52) | ((outSig >>> 11) & 0xFFFFFFFFFFFFFL);
        }
        return toF64(new Float80(se, sig));
    }

    // ---- arithmetic ----

    public Float80 add(Float80 a, Float80 b) {
        addSub(a.se, a.sig, b.se, b.sig, false);
        return result();
    }

    public Float80 sub(Float80 a, Float80 b) {
        addSub(a.se, a.sig, b.se, b.sig, true);
        return result();
    }

    public Float80 mul(Float80 a, Float80 b) {
        mul(a.se, a.sig, b.se, b.sig);
        return result();
    }

    public Float80 div(Float80 a, Float80 b) {
        div(a.se, a.sig, b.se, b.sig);
        return result();
    }

    public Float80 sqrt(Float80 a) {
        sqrt(a.se, a.sig);
        return result();
    }

    /** FCOM (quiet=false: any NaN raises IE) and FUCOM (quiet: only SNaN raises IE). */
    public int compare(Float80 a, Float80 b, boolean quiet) {
        return compare(a.se, a.sig, b.se, b.sig, quiet);
    }

    // ---- operands the fast paths leave: zeros, infinities, NaNs, denormals, invalid encodings ----

    private Float80 addSubSpecial(Float80 a, Float80 b, boolean subtract) {
        if (a.invalidEncoding() || b.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts pa = unpack(a), pb = unpack(b);
        boolean bSign = pb.sign ^ subtract;
        if (pa.nan() || pb.nan()) return pickNan(pa, pb);
        if (pa.sign != bSign) {
            if (pa.cls == NORMAL && pb.cls == NORMAL) {
                magSub(pa.sign, pa.exp, pa.sig, pb.exp, pb.sig);
                return result();
            }
            if (pa.cls == ZERO && pb.cls == ZERO) return rc == RC_DOWN ? Float80.NEG_ZERO : Float80.ZERO;
            if (pa.cls == INF) {
                if (pb.cls == INF) { flags |= IE; return Float80.DEFAULT_NAN; }
                return pa.sign ? Float80.NEG_INF : Float80.INF;
            }
            if (pb.cls == INF) return bSign ? Float80.NEG_INF : Float80.INF;
        } else {
            if (pa.cls == NORMAL && pb.cls == NORMAL) {
                magAdd(pa.sign, pa.exp, pa.sig, pb.exp, pb.sig);
                return result();
            }
            if (pa.cls == ZERO && pb.cls == ZERO) return pa.sign ? Float80.NEG_ZERO : Float80.ZERO;
            if (pa.cls == INF || pb.cls == INF) return pa.sign ? Float80.NEG_INF : Float80.INF;
        }
        if (pb.cls == ZERO) return packX80(pa.sign, pa.exp, pa.sig, 0);
        return packX80(bSign, pb.exp, pb.sig, 0);
    }

    /** |a| + |b| of normalised significands with unbiased exponents, into the result. */
    private void magAdd(boolean sign, int aExp, long aSig, int bExp, long bSig) {
        if (aExp < bExp) {
            int te = aExp; aExp = bExp; bExp = te;
            long ts = aSig; aSig = bSig; bSig = ts;
        }
        shiftRightJam(bSig, 0, aExp - bExp);
        long lo = rLo;
        long hi = aSig + rHi;
        int exp = aExp;
        if (Long.compareUnsigned(hi, aSig) < 0) {       // carry out of bit 63
            lo = (hi << 63) | (lo >>> 1) | (lo & 1);
            hi = (hi >>> 1) | Float80.J;
            exp++;
        }
        packTo(sign, exp, hi, lo, prec);
    }

    /** |a| - |b| with a's sign, into the result. */
    private void magSub(boolean sign, int aExp, long aSig, int bExp, long bSig) {
        int c = aExp != bExp ? Integer.compare(aExp, bExp) : Long.compareUnsigned(aSig, bSig);
        if (c == 0) {
            resSe = rc == RC_DOWN ? 0x8000 : 0;
            resSig = 0;
            return;
        }
        if (c < 0) {
            int te = aExp; aExp = bExp; bExp = te;
            long ts = aSig; aSig = bSig; bSig = ts;
            sign = !sign;
        }
        shiftRightJam(bSig, 0, aExp - bExp);
        long lo = -rLo;
        long hi = aSig - rHi - (rLo != 0 ? 1 : 0);
        packTo(sign, aExp, hi, lo, prec);
    }

    private Float80 mulSpecial(Float80 a, Float80 b) {
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

    private Float80 divSpecial(Float80 a, Float80 b) {
        if (a.invalidEncoding() || b.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts pa = unpack(a), pb = unpack(b);
        boolean sign = pa.sign ^ pb.sign;
        if (pa.cls == NORMAL && pb.cls == NORMAL) {
            divNormal(sign, pa.exp, pa.sig, pb.exp, pb.sig);
            return result();
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

    private Float80 sqrtSpecial(Float80 a) {
        if (a.invalidEncoding()) { flags |= IE; return Float80.DEFAULT_NAN; }
        Parts p = unpack(a);
        if (p.nan()) return returnNan(p);
        if (p.cls == ZERO) return a.sign() ? Float80.NEG_ZERO : Float80.ZERO;
        if (p.sign) { flags |= IE; return Float80.DEFAULT_NAN; }
        if (p.cls == INF) return Float80.INF;
        sqrtNormal(p.exp - 63, p.sig);
        return result();
    }

    /**
     * sqrt(sig * 2^k) for a normalised sig. With N = sig * 2^t (t = 63 or 64, k - t even,
     * so 2^126 <= N < 2^128) the root is r * 2^((k - t) / 2) plus a fraction, r =
     * floor(sqrt(N)) a 64-bit integer with its top bit set. The fraction is never exactly
     * one half (the root of an integer is an integer or irrational), so the remainder N - r^2
     * decides everything rounding needs: above half when it exceeds r, inexact when non-zero.
     */
    private void sqrtNormal(int k, long sig) {
        int t = (k & 1) == 0 ? 64 : 63;
        long nHi = sig >>> (64 - t), nLo = t == 64 ? 0 : sig << t;   // (Java takes shift counts mod 64)
        long r = rootEstimate(nHi, nLo);
        // One Newton step, r' = (r + N / r) / 2, from the double estimate (53 good bits) lands
        // within one of the root. Near 2^64 the quotient can reach 2^64: divide the part
        // above r * 2^64 and count that 2^64 as a carry.
        long carry = 0;
        if (Long.compareUnsigned(nHi, r) >= 0) {
            divide128(nHi - r, nLo, r);
            carry = 1;
        } else {
            divide128(nHi, nLo, r);
        }
        long sum = r + quo;
        if (Long.compareUnsigned(sum, r) < 0) carry++;
        r = carry >= 2 ? -1L : sum >>> 1 | carry << 63;
        long sqHi = unsignedMultiplyHigh(r, r), sqLo = r * r;
        while (compare128(sqHi, sqLo, nHi, nLo) > 0) {            // r^2 > N: one too many
            r--;
            sqHi = unsignedMultiplyHigh(r, r);
            sqLo = r * r;
        }
        while (r != -1L) {                                         // (r + 1)^2 <= N: one too few
            long r1 = r + 1;
            long h = unsignedMultiplyHigh(r1, r1), l = r1 * r1;
            if (compare128(h, l, nHi, nLo) > 0) break;
            r = r1;
            sqHi = h;
            sqLo = l;
        }
        long remLo = nLo - sqLo;
        long remHi = nHi - sqHi - (Long.compareUnsigned(nLo, sqLo) < 0 ? 1 : 0);
        boolean aboveHalf = remHi != 0 || Long.compareUnsigned(remLo, r) > 0;
        long lo = (aboveHalf ? Float80.J : 0) | ((remHi | remLo) != 0 ? 1 : 0);
        packTo(false, 63 + (k - t) / 2, r, lo, prec);
    }

    /** floor(sqrt(hi:lo)) to double precision, as an unsigned 64-bit value of at least 2^63. */
    private static long rootEstimate(long hi, long lo) {
        double n = unsignedToDouble(hi) * 0x1p64 + unsignedToDouble(lo);
        double root = Math.sqrt(n);
        if (root >= 0x1p64) return -1L;
        return root >= 0x1p63 ? (long) (root - 0x1p63) | Long.MIN_VALUE : Long.MIN_VALUE;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : ((double) (v >>> 1 | (v & 1))) * 2.0;
    }

    private static int compare128(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /**
     * Correctly rounded a / b of normalised significands: with A >= B the quotient has an
     * integer bit (taken out first), then two 64-bit quotient digits of the fraction and a
     * sticky bit for a non-zero remainder; more bits than any precision needs to round.
     */
    private void divNormal(boolean sign, int aExp, long A, int bExp, long B) {
        boolean integerBit = Long.compareUnsigned(A, B) >= 0;
        if (integerBit) A -= B;
        divide128(A, 0, B);
        long q1 = quo;
        divide128(rem, 0, B);
        long q2 = quo;
        long sticky = rem != 0 ? 1 : 0;
        if (integerBit) {
            packTo(sign, aExp - bExp, Float80.J | q1 >>> 1, q1 << 63 | q2 >>> 1 | (q2 & 1) | sticky, prec);
        } else {
            packTo(sign, aExp - bExp - 1, q1, q2 | sticky, prec);
        }
    }

    /** Output of {@link #divide128}. */
    private long quo, rem;

    /**
     * Unsigned (uHi:uLo) / v for a normalised divisor (bit 63 set) and uHi < v, so the
     * quotient fits 64 bits: long division in two 32-bit digits, each estimated from the
     * divisor's top half and corrected at most twice (Knuth, TAOCP Vol. 2 §4.3.1, D3).
     */
    private void divide128(long uHi, long uLo, long v) {
        final long b = 1L << 32, mask = b - 1;
        long vHi = v >>> 32, vLo = v & mask;
        long u1 = uLo >>> 32, u0 = uLo & mask;
        long q1 = Long.divideUnsigned(uHi, vHi);
        long rhat = uHi - q1 * vHi;
        while (Long.compareUnsigned(q1, b) >= 0
                || Long.compareUnsigned(q1 * vLo, (rhat << 32) | u1) > 0) {
            q1--;
            rhat += vHi;
            if (Long.compareUnsigned(rhat, b) >= 0) break;
        }
        long u21 = (uHi << 32 | u1) - q1 * v;
        long q0 = Long.divideUnsigned(u21, vHi);
        rhat = u21 - q0 * vHi;
        while (Long.compareUnsigned(q0, b) >= 0
                || Long.compareUnsigned(q0 * vLo, (rhat << 32) | u0) > 0) {
            q0--;
            rhat += vHi;
            if (Long.compareUnsigned(rhat, b) >= 0) break;
        }
        quo = q1 << 32 | q0;
        rem = (u21 << 32 | u0) - q0 * v;
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
        fromLongTo(v, p);
        return result();
    }

    /** {@link #fromLong} into the result. */
    public void fromLongTo(long v, int p) {
        boolean sign = v < 0;
        long m = sign ? -v : v;                  // Long.MIN_VALUE stays 2^63 unsigned
        packTo(sign, 63, m, 0, p);
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
        fromF32To(v);
        return result();
    }

    /** {@link #fromF32} into the result. */
    public void fromF32To(int v) {
        int e = (v >>> 23) & 0xFF;
        if (e != 0 && e != 0xFF) {
            packTo(v < 0, e - 127, ((long) (v & 0x7FFFFF) | 0x800000) << 40, 0, prec);
            return;
        }
        set(fromF32Special(v));
    }

    /** Infinities, NaNs, zeros and denormals of {@link #fromF32To}. */
    private Float80 fromF32Special(int v) {
        boolean sign = v < 0;
        int e = (v >>> 23) & 0xFF;
        long f = v & 0x7FFFFF;
        if (e == 0xFF) {
            if (f == 0) return sign ? Float80.NEG_INF : Float80.INF;
            Parts p = new Parts((f & 0x400000) != 0 ? QNAN : SNAN, sign, 0, f << 40);
            return returnNan(p);
        }
        if (f == 0) return sign ? Float80.NEG_ZERO : Float80.ZERO;
        return packX80(sign, -126 - 23 + 63, f, 0);              // a denormal float
    }

    public Float80 fromF64(long v) {
        fromF64To(v);
        return result();
    }

    /** {@link #fromF64} into the result. */
    public void fromF64To(long v) {
        int e = (int) ((v >>> 52) & 0x7FF);
        if (e != 0 && e != 0x7FF) {
            packTo(v < 0, e - 1023, ((v & 0xFFFFFFFFFFFFFL) | 0x10000000000000L) << 11, 0, prec);
            return;
        }
        set(fromF64Special(v));
    }

    /** Infinities, NaNs, zeros and denormals of {@link #fromF64To}. */
    private Float80 fromF64Special(long v) {
        boolean sign = v < 0;
        int e = (int) ((v >>> 52) & 0x7FF);
        long f = v & 0xFFFFFFFFFFFFFL;
        if (e == 0x7FF) {
            if (f == 0) return sign ? Float80.NEG_INF : Float80.INF;
            Parts p = new Parts((f & 0x8000000000000L) != 0 ? QNAN : SNAN, sign, 0, f << 11);
            return returnNan(p);
        }
        if (f == 0) return sign ? Float80.NEG_ZERO : Float80.ZERO;
        return packX80(sign, -1022 - 52 + 63, f, 0);             // a denormal double
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

    private int compareSpecial(Float80 a, Float80 b, boolean quiet) {
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
