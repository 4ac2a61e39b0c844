package io.flatland.machine.gdb;

import java.nio.charset.StandardCharsets;

/**
 * The remote protocol's commands (gdb manual, "Remote Protocol": Packets, General Query
 * Packets, Stop Reply Packets), one packet body in, one reply body out. The target has a
 * single thread (id 1), as QEMU's stub presents a one-CPU machine.
 *
 * <p>A malformed packet gets an error reply ({@code E22}; {@code E14} for memory that is not
 * mapped) and an unknown one the empty reply, as the protocol asks; nothing a client sends
 * makes {@link #handle} throw.
 */
final class GdbCommands {
    static final String OK = "OK", EINVAL = "E22", EFAULT = "E14";
    /** What {@link #handle} returns for a command whose reply is the stop reply, sent later. */
    static final String RESUMED = null;

    private final GdbTarget target;
    /** Set by QStartNoAckMode: the connection stops sending and expecting '+'. */
    boolean noAck;
    /** Set by D and k: the connection ends after the reply. */
    boolean finished;

    GdbCommands(GdbTarget target) { this.target = target; }

    String handle(String p) {
        try {
            return dispatch(p);
        } catch (RuntimeException e) {
            return EINVAL;   // a parse we did not foresee: an error for the client, never a crash
        }
    }

    private String dispatch(String p) {
        if (p.isEmpty()) return "";
        switch (p.charAt(0)) {
            case '?': return target.stopReply();
            case 'g': return p.length() == 1 ? readRegisters() : EINVAL;
            case 'G': return writeRegisters(p.substring(1));
            case 'p': return readRegister(p.substring(1));
            case 'P': return writeRegister(p.substring(1));
            case 'm': return readMemory(p.substring(1));
            case 'M': return writeMemory(p.substring(1), false);
            case 'X': return writeMemory(p.substring(1), true);
            case 'c': return resume(p.substring(1), false);
            case 's': return resume(p.substring(1), true);
            case 'Z': return point(p.substring(1), true);
            case 'z': return point(p.substring(1), false);
            case 'H': return OK;                   // one thread: every thread selection is it
            case 'T': return p.equals("T1") || p.equals("T01") ? OK : "E01";
            case 'D':
                finished = true;
                target.detach();
                return OK;
            case 'k':
                finished = true;
                target.kill();
                return RESUMED;                    // no reply: the machine ends
            case 'q': return query(p);
            case 'Q':
                if (p.equals("QStartNoAckMode")) {
                    noAck = true;
                    return OK;
                }
                return "";
            case 'v': return v(p);
            default: return "";
        }
    }

    private String query(String p) {
        if (p.startsWith("qSupported")) {
            return "PacketSize=" + Integer.toHexString(PacketReader.MAX_BODY)
                    + ";qXfer:features:read+;QStartNoAckMode+;vContSupported+";
        }
        if (p.startsWith("qXfer:features:read:")) return features(p.substring("qXfer:features:read:".length()));
        switch (p) {
            case "qAttached": return "1";          // attached to a running machine: kill ends it, detach leaves it running
            case "qC": return "QC1";
            case "qfThreadInfo": return "m1";
            case "qsThreadInfo": return "l";
            default: return "";
        }
    }

    private String v(String p) {
        if (p.equals("vCont?")) return "vCont;c;C;s;S";
        if (p.startsWith("vCont;")) {
            // Actions apply to the first thread they match; ours is the only one, so the first
            // action whose thread is ours (or any) decides. C/S carry a signal we cannot deliver.
            for (String action : p.substring(6).split(";")) {
                int colon = action.indexOf(':');
                String what = colon < 0 ? action : action.substring(0, colon);
                if (colon >= 0) {
                    String tid = action.substring(colon + 1);
                    if (!tid.equals("-1") && !tid.equals("1") && !tid.equals("01") && !tid.equals("p1.1")) continue;
                }
                if (what.isEmpty()) return EINVAL;
                char c = what.charAt(0);
                if (c == 'c' || c == 'C') return resume("", false);
                if (c == 's' || c == 'S') return resume("", true);
                if (c == 't') return OK;    // stop: it is stopped already
                return EINVAL;
            }
            return EINVAL;
        }
        return "";   // vMustReplyEmpty and everything else unknown
    }

