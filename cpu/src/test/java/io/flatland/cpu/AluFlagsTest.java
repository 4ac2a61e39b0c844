package io.flatland.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.flatland.cpu.Cpu.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Flags of every ALU operation at edge operands. Expected values are derived by hand from
 * the SDM's definitions (CF = unsigned carry/borrow, OF = signed overflow, AF = carry out of
 * bit 3, PF = even parity of the low byte, ZF, SF = top bit) and, where the SDM says
 * undefined, from the choices documented in {@link Flags}.
 */
class AluFlagsTest {
    private final TestMachine m = new TestMachine();
    private final Cpu c = m.cpu;

    @AfterEach
    void close() { m.close(); }

    private int arith() { return Flags.get(c) & ARITH_FLAGS; }

    private void setCf(boolean cf) { Flags.setArith(c, cf ? CF : 0); }

    private void check(int expectResult, int expectFlags, int result) {
        assertEquals(expectResult, result, "result");
        assertEquals(fmt(expectFlags), fmt(arith()), "flags");
    }

    private static String fmt(int f) {
        StringBuilder s = new StringBuilder();
        if ((f & CF) != 0) s.append("CF ");
        if ((f & PF) != 0) s.append("PF ");
        if ((f & AF) != 0) s.append("AF ");
        if ((f & ZF) != 0) s.append("ZF ");
        if ((f & SF) != 0) s.append("SF ");
        if ((f & OF) != 0) s.append("OF ");
        return s.toString().trim();
    }

    @Test void add8SignedOverflow() { check(0x80, OF | SF | AF, Alu.add(c, 1, 0x7F, 1)); }
    @Test void add8Wrap() { check(0, CF | ZF | AF | PF, Alu.add(c, 1, 0xFF, 1)); }
    @Test void add8ZeroZero() { check(0, ZF | PF, Alu.add(c, 1, 0, 0)); }
    @Test void add16Overflow() { check(0x8000, OF | SF | AF | PF, Alu.add(c, 2, 0x7FFF, 1)); }
    @Test void add16Wrap() { check(0, CF | ZF | AF | PF, Alu.add(c, 2, 0xFFFF, 1)); }
    @Test void add32Overflow() { check(0x80000000, OF | SF | AF | PF, Alu.add(c, 4, 0x7FFFFFFF, 1)); }
    @Test void add32Wrap() { check(0, CF | ZF | AF | PF, Alu.add(c, 4, 0xFFFFFFFF, 1)); }
    @Test void add32MinPlusMin() { check(0, CF | ZF | PF | OF, Alu.add(c, 4, 0x80000000, 0x80000000)); }
    @Test void add8NegativePlusNegative() { check(0x00, CF | ZF | PF | OF, Alu.add(c, 1, 0x80, 0x80)); }

    @Test void sub8Borrow() { check(0xFF, CF | SF | AF | PF, Alu.sub(c, 1, 0, 1)); }
    @Test void sub8SignedOverflow() { check(0x7F, OF | AF, Alu.sub(c, 1, 0x80, 1)); }
    @Test void sub16SignedOverflow() { check(0x7FFF, OF | AF | PF, Alu.sub(c, 2, 0x8000, 1)); }
    @Test void sub32SignedOverflow() { check(0x7FFFFFFF, OF | AF | PF, Alu.sub(c, 4, 0x80000000, 1)); }
    @Test void sub32Equal() { check(0, ZF | PF, Alu.sub(c, 4, 0xFFFFFFFF, 0xFFFFFFFF)); }
    @Test void sub32ZeroMinusMin() { check(0x80000000, CF | SF | PF | OF, Alu.sub(c, 4, 0, 0x80000000)); }
    @Test void cmpReturnsDestination() { assertEquals(5, Alu.alu(c, Alu.CMP_K, 4, 5, 7)); assertEquals(CF | SF | AF, arith()); }

    @Test void adc8CarryInWraps() { setCf(true); check(0, CF | ZF | AF | PF, Alu.adc(c, 1, 0xFF, 0)); }
    @Test void adc32CarryInOverflows() { setCf(true); check(0x80000000, OF | SF | AF | PF, Alu.adc(c, 4, 0x7FFFFFFF, 0)); }
    @Test void adc32AllOnesPlusAllOnesPlusCarry() { setCf(true); check(0xFFFFFFFF, CF | SF | AF | PF, Alu.adc(c, 4, 0xFFFFFFFF, 0xFFFFFFFF)); }
    @Test void adc16NoCarryIn() { setCf(false); check(0x8000, OF | SF | AF | PF, Alu.adc(c, 2, 0x7FFF, 1)); }

