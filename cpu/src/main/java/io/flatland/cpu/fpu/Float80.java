package io.flatland.cpu.fpu;

/**
 * An x87 80-bit extended-precision value as stored in a register or in memory: a 16-bit
 * sign-and-exponent word and a 64-bit significand with an explicit integer bit (SDM Vol. 1
 * §4.2.2, §8.2). Immutable; arithmetic lives in {@link SoftFloat}.
 */
public final class Float80 {
    public static final int BIAS = 16383, EXP_MAX = 0x7FFF;
    public static final long J = 0x8000000000000000L;
    public static final long QUIET = 0x4000000000000000L;

    public static final Float80 ZERO = new Float80(0, 0);
    public static final Float80 NEG_ZERO = new Float80(0x8000, 0);
    public static final Float80 ONE = new Float80(0x3FFF, J);
    public static final Float80 INF = new Float80(0x7FFF, J);
    public static final Float80 NEG_INF = new Float80(0xFFFF, J);
    /** The x87 "real indefinite": negative quiet NaN with only the quiet bit set in the fraction. */
    public static final Float80 DEFAULT_NAN = new Float80(0xFFFF, 0xC000000000000000L);

    /** Sign (bit 15) and biased exponent (bits 0-14). */
    public final int se;
    public final long sig;

    public Float80(int se, long sig) {
        this.se = se & 0xFFFF;
        this.sig = sig;
    }

    public int exp() { return se & 0x7FFF; }

    public boolean sign() { return (se & 0x8000) != 0; }

    public Float80 negate() { return new Float80(se ^ 0x8000, sig); }

    public Float80 abs() { return new Float80(se & 0x7FFF, sig); }

    public Float80 withSign(boolean neg) { return new Float80(neg ? se | 0x8000 : se & 0x7FFF, sig); }

    /** Unnormals, pseudo-NaNs and pseudo-infinities: non-zero exponent without the integer bit. */
    public boolean invalidEncoding() { return (sig & J) == 0 && exp() != 0; }

    public boolean isZero() { return exp() == 0 && sig == 0; }

    public boolean isInf() { return exp() == EXP_MAX && (sig << 1) == 0; }

    public boolean isNan() { return exp() == EXP_MAX && (sig << 1) != 0; }

    public boolean isSignalingNan() { return isNan() && (sig & QUIET) == 0; }

    public boolean isDenormal() { return exp() == 0 && sig != 0; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Float80 f && f.se == se && f.sig == sig;
    }

    @Override
    public int hashCode() { return se * 31 + Long.hashCode(sig); }

    @Override
    public String toString() { return String.format("%04x:%016x", se, sig); }
}
