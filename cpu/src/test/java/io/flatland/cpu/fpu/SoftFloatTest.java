package io.flatland.cpu.fpu;

import org.junit.jupiter.api.Test;

import static io.flatland.cpu.fpu.SoftFloat.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Rounding and special-value cases of the 80-bit arithmetic, worked out by hand from IEEE
 * 754 (round to nearest-even, directed roundings, gradual underflow with tininess after
 * rounding, overflow by rounding direction) and the x87 formats.
 */
class SoftFloatTest {
    private static final long J = Float80.J;

    private static Float80 f(int se, long sig) { return new Float80(se, sig); }

    private static SoftFloat sf(int rc, int prec) {
        SoftFloat s = new SoftFloat();
        s.rc = rc;
        s.prec = prec;
        return s;
    }

    /** 2^e as an extended value. */
    private static Float80 pow2(int e) { return f(0x3FFF + e, J); }

    @Test
    void tieAtSixtyFourBitsRoundsToEven() {
        // 1 + 2^-64 is exactly half an ulp (ulp of 1 = 2^-63) above 1.
        SoftFloat s = sf(RC_NEAREST, 64);
        assertEquals(f(0x3FFF, J), s.add(Float80.ONE, pow2(-64)));
        assertEquals(PE, s.flags);
        // 1 + 2^-63 + 2^-64: tie with an odd lsb rounds up to 1 + 2^-62.
        s.flags = 0;
        assertEquals(f(0x3FFF, J | 2), s.add(f(0x3FFF, J | 1), pow2(-64)));
        assertEquals(PE, s.flags);
    }

    @Test
    void directedRoundings() {
        Float80 a = Float80.ONE, b = pow2(-64);
        assertEquals(f(0x3FFF, J | 1), sf(RC_UP, 64).add(a, b));
        assertEquals(f(0x3FFF, J), sf(RC_DOWN, 64).add(a, b));
        assertEquals(f(0x3FFF, J), sf(RC_ZERO, 64).add(a, b));
        // Negative: -1 - 2^-64 rounds away from zero only when rounding down.
        assertEquals(f(0xBFFF, J | 1), sf(RC_DOWN, 64).sub(a.negate(), b));
        assertEquals(f(0xBFFF, J), sf(RC_UP, 64).sub(a.negate(), b));
        // 1 - 2^-65 lies between 1 - 2^-64 (all ones) and 1; three quarters of the way up.
        assertEquals(f(0x3FFE, -1L), sf(RC_ZERO, 64).sub(a, f(0x3FFF - 65, J | (J >>> 1))));
    }

    @Test
    void precisionControlRoundsSignificandOnly() {
        // PC=24: 1 + 2^-24 is a tie (ulp 2^-23), even -> 1; 1 + 3*2^-25 rounds up.
        SoftFloat s = sf(RC_NEAREST, 24);
        assertEquals(Float80.ONE, s.add(Float80.ONE, pow2(-24)));
        assertEquals(f(0x3FFF, J | 1L << 40), s.add(Float80.ONE, f(0x3FFF - 24, J | J >>> 1)));
        // PC=53: 1/3 = 1.0101...b * 2^-2, 53 bits then round to nearest (next bit 1, rest non-zero: up).
        Float80 third = sf(RC_NEAREST, 53).div(Float80.ONE, f(0x4000, 0xC000000000000000L));
        assertEquals(f(0x3FFD, 0xAAAAAAAAAAAAA800L), third);
        // The exponent range stays the extended one: 2^-16000 is a normal number at PC=24.
        assertEquals(f(0x3FFF - 16000, J), sf(RC_NEAREST, 24).mul(pow2(-8000), pow2(-8000)));
    }

