package io.flatland.cpu.fpu;

/**
 * FSIN, FCOS, FSINCOS, FPTAN, F2XM1, FYL2X, FYL2XP1, FPATAN.
 *
 * <p>QEMU 7.2 computes FSIN/FCOS/FSINCOS/FPTAN through the host's double: the operand is
 * converted to double in the current rounding mode, the libm function applied and the result
 * converted back at the current precision; no exception flags reach the status word, C2 is
 * set (operand left alone) when |x| > 2^63. We do the same, with the double results correctly
 * rounded as glibc's are (see {@link #libm}).
 *
 * <p>F2XM1, FYL2X, FYL2XP1 and FPATAN are computed by QEMU 7.2 with 80-bit polynomial
 * approximations; we follow its special cases (NaNs, invalid operands, zeros, infinities,
 * out-of-range arguments) but compute the general case in double precision, so the low
 * bits of those results are not bit-identical to QEMU.
 */
public final class Transcendental {
    private Transcendental() { }

    private static final double MAXTAN = 9223372036854775808.0;

    private static double toDouble(SoftFloat sf, Float80 v) {
        int saved = sf.flags;
        double d = Double.longBitsToDouble(sf.toF64(v));
        sf.flags = saved;
        return d;
    }

    private static Float80 fromDouble(SoftFloat sf, double d) {
        int saved = sf.flags;
        Float80 r = sf.fromF64(Double.doubleToRawLongBits(d));
        sf.flags = saved;
        return r;
    }

    private static final java.math.BigDecimal PI = new java.math.BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651");
    private static final java.math.MathContext MC = new java.math.MathContext(60);

    /**
     * sin (0), cos (1) or tan (2) of a double, correctly rounded to double as the host glibc
     * that QEMU calls computes them: argument reduced by pi/2 with a 110-digit pi, Taylor
     * series to 60 digits, one final rounding.
     */
    static double libm(double x, int fn) {
        if (Double.isNaN(x)) return x;
        if (Double.isInfinite(x)) return Double.longBitsToDouble(0xFFF8000000000000L);
        if (x == 0) return fn == 1 ? 1.0 : x;
        java.math.BigDecimal bx = new java.math.BigDecimal(x);
        java.math.BigDecimal halfPi = PI.divide(java.math.BigDecimal.valueOf(2));
        java.math.BigInteger k = bx.divide(halfPi, new java.math.MathContext(40))
                .setScale(0, java.math.RoundingMode.HALF_EVEN).toBigIntegerExact();
        java.math.BigDecimal r = bx.subtract(halfPi.multiply(new java.math.BigDecimal(k)), new java.math.MathContext(80));
        java.math.BigDecimal sin = java.math.BigDecimal.ZERO, cos = java.math.BigDecimal.ZERO;
        java.math.BigDecimal term = r, r2 = r.multiply(r, MC);
        for (int n = 1; n < 80 && term.signum() != 0; n += 2) {       // r - r^3/3! + ...
            sin = sin.add(term, MC);
            term = term.multiply(r2, MC).divide(java.math.BigDecimal.valueOf(-(long) (n + 1) * (n + 2)), MC);
            if (term.abs().compareTo(java.math.BigDecimal.ONE.movePointLeft(70)) < 0) break;
        }
        term = java.math.BigDecimal.ONE;
        for (int n = 0; n < 80 && term.signum() != 0; n += 2) {        // 1 - r^2/2! + ...
            cos = cos.add(term, MC);
            term = term.multiply(r2, MC).divide(java.math.BigDecimal.valueOf(-(long) (n + 1) * (n + 2)), MC);
            if (term.abs().compareTo(java.math.BigDecimal.ONE.movePointLeft(70)) < 0) break;
        }
        int q = k.and(java.math.BigInteger.valueOf(3)).intValue();
        java.math.BigDecimal s = switch (q) { case 0 -> sin; case 1 -> cos; case 2 -> sin.negate(); default -> cos.negate(); };
        java.math.BigDecimal c = switch (q) { case 0 -> cos; case 1 -> sin.negate(); case 2 -> cos.negate(); default -> sin; };
        java.math.BigDecimal v = switch (fn) {
            case 0 -> s;
            case 1 -> c;
            default -> s.divide(c, MC);
        };
        return v.doubleValue();
    }

    public static void fsin(FpuState f) { sinCos(f, 0); }

    public static void fcos(FpuState f) { sinCos(f, 1); }

    private static void sinCos(FpuState f, int fn) {
        double x = toDouble(f.sf, f.st(0));
        if (x > MAXTAN || x < -MAXTAN) {
            f.fpus |= 0x400;
            return;
        }
        f.setSt(0, fromDouble(f.sf, libm(x, fn)));
        f.fpus &= ~0x400;
    }

    public static void fsincos(FpuState f) {
        double x = toDouble(f.sf, f.st(0));
        if (x > MAXTAN || x < -MAXTAN) {
            f.fpus |= 0x400;
            return;
        }
        f.setSt(0, fromDouble(f.sf, libm(x, 0)));
        f.push();
        f.setSt(0, fromDouble(f.sf, libm(x, 1)));
        f.fpus &= ~0x400;
    }

    public static void fptan(FpuState f) {
        double x = toDouble(f.sf, f.st(0));
        if (x > MAXTAN || x < -MAXTAN) {
            f.fpus |= 0x400;
            return;
        }
        f.setSt(0, fromDouble(f.sf, libm(x, 2)));
        f.push();
        f.setSt(0, Float80.ONE);
        f.fpus &= ~0x400;
    }