    private String readRegisters() {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < target.registerCount(); n++) {
            byte[] v = target.readRegister(n);
            Hex.append(sb, v, 0, v.length);
        }
        return sb.toString();
    }

    private String writeRegisters(String hex) {
        byte[] all = Hex.bytes(hex);
        if (all == null) return EINVAL;
        int off = 0;
        byte[][] values = new byte[target.registerCount()][];
        for (int n = 0; n < values.length; n++) {
            int size = target.readRegister(n).length;
            if (off + size > all.length) return EINVAL;
            values[n] = java.util.Arrays.copyOfRange(all, off, off + size);
            off += size;
        }
        if (off != all.length) return EINVAL;
        boolean ok = true;
        for (int n = 0; n < values.length; n++) ok &= target.writeRegister(n, values[n]);
        return ok ? OK : "E01";
    }

    private String readRegister(String arg) {
        long n = Hex.number(arg);
        if (n < 0 || n >= target.registerCount()) return "E01";
        return Hex.of(target.readRegister((int) n));
    }

    private String writeRegister(String arg) {
        int eq = arg.indexOf('=');
        if (eq < 0) return EINVAL;
        long n = Hex.number(arg.substring(0, eq));
        byte[] v = Hex.bytes(arg.substring(eq + 1));
        if (n < 0 || n >= target.registerCount() || v == null) return EINVAL;
        if (v.length != target.readRegister((int) n).length) return EINVAL;
        return target.writeRegister((int) n, v) ? OK : "E01";
    }

    /** m addr,len: as many bytes as are mapped from addr on; E14 if the first is not. */
    private String readMemory(String arg) {
        int comma = arg.indexOf(',');
        if (comma < 0) return EINVAL;
        long addr = Hex.number(arg.substring(0, comma)), len = Hex.number(arg.substring(comma + 1));
        if (addr < 0 || len < 0) return EINVAL;
        int n = (int) Math.min(len, PacketReader.MAX_BODY / 2);
        if (n == 0) return "";
        byte[] buf = new byte[n];
        int got = target.readMemory((int) addr, buf, n);
        if (got == 0) return EFAULT;
        StringBuilder sb = new StringBuilder(got * 2);
        Hex.append(sb, buf, 0, got);
        return sb.toString();
    }

    /** M addr,len:hex and X addr,len:binary. */
    private String writeMemory(String arg, boolean binary) {
        int comma = arg.indexOf(','), colon = arg.indexOf(':');
        if (comma < 0 || colon < comma) return EINVAL;
        long addr = Hex.number(arg.substring(0, comma)), len = Hex.number(arg.substring(comma + 1, colon));
        if (addr < 0 || len < 0) return EINVAL;
        String data = arg.substring(colon + 1);
        byte[] bytes = binary ? data.getBytes(StandardCharsets.ISO_8859_1) : Hex.bytes(data);
        if (bytes == null || bytes.length != len) return EINVAL;
        if (len == 0) return OK;   // gdb probes for X support with an empty write
        return target.writeMemory((int) addr, bytes, bytes.length) ? OK : EFAULT;
    }

    private String resume(String addr, boolean step) {
        if (!addr.isEmpty()) {
            long a = Hex.number(addr);
            if (a < 0) return EINVAL;
            target.setPc((int) a);
        }
        target.resume(step);
        return RESUMED;
    }

    /** Z/z type,addr,kind[;cond...]: kind is the length for watchpoints, the breakpoint size otherwise. */
    private String point(String arg, boolean insert) {
        int semi = arg.indexOf(';');
        if (semi >= 0) arg = arg.substring(0, semi);   // conditions and commands are not supported: ignored
        String[] f = arg.split(",", -1);
        if (f.length != 3 || f[0].length() != 1) return EINVAL;
        int type = f[0].charAt(0) - '0';
        long addr = Hex.number(f[1]), kind = Hex.number(f[2]);
        if (addr < 0 || kind < 0) return EINVAL;
        if (type < GdbTarget.SOFTWARE_BREAKPOINT || type > GdbTarget.ACCESS_WATCHPOINT) return "";
        if (type >= GdbTarget.WRITE_WATCHPOINT && (kind == 0 || kind > 4096)) return EINVAL;
        boolean ok = insert ? target.insertPoint(type, (int) addr, (int) kind) : target.removePoint(type, (int) addr, (int) kind);
        return ok ? OK : "E01";
    }

    /** qXfer:features:read:ANNEX:OFFSET,LENGTH → 'm' (more follows) or 'l' (last) and the data. */
    private String features(String arg) {
        int colon = arg.lastIndexOf(':');
        if (colon < 0) return EINVAL;
        String annex = arg.substring(0, colon);
        String[] range = arg.substring(colon + 1).split(",", -1);
        if (range.length != 2) return EINVAL;
        long off = Hex.number(range[0]), len = Hex.number(range[1]);
        if (off < 0 || len < 0) return EINVAL;
        if (!annex.equals("target.xml")) return "E00";
        String doc = TargetDescription.XML;
        if (off >= doc.length()) return "l";
        int end = (int) Math.min(doc.length(), off + Math.min(len, PacketReader.MAX_BODY / 2));
        return (end < doc.length() ? "m" : "l") + doc.substring((int) off, end);
    }
}