    @Test
    void divisionAndSquareRootAreCorrectlyRounded() {
        Float80 three = f(0x4000, 0xC000000000000000L);
        assertEquals(f(0x3FFD, 0xAAAAAAAAAAAAAAABL), sf(RC_NEAREST, 64).div(Float80.ONE, three));
        assertEquals(f(0x3FFD, 0xAAAAAAAAAAAAAAAAL), sf(RC_DOWN, 64).div(Float80.ONE, three));
        // sqrt(2) = 1.6A09E667F3BCC908B2FB... -> 0xB504F333F9DE6484 | 597D...: below half.
        Float80 two = pow2(1);
        assertEquals(f(0x3FFF, 0xB504F333F9DE6484L), sf(RC_NEAREST, 64).sqrt(two));
        assertEquals(f(0x3FFF, 0xB504F333F9DE6485L), sf(RC_UP, 64).sqrt(two));
        SoftFloat s = sf(RC_NEAREST, 64);
        assertEquals(f(0x4000, J), s.sqrt(f(0x4001, J)));   // sqrt(4) = 2 exactly
        assertEquals(0, s.flags);
        assertEquals(Float80.DEFAULT_NAN, s.sqrt(Float80.ONE.negate()));
        assertEquals(IE, s.flags);
        assertEquals(Float80.NEG_ZERO, s.sqrt(Float80.NEG_ZERO));
    }

    @Test
    void overflowFollowsRoundingDirection() {
        Float80 max = f(0x7FFE, -1L);
        SoftFloat s = sf(RC_NEAREST, 64);
        assertEquals(Float80.INF, s.mul(max, pow2(1)));
        assertEquals(OE | PE, s.flags);
        assertEquals(max, sf(RC_ZERO, 64).mul(max, pow2(1)));
        assertEquals(max, sf(RC_DOWN, 64).mul(max, pow2(1)));
        assertEquals(Float80.NEG_INF, sf(RC_DOWN, 64).mul(max.negate(), pow2(1)));
        assertEquals(f(0x7FFE, 0xFFFFFF0000000000L), sf(RC_ZERO, 24).mul(max, pow2(1)));
    }

    @Test
    void gradualUnderflow() {
        Float80 minNormal = f(0x0001, J);
        SoftFloat s = sf(RC_NEAREST, 64);
        // Exact denormal: no flags.
        assertEquals(f(0, J >>> 1), s.mul(minNormal, pow2(-1)));
        assertEquals(0, s.flags);
        // Half the smallest denormal is a tie between 0 and it: even -> 0, UE and PE.
        Float80 minDenormal = f(0, 1);
        assertEquals(Float80.ZERO, s.mul(minDenormal, pow2(-1)));
        assertEquals(UE | PE, s.flags);
        assertEquals(minDenormal, sf(RC_UP, 64).mul(minDenormal, pow2(-1)));
        // (2 - 2^-63) * 2^-16383 = (1 - 2^-64) * 2^-16382: exact at 64 bits with unbounded
        // exponent (so tiny after rounding), but rounds up to the smallest normal in the
        // denormal format: result 2^-16382 with UE and PE.
        s.flags = 0;
        assertEquals(minNormal, s.mul(f(0x3FFF, -1L), f(0, J >>> 1)));
        assertEquals(UE | PE, s.flags);
        // Tininess before rounding would also flag a value that rounds up to a normal.
        s.flags = 0;
        s.tininessBeforeRounding = true;
        assertEquals(minNormal, s.mul(f(0x3FFF, -1L), f(0, J >>> 1)));
        assertEquals(UE | PE, s.flags);
    }

    @Test
    void signedZerosAndSpecials() {
        SoftFloat s = sf(RC_NEAREST, 64);
        assertEquals(Float80.ZERO, s.sub(Float80.ONE, Float80.ONE));
        assertEquals(Float80.NEG_ZERO, sf(RC_DOWN, 64).sub(Float80.ONE, Float80.ONE));
        assertEquals(Float80.NEG_ZERO, s.add(Float80.NEG_ZERO, Float80.NEG_ZERO));
        assertEquals(Float80.DEFAULT_NAN, s.sub(Float80.INF, Float80.INF));
        assertEquals(IE, s.flags);
        s.flags = 0;
        assertEquals(Float80.NEG_INF, s.div(Float80.ONE.negate(), Float80.ZERO));
        assertEquals(ZE, s.flags);
        s.flags = 0;
        assertEquals(Float80.DEFAULT_NAN, s.div(Float80.ZERO, Float80.ZERO));
        assertEquals(Float80.DEFAULT_NAN, s.mul(Float80.INF, Float80.ZERO));
        // Unnormal (integer bit clear, exponent non-zero) is an invalid operand.
        s.flags = 0;
        assertEquals(Float80.DEFAULT_NAN, s.add(f(0x3FFF, 0x4000000000000000L), Float80.ONE));
        assertEquals(IE, s.flags);
        // Pseudo-denormal reads as the equal normal value 2^-16382.
        assertEquals(f(0x0002, J), s.add(f(0, J), f(0, J)));
    }