    /** Rounds a double approximation of an inexact result to the 80-bit format (PE, maybe UE). */
    private static Float80 inexact(SoftFloat sf, double d) {
        int p = sf.prec;
        sf.prec = 64;
        Float80 r = sf.fromF64(Double.doubleToRawLongBits(d));
        sf.prec = p;
        sf.flags |= SoftFloat.PE;
        return r;
    }

    public static void f2xm1(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        Float80 v = f.st(0);
        int exp = v.exp();
        if (v.invalidEncoding()) {
            sf.flags |= SoftFloat.IE;
            f.setSt(0, Float80.DEFAULT_NAN);
        } else if (v.isNan()) {
            if (v.isSignalingNan()) {
                sf.flags |= SoftFloat.IE;
                f.setSt(0, new Float80(v.se, v.sig | Float80.QUIET));
            }
        } else if (exp > 0x3fff || (exp == 0x3fff && v.sig != Float80.J)) {
            sf.flags |= SoftFloat.IE;
            f.setSt(0, Float80.DEFAULT_NAN);
        } else if (exp == 0x3fff) {
            if (v.sign()) f.setSt(0, new Float80(0xbffe, Float80.J));
        } else if (!v.isZero()) {
            double x = toDouble(sf, v);
            f.setSt(0, inexact(sf, StrictMath.expm1(x * Math.log(2))));
        }
        f.setException(sf.flags);
    }

    /** Common NaN/invalid handling of the two-operand functions; true when ST1 is decided. */
    private static boolean twoOperandSpecial(FpuState f, SoftFloat sf) {
        Float80 a = f.st(0), b = f.st(1);
        if (a.isSignalingNan()) {
            sf.flags |= SoftFloat.IE;
            f.setSt(1, new Float80(a.se, a.sig | Float80.QUIET));
        } else if (b.isSignalingNan()) {
            sf.flags |= SoftFloat.IE;
            f.setSt(1, new Float80(b.se, b.sig | Float80.QUIET));
        } else if (a.invalidEncoding() || b.invalidEncoding()) {
            sf.flags |= SoftFloat.IE;
            f.setSt(1, Float80.DEFAULT_NAN);
        } else if (a.isNan()) {
            f.setSt(1, a);
        } else if (b.isNan()) {
            return true;
        } else {
            return false;
        }
        return true;
    }

    public static void fyl2x(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        if (!twoOperandSpecial(f, sf)) {
            Float80 a = f.st(0), b = f.st(1);
            if (a.sign() && !a.isZero()) {
                sf.flags |= SoftFloat.IE;
                f.setSt(1, Float80.DEFAULT_NAN);
            } else if (a.isZero()) {
                if (b.isZero()) {
                    sf.flags |= SoftFloat.IE;
                    f.setSt(1, Float80.DEFAULT_NAN);
                } else {
                    sf.flags |= SoftFloat.ZE;
                    f.setSt(1, b.sign() ? Float80.INF : Float80.NEG_INF);
                }
            } else if (a.isInf()) {
                if (b.isZero()) {
                    sf.flags |= SoftFloat.IE;
                    f.setSt(1, Float80.DEFAULT_NAN);
                } else {
                    f.setSt(1, b.sign() ? Float80.NEG_INF : Float80.INF);
                }
            } else if (a.equals(Float80.ONE)) {
                if (b.isInf()) {
                    sf.flags |= SoftFloat.IE;
                    f.setSt(1, Float80.DEFAULT_NAN);
                } else {
                    f.setSt(1, b.sign() ? Float80.NEG_ZERO : Float80.ZERO);
                }
            } else if (b.isInf()) {
                boolean less = sf.compare(a, Float80.ONE, true) < 0;
                f.setSt(1, less ? b.negate() : b);
            } else if (b.isZero()) {
                boolean less = sf.compare(a, Float80.ONE, true) < 0;
                f.setSt(1, less ? b.negate() : b);
            } else {
                double x = toDouble(sf, a), y = toDouble(sf, b);
                double l = Math.log(x) / Math.log(2);
                f.setSt(1, inexact(sf, l * y));
            }
        }
        f.pop();
        f.setException(sf.flags);
    }

    public static void fyl2xp1(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        if (!twoOperandSpecial(f, sf)) {
            Float80 a = f.st(0), b = f.st(1);
            int e = a.exp();
            if (e > 0x3ffd || (e == 0x3ffd && Long.compareUnsigned(a.sig,
                    a.sign() ? 0x95f619980c4336f7L : 0xd413cccfe7799211L) > 0)) {
                sf.flags |= SoftFloat.IE;
                f.setSt(1, Float80.DEFAULT_NAN);
            } else if (a.isZero() || b.isZero() || b.exp() == 0x7fff) {
                f.setSt(1, sf.mul(a, b));
            } else {
                double x = toDouble(sf, a), y = toDouble(sf, b);
                f.setSt(1, inexact(sf, Math.log1p(x) / Math.log(2) * y));
            }
        }
        f.pop();
        f.setException(sf.flags);
    }

    public static void fpatan(FpuState f) {
        SoftFloat sf = f.sf;
        sf.flags = 0;
        if (!twoOperandSpecial(f, sf)) {
            Float80 a = f.st(0), b = f.st(1);
            if (b.isZero() && !a.sign()) {
                // ST1 passes through
            } else {
                double x = toDouble(sf, a), y = toDouble(sf, b);
                f.setSt(1, inexact(sf, StrictMath.atan2(y, x)));
            }
        }
        f.pop();
        f.setException(sf.flags);
    }
}
