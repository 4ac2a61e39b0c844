package io.flatland.machine.gdb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command layer against a fake target: replies, errors for malformed packets, empty for unknown ones. */
class GdbCommandsTest {
    /** 32 registers of gdb's i386 layout (16 x 4 bytes, 8 x 10, 8 x 4) and 64 KiB of memory at 0x1000. */
    static final class FakeTarget implements GdbTarget {
        final byte[][] regs = new byte[32][];
        final byte[] mem = new byte[0x10000];
        final List<String> log = new ArrayList<>();
        int pc;

        FakeTarget() {
            for (int n = 0; n < 32; n++) regs[n] = new byte[I386Registers.size(n)];
            regs[0] = new byte[] {0x78, 0x56, 0x34, 0x12};
        }

        public int registerCount() { return 32; }
        public byte[] readRegister(int n) { return regs[n].clone(); }
        public boolean writeRegister(int n, byte[] v) { regs[n] = v.clone(); return true; }

        public int readMemory(int a, byte[] into, int len) {
            int k = 0;
            for (; k < len; k++) {
                long x = (a & 0xFFFFFFFFL) + k - 0x1000;
                if (x < 0 || x >= mem.length) break;
                into[k] = mem[(int) x];
            }
            return k;
        }

        public boolean writeMemory(int a, byte[] from, int len) {
            if (a < 0x1000 || a + len > 0x1000 + mem.length) return false;
            System.arraycopy(from, 0, mem, a - 0x1000, len);
            return true;
        }

        public boolean insertPoint(int type, int a, int len) { log.add("Z" + type + "@" + Integer.toHexString(a) + "/" + len); return true; }
        public boolean removePoint(int type, int a, int len) { log.add("z" + type + "@" + Integer.toHexString(a) + "/" + len); return true; }
        public void setPc(int a) { pc = a; }
        public void resume(boolean step) { log.add(step ? "step" : "cont"); }
        public String stopReply() { return "T05thread:01;"; }
        public void detach() { log.add("detach"); }
        public void kill() { log.add("kill"); }
    }

    private final FakeTarget t = new FakeTarget();
    private final GdbCommands c = new GdbCommands(t);

    @Test
    void registersAreReadAndWrittenLittleEndian() {
        String g = c.handle("g");
        assertEquals(2 * (16 * 4 + 8 * 10 + 8 * 4), g.length());
        assertTrue(g.startsWith("78563412"));
        assertEquals("78563412", c.handle("p0"));
        assertEquals("00000000000000000000", c.handle("p10"), "st0 is 10 bytes");
        assertEquals("OK", c.handle("P8=efbeadde"));
        assertEquals("efbeadde", c.handle("p8"));
        assertEquals("OK", c.handle("G" + g));
        assertEquals("00000000", c.handle("p8"), "G wrote every register back: EIP as g read it");
        assertEquals("78563412", c.handle("p0"));
    }

    @Test
    void malformedRegisterPacketsGetErrors() {
        assertEquals("E01", c.handle("p20"), "no register 0x20");
        assertEquals("E01", c.handle("pzz"));
        assertEquals("E22", c.handle("P8=1234"), "wrong size");
        assertEquals("E22", c.handle("P8"));
        assertEquals("E22", c.handle("G00"), "too short");
        assertEquals("E22", c.handle("g1"));
    }

    @Test
    void memoryReadsStopAtTheFirstUnmappedByteAndFaultWhenNoneIsMapped() {
        t.mem[0] = (byte) 0xAB;
        t.mem[0xFFFF] = 0x11;
        assertEquals("ab00", c.handle("m1000,2"));
        assertEquals("11", c.handle("m10fff,4"), "a partial read returns what is mapped");
        assertEquals("E14", c.handle("m20000,4"));
        assertEquals("E22", c.handle("m1000"));
        assertEquals("E22", c.handle("m123456789,1"), "more than 32 bits");
        assertEquals("", c.handle("m1000,0"));
    }

