package io.flatland.machine;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Flags;
import io.flatland.cpu.Insn;
import io.flatland.cpu.OpInfo;
import io.flatland.cpu.RecentEips;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The file an internal error leaves behind (exit status 7): what went wrong, the CPU's
 * registers as the error left them, where the CPU ran last ({@link RecentEips}: not a full
 * trace, see there) and the Java stack. Written to the JVM's temporary directory
 * ({@code java.io.tmpdir}, usually /tmp) as {@code flatland-crash-PID-YYYYMMDD-HHMMSS.txt}:
 * the current directory may be read-only, or the guest's, and the one-line message says
 * where the file went.
 */
public final class CrashReport {
    private CrashReport() { }

    /** The directory reports go to. */
    public static Path directory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Writes the report of {@code error} into {@code dir} and returns its path. {@code cpu} may
     * be null (an error outside any machine: only the Java stack is known).
     */
    public static Path write(Path dir, Throwable error, Cpu cpu, String engine, String where) throws IOException {
        String text = text(error, cpu, engine, where);
        String stem = "flatland-crash-" + ProcessHandle.current().pid() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (int n = 0; ; n++) {
            Path p = dir.resolve(stem + (n == 0 ? "" : "-" + n) + ".txt");
            try {
                Files.writeString(p, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return p.toAbsolutePath();
            } catch (FileAlreadyExistsException e) {
                // two crashes in one second: the next suffix
            }
        }
    }

    /** The error on one line: its class and message (a message's line breaks become spaces). */
    public static String oneLine(Throwable error) {
        return error.toString().replaceAll("[\\r\\n]+", " ");
    }

    static String text(Throwable error, Cpu cpu, String engine, String where) {
        StringBuilder sb = new StringBuilder();
        sb.append("Flatland crash report: an internal error, that is a bug in Flatland (exit status 7)\n");
        sb.append("time: ").append(LocalDateTime.now()).append(", pid ").append(ProcessHandle.current().pid())
                .append(", Java ").append(System.getProperty("java.version")).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        if (engine != null) sb.append("engine: ").append(engine).append('\n');
        sb.append("error: ").append(oneLine(error)).append('\n');
        if (where != null) sb.append("where: ").append(where).append('\n');
        if (cpu != null) {
            registers(sb, cpu);
            recent(sb, cpu);
        } else {
            sb.append("\n(no machine was running: no registers)\n");
        }
        sb.append("\nJava stack:");
        if (error instanceof StackOverflowError) sb.append(" (the JVM keeps the innermost frames of an overflow only)");
        sb.append('\n');
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        sb.append(w);
        return sb.toString();
    }

    private static void registers(StringBuilder sb, Cpu c) {
        sb.append("\nRegisters (as the error left them; EIP is the instruction that was executing; in a translated\n")
                .append("region, registers the region held in locals are as of its last write-back):\n");
        String[] names = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
        for (int r = 0; r < 8; r++) {
            sb.append(names[r]).append('=').append(hex(c.reg[r])).append(r % 4 == 3 ? "\n" : "  ");
        }
        int flags;
        try {
            flags = Flags.get(c);
        } catch (RuntimeException e) {
            flags = c.eflags;   // the lazy flag record itself may be what broke
        }
        sb.append("EIP=").append(hex(c.eip)).append("  EFLAGS=").append(hex(flags)).append("  CPL=").append(c.cpl)
                .append("  code32=").append(c.code32).append("  halted=").append(c.halted).append('\n');
        String[] segs = {"ES", "CS", "SS", "DS", "FS", "GS"};
        for (int s = 0; s < 6; s++) {
            sb.append(segs[s]).append('=').append(String.format("%04x", c.segSel[s] & 0xFFFF))
                    .append(" base=").append(hex(c.segBase[s])).append(" limit=").append(hex(c.segLimit[s]))
                    .append(" attr=").append(String.format("%04x", c.segAttr[s] & 0xFFFF)).append('\n');
        }
        sb.append("CR0=").append(hex(c.mmu.cr0())).append("  CR2=").append(hex(c.cr2))
                .append("  CR3=").append(hex(c.mmu.cr3())).append("  CR4=").append(hex(c.mmu.cr4())).append('\n');
        sb.append("GDTR=").append(hex(c.gdtBase)).append('/').append(String.format("%04x", c.gdtLimit & 0xFFFF))
                .append("  IDTR=").append(hex(c.idtBase)).append('/').append(String.format("%04x", c.idtLimit & 0xFFFF))
                .append("  LDTR=").append(String.format("%04x", c.ldtSel & 0xFFFF))
                .append("  TR=").append(String.format("%04x", c.trSel & 0xFFFF)).append('\n');
        sb.append("FPU: status=").append(String.format("%04x", c.fpu.statusWord() & 0xFFFF))
                .append(" control=").append(String.format("%04x", c.fpu.fpuc & 0xFFFF))
                .append("  instructions retired: ").append(c.icount).append('\n');
    }

    /**
     * The ring of recent EIPs, oldest first, each decoded now with the current CS and page
     * tables (which may differ from when it ran; an address that no longer decodes says so).
     */
    private static void recent(StringBuilder sb, Cpu c) {
        RecentEips r = c.recent;
        sb.append("\nLast places run (oldest first; not every instruction: each one the interpreter's outer loop\n")
                .append("started, which includes the first of each burst of simple instructions, and each translated\n")
                .append("region entered; the retired count tells how many instructions ran in between):\n");
        Insn in = new Insn();
        for (int k = 0; k < r.size(); k++) {
            int eip = r.eip(k);
            sb.append(String.format("  %14d  %08x  %-11s ", r.icount(k), eip,
                    r.kind(k) == RecentEips.REGION ? "region" : "interpreted"));
            sb.append(describe(c, eip, in)).append('\n');
        }
        sb.append(String.format("  %14d  %08x  %-11s %s%n", c.icount, c.eip, "at error", describe(c, c.eip, in)));
    }

    private static String describe(Cpu c, int eip, Insn in) {
        try {
            Decoder.decode(c, c.segBase[Cpu.CS] + eip, in);
            StringBuilder b = new StringBuilder(OpInfo.name(in.op)).append("  [");
            for (int i = 0; i < in.len; i++) {
                if (i > 0) b.append(' ');
                b.append(String.format("%02x", c.mmu.read8Slow(c.segBase[Cpu.CS] + eip + i, false) & 0xFF));
            }
            return b.append(']').toString();
        } catch (RuntimeException e) {
            return "(does not decode now: " + e.getClass().getSimpleName() + ")";
        }
    }

    private static String hex(int v) { return String.format("%08x", v); }
}