    @Test
    void nanPropagation() {
        SoftFloat s = sf(RC_NEAREST, 64);
        Float80 qnan = f(0x7FFF, 0xC000000000000001L);
        Float80 snan = f(0x7FFF, 0x8000000000000002L);
        assertEquals(qnan, s.add(snan, qnan));                 // SNaN + QNaN -> the QNaN
        assertEquals(IE, s.flags);
        s.flags = 0;
        assertEquals(f(0x7FFF, 0xC000000000000002L), s.mul(Float80.ONE, snan));   // silenced
        assertEquals(IE, s.flags);
        s.flags = 0;
        Float80 big = f(0xFFFF, 0xC000000000000100L);
        assertEquals(big, s.add(qnan, big));                   // larger significand wins
        assertEquals(big, s.add(big, qnan));
        assertEquals(0, s.flags);
        assertEquals(UNORDERED, s.compare(qnan, Float80.ONE, true));
        assertEquals(0, s.flags);
        assertEquals(UNORDERED, s.compare(qnan, Float80.ONE, false));
        assertEquals(IE, s.flags);
    }

    @Test
    void integerConversions() {
        SoftFloat s = sf(RC_NEAREST, 64);
        Float80 twoAndHalf = f(0x4000, 0xA000000000000000L), threeAndHalf = f(0x4000, 0xE000000000000000L);
        assertEquals(2, s.toInt(twoAndHalf, 32, false));
        assertEquals(4, s.toInt(threeAndHalf, 32, false));
        assertEquals(-2, s.toInt(twoAndHalf.negate(), 32, false));
        assertEquals(PE, s.flags);
        assertEquals(-3, sf(RC_DOWN, 64).toInt(twoAndHalf.negate(), 32, false));
        assertEquals(3, s.toInt(threeAndHalf, 32, true));
        s.flags = 0;
        assertEquals(Integer.MAX_VALUE, s.toInt(pow2(31), 32, false));
        assertEquals(IE, s.flags);
        assertEquals(Integer.MIN_VALUE, s.toInt(pow2(31).negate(), 32, false));
        assertEquals(Long.MIN_VALUE, s.toInt(pow2(63).negate(), 64, false));
        assertEquals(f(0x403E, J), s.fromLong(Long.MIN_VALUE, 64).negate());
        // FILD at PC=24 of 2^24 + 1 (tie) rounds to even 2^24.
        assertEquals(pow2(24), sf(RC_NEAREST, 24).fromLong((1 << 24) + 1, 24));
    }

    @Test
    void floatFormats() {
        SoftFloat s = sf(RC_NEAREST, 64);
        assertEquals(f(0x3BCD, J), s.fromF64(1));                       // 2^-1074
        assertEquals(f(0x3F6A, J), s.fromF32(1));                       // 2^-149
        assertEquals(f(0x7FFF, 0xC000000000000000L), s.fromF32(0x7FC00000));
        assertEquals(0x3F800000, s.toF32(f(0x3FFF, J | 1L << 39)));    // 1 + 2^-24: tie -> 1
        assertEquals(PE, s.flags);
        s.flags = 0;
        assertEquals(0x00000002, s.toF32(f(0x3FFF - 149, 0xC000000000000000L)));   // 1.5 * 2^-149 -> 2^-148
        assertEquals(UE | PE, s.flags);
        s.flags = 0;
        assertEquals(0x7F800000, s.toF32(f(0x7FFE, J)));
        assertEquals(OE | PE, s.flags);
        assertEquals(0x7FEFFFFFFFFFFFFFL, sf(RC_ZERO, 64).toF64(f(0x7FFE, J)));
        assertEquals(0xFFC00000, s.toF32(f(0x3FFF, 0)));               // unnormal -> default NaN
    }