    @Test
    void memoryWritesInHexAndBinary() {
        assertEquals("OK", c.handle("M1004,2:cafe"));
        assertEquals("cafe", c.handle("m1004,2"));
        assertEquals("OK", c.handle("X1008,3:#}*"));   // unescaped binary as the reader delivers it
        assertEquals("237d2a", c.handle("m1008,3"));
        assertEquals("OK", c.handle("X1000,0:"), "gdb's probe for X");
        assertEquals("E22", c.handle("M1004,3:cafe"), "length and data disagree");
        assertEquals("E22", c.handle("M1004,2:cafg"));
        assertEquals("E14", c.handle("M20000,1:00"));
    }

    @Test
    void pointsResumeAndThreads() {
        assertEquals("OK", c.handle("Z0,f0406000,1"));
        assertEquals("OK", c.handle("z0,f0406000,1"));
        assertEquals("OK", c.handle("Z2,f040d000,4"));
        assertEquals("OK", c.handle("Z4,f040d000,2;X1,0"));
        assertEquals("E22", c.handle("Z2,f040d000,0"));
        assertEquals("E22", c.handle("Z0,xyz,1"));
        assertEquals("", c.handle("Z5,0,1"), "unknown point type: unsupported");
        assertEquals(Arrays.asList("Z0@f0406000/1", "z0@f0406000/1", "Z2@f040d000/4", "Z4@f040d000/2"), t.log);
        assertNull(c.handle("c"));
        assertNull(c.handle("s1234"));
        assertEquals(0x1234, t.pc);
        assertNull(c.handle("vCont;s:1;c"));
        assertNull(c.handle("vCont;c"));
        assertEquals(List.of("cont", "step", "step", "cont"), t.log.subList(4, 8));
        assertEquals("vCont;c;C;s;S", c.handle("vCont?"));
        assertEquals("E22", c.handle("vCont;x"));
        assertEquals("QC1", c.handle("qC"));
        assertEquals("m1", c.handle("qfThreadInfo"));
        assertEquals("l", c.handle("qsThreadInfo"));
        assertEquals("1", c.handle("qAttached"));
        assertEquals("OK", c.handle("Hg0"));
        assertEquals("T05thread:01;", c.handle("?"));
    }

    @Test
    void queriesFeaturesAndUnknownPackets() {
        String sup = c.handle("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
        assertTrue(sup.contains("PacketSize=4000"), sup);
        assertTrue(sup.contains("qXfer:features:read+"), sup);
        String first = c.handle("qXfer:features:read:target.xml:0,40");
        assertEquals('m', first.charAt(0));
        assertEquals(0x40, first.length() - 1);
        StringBuilder doc = new StringBuilder();
        for (int off = 0; ; ) {
            String part = c.handle("qXfer:features:read:target.xml:" + Integer.toHexString(off) + ",100");
            doc.append(part, 1, part.length());
            off += part.length() - 1;
            if (part.charAt(0) == 'l') break;
        }
        assertEquals(TargetDescription.XML, doc.toString());
        assertTrue(doc.indexOf("org.gnu.gdb.i386.core") > 0);
        assertEquals("E00", c.handle("qXfer:features:read:other.xml:0,100"));
        assertEquals("E22", c.handle("qXfer:features:read:target.xml:0"));
        assertEquals("", c.handle("qRcmd,7265736574"));
        assertEquals("", c.handle("vMustReplyEmpty"));
        assertEquals("", c.handle("!"));
        assertEquals("", c.handle(""));
    }

    @Test
    void noAckDetachAndKill() {
        assertFalse(c.noAck);
        assertEquals("OK", c.handle("QStartNoAckMode"));
        assertTrue(c.noAck);
        assertEquals("OK", c.handle("D"));
        assertTrue(c.finished);
        assertNull(new GdbCommands(t).handle("k"));
        assertEquals(List.of("detach", "kill"), t.log);
    }
}