    @Test void sbb8BorrowIn() { setCf(true); check(0xFF, CF | SF | AF | PF, Alu.sbb(c, 1, 0, 0)); }
    @Test void sbb16Overflow() { setCf(true); check(0x7FFF, OF | AF | PF, Alu.sbb(c, 2, 0x8000, 0)); }
    @Test void sbb8SameOperandsWithBorrow() { setCf(true); check(0xFF, CF | SF | AF | PF, Alu.sbb(c, 1, 0xFF, 0xFF)); }
    @Test void sbb32MaxSourceWithBorrow() { setCf(true); check(0, CF | ZF | PF | AF, Alu.sbb(c, 4, 0, 0xFFFFFFFF)); }

    @Test void and8() { check(0x80, SF, Alu.and(c, 1, 0xFF, 0x80)); }
    @Test void or8Zero() { check(0, ZF | PF, Alu.or(c, 1, 0, 0)); }
    @Test void xor32() { check(0x80000000, SF | PF, Alu.xor(c, 4, 0xFFFFFFFF, 0x7FFFFFFF)); }
    @Test void logicClearsCarryAndOverflow() {
        Alu.add(c, 1, 0xFF, 0xFF);   // CF=1
        check(0x7F, 0, Alu.and(c, 1, 0x7F, 0xFF));
    }

    @Test void inc8OverflowKeepsCf() { setCf(true); check(0x80, CF | OF | SF | AF, Alu.inc(c, 1, 0x7F)); }
    @Test void inc8Wrap() { setCf(false); check(0, ZF | AF | PF, Alu.inc(c, 1, 0xFF)); }
    @Test void inc32Overflow() { setCf(false); check(0x80000000, OF | SF | AF | PF, Alu.inc(c, 4, 0x7FFFFFFF)); }
    @Test void inc16Wrap() { setCf(true); check(0, CF | ZF | AF | PF, Alu.inc(c, 2, 0xFFFF)); }
    @Test void dec8Overflow() { setCf(false); check(0x7F, OF | AF, Alu.dec(c, 1, 0x80)); }
    @Test void dec8Wrap() { setCf(true); check(0xFF, CF | SF | AF | PF, Alu.dec(c, 1, 0)); }
    @Test void dec32Overflow() { setCf(false); check(0x7FFFFFFF, OF | AF | PF, Alu.dec(c, 4, 0x80000000)); }
    @Test void dec8ToZero() { setCf(false); check(0, ZF | PF, Alu.dec(c, 1, 1)); }

    @Test void neg8Min() { check(0x80, CF | OF | SF, Alu.neg(c, 1, 0x80)); }
    @Test void negZero() { check(0, ZF | PF, Alu.neg(c, 4, 0)); }
    @Test void neg32One() { check(0xFFFFFFFF, CF | SF | AF | PF, Alu.neg(c, 4, 1)); }
    @Test void neg16Min() { check(0x8000, CF | OF | SF | PF, Alu.neg(c, 2, 0x8000)); }

    @Test void shl8OutOfTop() { check(0, CF | OF | ZF | PF, Alu.shift(c, Alu.SHL_K, 1, 0x80, 1)); }
    @Test void shl32IntoSign() { check(0x80000000, OF | SF | PF, Alu.shift(c, Alu.SHL_K, 4, 0x40000000, 1)); }
    @Test void shl16ByFour() { check(0x2340, CF | OF, Alu.shift(c, Alu.SHL_K, 2, 0x9234, 4)); }
    @Test void shr8() { check(0x40, CF | OF, Alu.shift(c, Alu.SHR_K, 1, 0x81, 1)); }
    @Test void shr16By15() { check(1, 0, Alu.shift(c, Alu.SHR_K, 2, 0x8000, 15)); }
    @Test void sar8() { check(0xC0, CF | SF | PF, Alu.shift(c, Alu.SAR_K, 1, 0x81, 1)); }
    @Test void sar32AllOnes() { check(0xFFFFFFFF, CF | SF | PF, Alu.shift(c, Alu.SAR_K, 4, 0xFFFFFFFF, 31)); }
    @Test void shiftCountMaskedTo5Bits() {
        Alu.add(c, 4, 0xFFFFFFFF, 1);   // CF ZF AF PF
        int before = arith();
        assertEquals(0x7F, Alu.shift(c, Alu.SHL_K, 1, 0x7F, 32));   // 32 & 31 = 0: nothing changes
        assertEquals(before, arith());
    }
    @Test void shl8ByEightLastBitOut() { check(0, ZF | PF | CF | OF, Alu.shift(c, Alu.SHL_K, 1, 0x01, 8)); }