    @Test
    void roundToIntegerAndRemainder() {
        SoftFloat s = sf(RC_NEAREST, 64);
        assertEquals(Float80.ZERO, s.roundToInt(pow2(-1)));
        assertEquals(Float80.NEG_ZERO, s.roundToInt(pow2(-1).negate()));
        assertEquals(pow2(1), s.roundToInt(f(0x3FFF, 0xC000000000000000L)));   // 1.5 -> 2
        assertEquals(Float80.ONE, sf(RC_DOWN, 64).roundToInt(f(0x3FFF, 0xC000000000000000L)));
        Float80 seven = f(0x4001, 0xE000000000000000L), two = pow2(1);
        assertEquals(Float80.ONE, s.modrem(seven, two, true));
        assertEquals(3, s.quotient);
        assertEquals(Float80.ONE.negate(), s.modrem(seven, two, false));  // 3.5 -> 4, 7 - 8
        assertEquals(4, s.quotient);
        assertEquals(Float80.ONE, s.modrem(f(0x4001, 0xA000000000000000L), two, false));  // 2.5 -> 2
    }

    /**
     * Division and square root against exact arithmetic: the quotient or root computed with
     * BigInteger to 130 bits plus a sticky bit, rounded by the same packX80, on random and
     * edge significands (all ones, 2^63, 2^63 + 1), over every rounding and precision
     * control and exponents that overflow, underflow and stay normal.
     */
    @Test
    void divisionAndSquareRootMatchExactArithmetic() {
        java.util.Random rnd = new java.util.Random(80);
        long[] edges = {J, J | 1, -1L, -2L, 0xC000000000000000L, 0xB504F333F9DE6484L, 0xFFFFFFFF00000000L, J | 0xFFFFFFFFL};
        int[] precs = {24, 53, 64};
        for (int i = 0; i < 20000; i++) {
            long sa = i % 4 == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextLong() | J;
            long sb = i % 3 == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextLong() | J;
            int ea = i % 50 == 0 ? rnd.nextInt(0x7FFE) + 1 : 0x3FFF + rnd.nextInt(200) - 100;
            int eb = i % 50 == 1 ? rnd.nextInt(0x7FFE) + 1 : 0x3FFF + rnd.nextInt(200) - 100;
            Float80 a = f((rnd.nextBoolean() ? 0x8000 : 0) | ea, sa), b = f((rnd.nextBoolean() ? 0x8000 : 0) | eb, sb);
            int rc = rnd.nextInt(4), prec = precs[rnd.nextInt(3)];
            SoftFloat fast = sf(rc, prec), exact = sf(rc, prec);
            assertEquals(exactQuotient(exact, a, b), fast.div(a, b), () -> a + " / " + b + " rc " + rc + " pc " + prec);
            assertEquals(exact.flags, fast.flags, () -> "flags of " + a + " / " + b);
            Float80 p = a.abs();
            fast = sf(rc, prec);
            exact = sf(rc, prec);
            assertEquals(exactRoot(exact, p), fast.sqrt(p), () -> "sqrt " + p + " rc " + rc + " pc " + prec);
            assertEquals(exact.flags, fast.flags, () -> "flags of sqrt " + p);
        }
    }

    private static java.math.BigInteger big(long v) {
        return new java.math.BigInteger(Long.toUnsignedString(v));
    }

    /** v * 2^scale with a sticky bit, v's top 128 bits kept, rounded by packX80. */
    private static Float80 pack(SoftFloat s, boolean sign, int scale, java.math.BigInteger v, boolean sticky) {
        int sh = v.bitLength() - 128;
        if (sh > 0) {
            sticky |= v.getLowestSetBit() < sh;
            v = v.shiftRight(sh);
        } else {
            v = v.shiftLeft(-sh);
        }
        long hi = v.shiftRight(64).longValue(), lo = v.longValue() | (sticky ? 1 : 0);
        return s.packX80(sign, scale + sh + 127, hi, lo);
    }

