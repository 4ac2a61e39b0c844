package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.flatland.cpu.Cpu.*;
import static org.junit.jupiter.api.Assertions.*;

/** String instructions (SDM Vol. 2B MOVS/STOS/CMPS/SCAS/LODS, REP prefixes). */
class StringOpsTest {
    private final TestMachine m = new TestMachine();
    private final Cpu c = m.cpu;

    @AfterEach
    void close() { m.close(); }

    /** Runs one instruction to completion, REP chunks included. */
    private GuestFault exec(int... code) {
        m.load(TestMachine.CODE, code);
        c.eip = TestMachine.CODE;
        for (int i = 0; i < 100_000; i++) {
            GuestFault f = m.step();
            if (f != null) return f;
            if (c.eip != TestMachine.CODE) return null;
        }
        throw new AssertionError("REP never finished");
    }

    @Test
    void repMovsbForward() {
        for (int i = 0; i < 100; i++) m.ram.write8(0x10000 + i, i + 1);
        c.reg[ESI] = 0x10000; c.reg[EDI] = 0x20000; c.reg[ECX] = 100;
        assertNull(exec(0xF3, 0xA4));
        for (int i = 0; i < 100; i++) assertEquals(i + 1, m.ram.read8(0x20000 + i));
        assertEquals(0, m.ram.read8(0x20000 + 100));
        assertEquals(0, c.reg[ECX]);
        assertEquals(0x10064, c.reg[ESI]);
        assertEquals(0x20064, c.reg[EDI]);
        assertEquals(TestMachine.CODE + 2, c.eip);
    }

    @Test
    void repMovsdAcrossPagesLarge() {
        for (int i = 0; i < 0x3000; i += 4) m.ram.write32(0x30000 + i, i * 7 + 1);
        c.reg[ESI] = 0x30000; c.reg[EDI] = 0x50800; c.reg[ECX] = 0x3000 / 4;
        assertNull(exec(0xF3, 0xA5));
        for (int i = 0; i < 0x3000; i += 4) assertEquals(i * 7 + 1, m.ram.read32(0x50800 + i));
        assertEquals(0x33000, c.reg[ESI]);
        assertEquals(0x53800, c.reg[EDI]);
        assertEquals(0, c.reg[ECX]);
    }

    @Test
    void repMovsbBackwardWithDf() {
        for (int i = 0; i < 4; i++) m.ram.write8(0x10000 + i, 0xA0 + i);
        c.eflags |= DF;
        c.reg[ESI] = 0x10003; c.reg[EDI] = 0x20003; c.reg[ECX] = 4;
        assertNull(exec(0xF3, 0xA4));
        for (int i = 0; i < 4; i++) assertEquals(0xA0 + i, m.ram.read8(0x20000 + i));
        assertEquals(0x0FFFF, c.reg[ESI]);
        assertEquals(0x1FFFF, c.reg[EDI]);
    }

    @Test
    void overlappingForwardCopyReplicatesPattern() {
        // MOVSB moves one byte at a time, so dst = src + 1 smears the first byte (SDM semantics).
        m.ram.write8(0x10000, 0x5A);
        for (int i = 1; i < 64; i++) m.ram.write8(0x10000 + i, i);
        c.reg[ESI] = 0x10000; c.reg[EDI] = 0x10001; c.reg[ECX] = 63;
        assertNull(exec(0xF3, 0xA4));
        for (int i = 0; i < 64; i++) assertEquals(0x5A, m.ram.read8(0x10000 + i), "byte " + i);
    }

    @Test
    void repWithZeroCountDoesNothing() {
        m.ram.write8(0x10000, 0x11);
        c.reg[ESI] = 0x10000; c.reg[EDI] = 0x20000; c.reg[ECX] = 0;
        assertNull(exec(0xF3, 0xA4));
        assertEquals(0, m.ram.read8(0x20000));
        assertEquals(0x10000, c.reg[ESI]);
        assertEquals(0x20000, c.reg[EDI]);
        assertEquals(TestMachine.CODE + 2, c.eip);
    }

    @Test
    void repStosdNonUniformPattern() {
        c.reg[EAX] = 0x12345678; c.reg[EDI] = 0x40FF0; c.reg[ECX] = 8;
        assertNull(exec(0xF3, 0xAB));
        for (int i = 0; i < 8; i++) assertEquals(0x12345678, m.ram.read32(0x40FF0 + 4 * i));
        assertEquals(0, m.ram.read32(0x40FF0 + 32));
        assertEquals(0x41010, c.reg[EDI]);
    }

