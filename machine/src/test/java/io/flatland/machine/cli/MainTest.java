package io.flatland.machine.cli;

import io.flatland.machine.DemoKernel;
import io.flatland.machine.loader.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: bad inputs give status 2 and one "flatland: " line; good ones run. */
class MainTest {
    @TempDir
    Path dir;

    private String out, err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int status = Main.run(args, null, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), dir);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private void assertBad(String... args) {
        int status = run(args);
        assertEquals(2, status, "status for " + Arrays.toString(args) + " (stderr: " + err + ")");
        assertTrue(err.startsWith("flatland: "), "message: " + err);
        assertEquals(1, err.lines().count(), "exactly one line: " + err);
        assertTrue(!err.contains("Exception") && !err.contains("\tat "), "no stack trace: " + err);
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    @Test
    void argumentErrors() {
        assertBad();
        assertBad("-kernel");
        assertBad("--frobnicate");
        assertBad("stray");
        assertBad("-kernel", "k", "-m", "1");
        assertBad("-kernel", "k", "-m", "1M");
        assertBad("-kernel", "k", "-m", "4000");
        assertBad("-kernel", "k", "-m", "4G");
        assertBad("-kernel", "k", "-m", "abc");
        assertBad("-kernel", "k", "-m", "64X");
        assertBad("-kernel", "k", "-serial", "tcp:1234");
        assertBad("-kernel", "k", "-serial", "file:");
        assertBad("-kernel", "k", "-display", "gtk");
        assertBad("-kernel", "k", "-device", "e1000");
        assertBad("-kernel", "k", "-device", "isa-debug-exit,iobase=0x501");
        assertBad("-kernel", "k", "-accel", "kvm");
        assertBad("-kernel", "k", "--max-insns", "-5");
        assertBad("-kernel", "k", "--max-insns", "lots");
        assertBad("-kernel", "k", "--workload", "boot");
    }

    @Test
    void imageErrors() throws IOException {
        assertBad("-kernel", "missing.elf");
        Files.createDirectory(dir.resolve("adir"));
        assertBad("-kernel", "adir");
        write("text.elf", "just some text, no header".getBytes(StandardCharsets.US_ASCII));
        assertBad("-kernel", "text.elf");
        byte[] good = TestImages.elf(0x100000, new byte[] {(byte) 0xF4}, 0);
        write("trunc.elf", Arrays.copyOf(good, 60));
        assertBad("-kernel", "trunc.elf");
        byte[] lying = good.clone();
        TestImages.put32(lying, 52 + 4, 0x7FFFFFF0);           // p_offset far beyond the file
        write("lying.elf", lying);
        assertBad("-kernel", "lying.elf");
        write("high.elf", TestImages.elf(0x7FF0000, new byte[16], 0x100000));
        assertBad("-kernel", "high.elf", "-m", "64");
        write("good.elf", good);
        assertBad("-kernel", "good.elf", "-initrd", "nomodule");
        write("big.bin", new byte[3 << 20]);
        assertBad("-kernel", "good.elf", "-initrd", "big.bin", "-m", "2");
    }

    @Test
    void badLinuxImagesAreRefused() throws IOException {
        // mov al, [esi + 0x21C] (ramdisk_size, low byte); out 0xF4, al: the initrd's size, from boot_params
        byte[] pm = {(byte) 0x8A, (byte) 0x86, 0x1C, 0x02, 0, 0, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};
        byte[] k = TestImages.bzImage(0x20F, 4, pm);
        write("old.bz", TestImages.bzImage(0x201, 4, pm));
        assertBad("-kernel", "old.bz");
        assertTrue(err.contains("2.01 is too old"), err);
        write("cut.bz", Arrays.copyOf(k, 1500));
        assertBad("-kernel", "cut.bz");
        assertTrue(err.contains("truncated"), err);
        write("good.bz", k);
        write("huge.img", new byte[(7 << 20) + 12345]);
        assertBad("-kernel", "good.bz", "-initrd", "huge.img", "-m", "8");
        assertTrue(err.contains("initrd 'huge.img'") && err.contains("too large"), err);
        assertBad("-kernel", "good.bz", "-initrd", "missing.img");
        // QEMU 7.2 takes a Linux -initrd as one file name, commas included (no module list).
        write("a,b", new byte[21]);
        assertEquals((21 << 1 | 1) & 0xFF, run("-kernel", "good.bz", "-initrd", "a,b", "-accel", "interp"), err);
    }

    @Test
    void imagesLargerThanRamAreRefusedBeforeTheyAreRead() throws IOException {
        long t0 = System.nanoTime();
        assertBad("-kernel", "/dev/zero");                      // endless: read only up to the RAM size
        assertTrue(err.contains("larger than the guest's RAM (128 MiB"), err);
        assertBad("-kernel", "/dev/zero", "-m", "2");
        assertTrue(err.contains("(2 MiB"), err);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("sparse.bin").toFile(), "rw")) {
            f.setLength(1L << 40);                             // 1 TiB, sparse: reading it would take hours
        }
        assertBad("-kernel", "sparse.bin");
        assertTrue(err.contains("sparse.bin") && err.contains("larger than"), err);
        write("good.elf", TestImages.elf(0x100000, new byte[] {(byte) 0xF4}, 0));
        assertBad("-kernel", "good.elf", "-initrd", "sparse.bin arg");
        assertTrue(err.contains("module 'sparse.bin'"), err);
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "refused without reading everything");
    }

    /** Writes "one" to COM1 (0x3F8) and "two" to COM2 (0x2F8), without polling LSR, then exits. */
    private static byte[] twoPortsKernel() {
        java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
        for (String[] w : new String[][] {{"3F8", "one\n"}, {"2F8", "two\n"}}) {
            int port = Integer.parseInt(w[0], 16);
            code.writeBytes(new byte[] {0x66, (byte) 0xBA, (byte) port, (byte) (port >> 8)});     // mov dx, port
            for (char c : w[1].toCharArray()) code.writeBytes(new byte[] {(byte) 0xB0, (byte) c, (byte) 0xEE});  // mov al, c; out dx, al
        }
        code.writeBytes(new byte[] {(byte) 0xB0, 0x10, (byte) 0xE6, (byte) 0xF4, (byte) 0xFA, (byte) 0xF4});  // exit 0x10; cli; hlt
        return DemoKernel.aout(code.toByteArray());
    }

    @Test
    void eachSerialOptionIsTheNextComPort() throws IOException {
        write("two.bin", twoPortsKernel());
        assertEquals(33, run("-kernel", "two.bin", "-serial", "stdio", "-serial", "file:com2.txt"), err);
        assertEquals("one\n", out);
        assertEquals("two\n", Files.readString(dir.resolve("com2.txt")));
        assertEquals(33, run("-kernel", "two.bin", "-serial", "none", "-serial", "stdio"), err);
        assertEquals("two\n", out, "-serial none keeps COM1's slot: stdio is COM2");
        assertEquals(33, run("-kernel", "two.bin", "-serial", "null", "-serial", "stdio", "-serial", "null", "-serial", "null",
                "-serial", "file:fifth.txt"), err);
        assertEquals("two\n", out);
        assertEquals(33, run("-kernel", "two.bin"), err);
        assertEquals("one\n", out, "by default only COM1 exists, on stdio");
        assertBad("-kernel", "two.bin", "-serial", "stdio", "-serial", "stdio");
    }

    @Test
    void helpIsNotAnError() {
        assertEquals(0, run("--help"));
        assertTrue(out.contains("-kernel"));
    }

    @Test
    void demoKernelPrintsAndExitsThroughDebugExit() throws IOException {
        write("demo.bin", DemoKernel.image());
        int status = run("-kernel", "demo.bin", "--icount", "-no-reboot", "-m", "8M",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "--stats", "stats.json");
        assertEquals(33, status, err);
        assertEquals(DemoKernel.MESSAGE, out);
        String stats = Files.readString(dir.resolve("stats.json"));
        assertTrue(stats.contains("\"code\": 1,") && stats.contains("\"code\": 7,"), stats);
    }

    @Test
    void instructionBudgetGivesStatus4() throws IOException {
        write("demo.bin", DemoKernel.image());
        assertEquals(4, run("-kernel", "demo.bin", "--icount", "--max-insns", "5", "-serial", "none"));
    }

    @Test
    void bootStatusMapping() {
        assertEquals(0, BootCommand.mapStatus(new io.flatland.machine.RunResult(io.flatland.machine.RunResult.Outcome.DEBUG_EXIT, 33, null)));
        assertEquals(1, BootCommand.mapStatus(new io.flatland.machine.RunResult(io.flatland.machine.RunResult.Outcome.DEBUG_EXIT, 35, null)));
        assertEquals(3, BootCommand.mapStatus(new io.flatland.machine.RunResult(io.flatland.machine.RunResult.Outcome.DEBUG_EXIT, 37, null)));
    }

    @Test
    void bootAppendString() throws UsageException {
        Options o = Options.parse(Arrays.asList("--workload", "ipc", "--n", "100", "--syscall", "int", "--append", "hz=1000"), true);
        assertEquals("workload=ipc n=100 syscall=int hz=1000", BootCommand.appendFor(o));
        assertEquals("workload=boot", BootCommand.appendFor(Options.parse(Arrays.asList(), true)));
    }

    @Test
    void ramSizes() throws UsageException {
        assertEquals(64L << 20, RamSizeOption.parse("64"));
        assertEquals(128L << 20, RamSizeOption.parse("128M"));
        assertEquals(1L << 30, RamSizeOption.parse("1G"));
        assertEquals(2L << 20, RamSizeOption.parse("2048K"));
        assertEquals(3584L << 20, RamSizeOption.parse("3584"));
    }

    /** Sizes as QEMU 7.2 reads them (mem_upper observed with the mbinfo kernel under each -m). */
    @Test
    void ramSizesInQemuSpellings() throws UsageException {
        assertEquals(128L << 20, RamSizeOption.parse("0"), "-m 0: QEMU's default");
        assertEquals(128L << 20, RamSizeOption.parse("size=0"));
        assertEquals(1536L << 20, RamSizeOption.parse("1.5G"));
        assertEquals(16L << 20, RamSizeOption.parse("0x10"), "hex MiB");
        assertEquals(16L << 20, RamSizeOption.parse("0x10M"));
        assertEquals(2056L << 10, RamSizeOption.parse("2049K"), "rounded up to 8 KiB");
        for (String bad : new String[] {"1.5", "64.5", "0x", "1.5X", "-1", "0x1.8G", ""}) {
            assertThrows(UsageException.class, () -> RamSizeOption.parse(bad), bad);
        }
    }

    @Test
    void qemuSpellingsRun() throws IOException {
        write("demo.bin", DemoKernel.image());
        String[] common = {"-kernel", "demo.bin", "-serial", "none", "-no-reboot"};
        String[][] spellings = {
            {"-m", "0"}, {"-m", "1.5G"}, {"-m", "0x10"}, {"-initrd", ""}, {"-accel", "tcg"}, {"-accel", "tcg,thread=single"},
            {"-icount", "shift=0"}, {"-icount", "0"}, {"-icount", "auto"}, {"-icount", "shift=auto,sleep=off"},
            {"--icount=shift=0"}, {"--icount"},
        };
        for (String[] sp : spellings) {
            String[] args = Arrays.copyOf(common, common.length + sp.length);
            System.arraycopy(sp, 0, args, common.length, sp.length);
            assertEquals(33, run(args), Arrays.toString(sp) + ": " + err);
        }
        assertBad("-kernel", "demo.bin", "-icount", "shift=3");
        assertTrue(err.contains("shift=0"), "says what Flatland does: " + err);
        assertBad("-kernel", "demo.bin", "-icount", "shift=0,align=on");
        assertBad("-kernel", "demo.bin", "-accel", "kvm");
    }

    @Test
    void everyCommandAnswersHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.startsWith("usage:"), out);
        assertEquals(0, run("boot", "--help"));
        assertTrue(out.startsWith("usage:"), out);
        assertEquals(0, run("-help"));
        assertEquals(0, run("-h"));
    }
}