    @Test void rol8() { setCf(false); check(0x01, CF | OF, Alu.shift(c, Alu.ROL_K, 1, 0x80, 1)); }
    @Test void ror8() { setCf(false); check(0x80, CF | OF, Alu.shift(c, Alu.ROR_K, 1, 0x01, 1)); }
    @Test void rol32By4() { setCf(false); check(0x23456781, CF | OF, Alu.shift(c, Alu.ROL_K, 4, 0x12345678, 4)); }
    @Test void rcl8ThroughCarry() { setCf(false); check(0x00, CF | OF, Alu.shift(c, Alu.RCL_K, 1, 0x80, 1)); }
    @Test void rcr8CarryInToTop() { setCf(true); check(0x80, CF | OF, Alu.shift(c, Alu.RCR_K, 1, 0x01, 1)); }
    @Test void rcl8By9IsIdentity() { setCf(true); check(0x55, CF, Alu.shift(c, Alu.RCL_K, 1, 0x55, 9)); }
    @Test void rotateKeepsOtherFlags() {
        Alu.sub(c, 1, 0, 1);   // CF SF AF PF
        Alu.shift(c, Alu.ROL_K, 1, 0x02, 1);   // 0x04: CF=0, OF=0
        assertEquals(SF | AF | PF, arith());
    }

    @Test void shld32Flags() {
        int r = Alu.shld(c, 4, 0x92345678, 0x9ABCDEF0, 4);
        assertEquals(0x23456789, r);
        assertEquals(CF, arith() & CF);   // last bit out of the destination is bit 28 = 1
    }
    @Test void shrd32() {
        int r = Alu.shrd(c, 4, 0x12345678, 0x9ABCDEF0, 8);
        assertEquals(0xF0123456, r);
        assertEquals(0, arith() & CF);   // bit 7 of 0x78 = 0
    }

    @Test void imul32Overflow() { check(0xFFFFFFFE, CF | OF | SF, Alu.imul(c, 4, 0x7FFFFFFF, 2)); }
    @Test void imul32NoOverflow() { check(0xFFFFFFFE, SF, Alu.imul(c, 4, 0xFFFFFFFF, 2)); }
    @Test void imul16Overflow() { check(0x0000, CF | OF | ZF | PF, Alu.imul(c, 2, 0x8000, 0xFFFE)); }

    @Test void condCodes() {
        Alu.sub(c, 4, 1, 2);   // 1 - 2: below, less, not equal
        assertTrue(Flags.cond(c, 2));    // B
        assertTrue(Flags.cond(c, 12));   // L
        assertTrue(Flags.cond(c, 5));    // NE
        assertFalse(Flags.cond(c, 7));   // A
        Alu.sub(c, 4, 0x80000000, 1);    // -2^31 - 1 overflows (OF=1, SF=0), but -2^31 < 1 still
        assertTrue(Flags.cond(c, 0));    // O
        assertTrue(Flags.cond(c, 12));   // L: SF != OF
        assertFalse(Flags.cond(c, 15));  // G
        assertTrue(Flags.cond(c, 7));    // A: 0x80000000 > 1 unsigned
        Alu.sub(c, 1, 0x80, 1);          // byte compare through the generic path: -128 < 1
        assertTrue(Flags.cond(c, 0));
        assertTrue(Flags.cond(c, 12));
        assertFalse(Flags.cond(c, 15));
        Alu.logic(c, 4, 0);
        assertTrue(Flags.cond(c, 4));
        assertTrue(Flags.cond(c, 10));   // PF of 0
        assertTrue(Flags.cond(c, 14));   // LE
    }
}