    @Test
    void repStosbUniform() {
        c.reg[EAX] = 0xCC; c.reg[EDI] = 0x40000; c.reg[ECX] = 5000;
        assertNull(exec(0xF3, 0xAA));
        assertEquals(0xCC, m.ram.read8(0x40000));
        assertEquals(0xCC, m.ram.read8(0x40000 + 4999));
        assertEquals(0, m.ram.read8(0x40000 + 5000));
    }

    @Test
    void stoswBackward16BitAddressing() {
        c.eflags |= DF;
        c.reg[EAX] = 0xBEEF; c.reg[EDI] = 0xABCD0010;
        assertNull(exec(0x67, 0x66, 0xAB));   // stosw with DI
        assertEquals(0xBEEF, m.ram.read16(0x0010));
        assertEquals(0xABCD000E, c.reg[EDI]);   // only DI changes
    }

    @Test
    void repeCmpsbStopsAtFirstDifference() {
        byte[] a = "hello world".getBytes(), b = "hello there".getBytes();
        for (int i = 0; i < a.length; i++) { m.ram.write8(0x10000 + i, a[i]); m.ram.write8(0x20000 + i, b[i]); }
        c.reg[ESI] = 0x10000; c.reg[EDI] = 0x20000; c.reg[ECX] = a.length;
        assertNull(exec(0xF3, 0xA6));
        // Mismatch at index 6 ('w' vs 't'): 7 iterations done.
        assertEquals(a.length - 7, c.reg[ECX]);
        assertEquals(0x10007, c.reg[ESI]);
        assertFalse(Flags.cond(c, 4));            // ZF = 0
        assertTrue(Flags.cond(c, 7));             // 'w' > 't' unsigned
    }

    @Test
    void repneScasbFindsByte() {
        byte[] s = "abcdef\0".getBytes();
        for (int i = 0; i < s.length; i++) m.ram.write8(0x10000 + i, s[i]);
        c.reg[EAX] = 0; c.reg[EDI] = 0x10000; c.reg[ECX] = -1;
        assertNull(exec(0xF2, 0xAE));
        assertEquals(0x10007, c.reg[EDI]);
        assertEquals(-8, c.reg[ECX]);             // strlen idiom: not ECX = 7 + 1
        assertTrue(Flags.cond(c, 4));
    }

    @Test
    void lodsd() {
        m.ram.write32(0x10000, 0xCAFEBABE);
        c.reg[ESI] = 0x10000;
        assertNull(exec(0xAD));
        assertEquals(0xCAFEBABE, c.reg[EAX]);
        assertEquals(0x10004, c.reg[ESI]);
    }

    @Test
    void pageFaultMidCopyIsRestartable() {
        m.enablePaging();
        m.setPte(0x61000, 0);   // destination's second page not present
        for (int i = 0; i < 0x2000; i++) m.ram.write8(0x10000 + i, i * 3);
        c.reg[ESI] = 0x10000; c.reg[EDI] = 0x60F00; c.reg[ECX] = 0x400;   // 0x400 dwords
        GuestFault f = exec(0xF3, 0xA5);
        assertNotNull(f);
        assertEquals(14, f.vector);
        assertEquals(0x61000, f.address);
        assertEquals(2, f.errorCode & 2, "write access");
        // 0x100 bytes (0x40 dwords) were stored before the fault.
        assertEquals(0x400 - 0x40, c.reg[ECX]);
        assertEquals(0x10100, c.reg[ESI]);
        assertEquals(0x61000, c.reg[EDI]);
        assertEquals(TestMachine.CODE, c.eip);
        for (int i = 0; i < 0x100; i++) assertEquals((i * 3) & 0xFF, m.ram.read8(0x60F00 + i));
        // The OS maps the page and restarts the instruction: it finishes the copy.
        m.setPte(0x61000, 7);
        assertNull(exec(0xF3, 0xA5));
        assertEquals(0, c.reg[ECX]);
        for (int i = 0; i < 0x1000; i++) assertEquals((i * 3) & 0xFF, m.ram.read8(0x60F00 + i), "byte " + i);
    }

    @Test
    void pageFaultOnSourceReadIsRestartable() {
        m.enablePaging();
        m.setPte(0x11000, 0);
        c.reg[ESI] = 0x10FFE; c.reg[EDI] = 0x20000; c.reg[ECX] = 4;
        GuestFault f = exec(0xF3, 0xA4);
        assertEquals(14, f.vector);
        assertEquals(0x11000, f.address);
        assertEquals(2, c.reg[ECX]);
        assertEquals(0x11000, c.reg[ESI]);
        assertEquals(0x20002, c.reg[EDI]);
    }
}
