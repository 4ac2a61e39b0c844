package io.flatland.cpu.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The disassembler against {@code objdump -d --no-show-raw-insn} (binutils, which CI installs
 * with gcc-multilib) on the kernel model's kernel and the cpu-suite kernels: for every line
 * objdump prints, the same bytes go through the decoder and the disassembler, and the texts are
 * compared with whitespace collapsed and objdump's {@code <symbol>} annotations removed. The
 * match rate per binary is printed and must stay at or above {@link #MIN_RATE}.
 */
class DisassemblerObjdumpTest {
    static final double MIN_RATE = 1.0;
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t(.*)$");

    static List<Path> binaries() throws IOException {
        Path root = Paths.get("..").toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        Path built = root.resolve("kernel-model/build/kernel");
        out.add(Files.exists(built) ? built : root.resolve("kernel-model/prebuilt/kernel"));
        try (Stream<Path> s = Files.list(root.resolve("bench/cpu-suite/prebuilt"))) {
            s.filter(p -> p.toString().endsWith(".elf")).sorted().forEach(out::add);
        }
        return out;
    }

    static boolean haveObjdump() {
        try {
            Process p = new ProcessBuilder("objdump", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String normalize(String s) {
        s = s.replaceAll("\\s*<[^>]*>", "");
        s = s.replaceAll("\\s*#.*$", "");
        return s.trim().replaceAll("\\s+", " ");
    }

    /** ELF32 section headers: each (address, file offset, size) of a section with contents. */
    record Section(long addr, long offset, long size) { }

    static List<Section> sections(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = b.getInt(0x20), shentsize = b.getShort(0x2E) & 0xFFFF, shnum = b.getShort(0x30) & 0xFFFF;
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int h = shoff + i * shentsize;
            int type = b.getInt(h + 4);
            if (type != 1) continue;   // SHT_PROGBITS
            out.add(new Section(b.getInt(h + 12) & 0xFFFFFFFFL, b.getInt(h + 16) & 0xFFFFFFFFL, b.getInt(h + 20) & 0xFFFFFFFFL));
        }
        return out;
    }

    /**
     * lines: objdump's instruction lines compared; declined: lines where objdump printed
     * {@code .byte} for bytes that do decode (it stops an instruction at a symbol boundary, e.g.
     * inside the Multiboot header), not compared.
     */
    record Result(int lines, int matched, int declined, List<String> mismatches) { }

    static Result compare(Path bin) throws Exception {
        byte[] elf = Files.readAllBytes(bin);
        List<Section> secs = sections(elf);
        Process p = new ProcessBuilder("objdump", "-d", "--no-show-raw-insn", bin.toString()).redirectErrorStream(true).start();
        String dump;
        try (InputStream is = p.getInputStream()) {
            dump = new String(is.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(60, TimeUnit.SECONDS);
        int lines = 0, matched = 0, declined = 0;
        List<String> bad = new ArrayList<>();
        for (String l : dump.split("\n")) {
            Matcher m = LINE.matcher(l);
            if (!m.matches()) continue;
            long addr = Long.parseLong(m.group(1), 16);
            Section sec = null;
            for (Section s : secs) if (addr >= s.addr && addr < s.addr + s.size) sec = s;
            if (sec == null) continue;
            if (m.group(2).startsWith(".byte") || m.group(2).startsWith("(bad)")) {
                String ours = Disassembler.line(Arrays.copyOfRange(elf, (int) (sec.offset + addr - sec.addr),
                        (int) Math.min(sec.offset + sec.size, sec.offset + addr - sec.addr + 15)), 0, (int) addr, true).text();
                if (!ours.startsWith(".byte") && !ours.startsWith("(bad)")) { declined++; continue; }
            }
            lines++;
            int off = (int) (sec.offset + addr - sec.addr);
            int end = (int) (sec.offset + sec.size);
            byte[] window = Arrays.copyOfRange(elf, off, Math.min(end, off + 15));
            String ours = normalize(Disassembler.line(window, 0, (int) addr, true).text());
            String theirs = normalize(m.group(2));
            if (ours.equals(theirs)) matched++;
            else if (bad.size() < 40) bad.add(String.format("%x: objdump '%s' vs '%s'", addr, theirs, ours));
        }
        return new Result(lines, matched, declined, bad);
    }

    @Test
    void matchesObjdumpOnTheKernels() throws Exception {
        Assumptions.assumeTrue(haveObjdump(), "objdump (binutils) not installed");
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (Path bin : binaries()) {
            Result r = compare(bin);
            double rate = r.lines == 0 ? 1 : (double) r.matched / r.lines;
            report.append(String.format(Locale.ROOT, "%-14s %6d/%6d  %.4f  (objdump .byte where we decode: %d)%n",
                    bin.getFileName(), r.matched, r.lines, rate, r.declined));
            for (String s : r.mismatches) report.append("    ").append(s).append('\n');
            if (rate < MIN_RATE) ok = false;
        }
        System.out.print(report);
        assertTrue(ok, report.toString());
    }

    @Test
    void badAndTruncatedEncodings() {
        assertEquals("(bad)", Disassembler.line(new byte[] {(byte) 0xFF, (byte) 0xFF}, 0, 0, true).text());
        assertEquals(".byte 0xe8", Disassembler.line(new byte[] {(byte) 0xE8, 0}, 0, 0, true).text());
        assertEquals("mov    %esp,%ebp", Disassembler.line(new byte[] {(byte) 0x89, (byte) 0xE5}, 0, 0, true).text());
        assertEquals("call   1005", Disassembler.line(new byte[] {(byte) 0xE8, 0, 0, 0, 0}, 0, 0x1000, true).text());
    }
}