    private static Float80 exactQuotient(SoftFloat s, Float80 a, Float80 b) {
        java.math.BigInteger[] qr = big(a.sig).shiftLeft(130).divideAndRemainder(big(b.sig));
        return pack(s, a.sign() ^ b.sign(), a.exp() - b.exp() - 130, qr[0], qr[1].signum() != 0);
    }

    private static Float80 exactRoot(SoftFloat s, Float80 a) {
        int k = a.exp() - Float80.BIAS - 63;           // a = sig * 2^k
        int t = (k & 1) == 0 ? 196 : 197;
        java.math.BigInteger n = big(a.sig).shiftLeft(t), r = n.sqrt();
        return pack(s, false, (k - t) / 2, r, !r.multiply(r).equals(n));
    }

    /**
     * Addition, subtraction and multiplication of normal operands at 64 bits, rounded to
     * nearest-even, against exact BigInteger arithmetic with its own rounding (the path
     * these take most often has a shortcut of its own in SoftFloat).
     */
    @Test
    void nearestEvenAtSixtyFourBitsMatchesExactArithmetic() {
        java.util.Random rnd = new java.util.Random(64);
        for (int i = 0; i < 20000; i++) {
            long sa = rnd.nextLong() | J, sb = rnd.nextLong() | J;
            if (i % 4 == 0) sb = sa ^ (rnd.nextLong() & 0xFF);          // near cancellation
            if (i % 7 == 0) sb = J | (1L << rnd.nextInt(63));             // ties and carries
            int ea = 0x3FFF + rnd.nextInt(140) - 70, eb = 0x3FFF + rnd.nextInt(140) - 70;
            Float80 a = f((rnd.nextBoolean() ? 0x8000 : 0) | ea, sa), b = f((rnd.nextBoolean() ? 0x8000 : 0) | eb, sb);
            java.math.BigInteger x = signed(a).shiftLeft(ea - 0x3F00), y = signed(b).shiftLeft(eb - 0x3F00);
            int scale = -2 * 0x3F00 + 2 * 0x3FFF + 2 * 63;                // of x * y; x + y: half of it
            SoftFloat s = sf(RC_NEAREST, 64);
            assertEquals(nearest(x.add(y), scale / 2), s.add(a, b), () -> a + " + " + b);
            assertEquals(nearest(x.subtract(y), scale / 2), s.sub(a, b), () -> a + " - " + b);
            assertEquals(nearest(x.multiply(y), scale), s.mul(a, b), () -> a + " * " + b);
        }
    }

    /** The value of a normal a as an integer: significand times 2^(exponent - 0x3F00), signed. */
    private static java.math.BigInteger signed(Float80 a) {
        java.math.BigInteger m = big(a.sig);
        return a.sign() ? m.negate() : m;
    }

    /** v * 2^-scale rounded to 64 bits, nearest-even, as an extended value (normal range). */
    private static Float80 nearest(java.math.BigInteger v, int scale) {
        if (v.signum() == 0) return Float80.ZERO;
        boolean neg = v.signum() < 0;
        java.math.BigInteger m = v.abs();
        int drop = m.bitLength() - 64;
        java.math.BigInteger q = drop > 0 ? m.shiftRight(drop) : m.shiftLeft(-drop);
        if (drop > 0) {
            java.math.BigInteger rest = m.subtract(q.shiftLeft(drop)), half = java.math.BigInteger.ONE.shiftLeft(drop - 1);
            int c = rest.compareTo(half);
            if (c > 0 || (c == 0 && q.testBit(0))) q = q.add(java.math.BigInteger.ONE);
            if (q.bitLength() > 64) {
                q = q.shiftRight(1);
                drop++;
            }
        }
        int exp = drop + 63 - scale + 0x3FFF;
        return f((neg ? 0x8000 : 0) | exp, q.longValue());
    }
}
