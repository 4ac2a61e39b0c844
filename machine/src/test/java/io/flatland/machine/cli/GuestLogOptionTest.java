package io.flatland.machine.cli;

import io.flatland.machine.DemoKernel;
import io.flatland.machine.RunResult;
import io.flatland.machine.log.LogItems;
import io.flatland.mmu.MmioBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -d ITEMS and -D FILE: parsing, -d help, refused items, and what each item writes on small kernels. */
class GuestLogOptionTest {
    /** Entry of the a.out kernels (DemoKernel.aout). */
    private static final int ENTRY = 0x100020;

    @TempDir
    Path dir;

    private String out, err;

    @AfterEach
    void cleanUp() {
        Main.beforeRun = null;
    }

    private int run(Path cwd, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int status = Main.run(args, null, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), cwd);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private int run(String... args) {
        return run(dir, args);
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("d.log"));
    }

    @Test
    void itemsAccumulateAndDNamesTheFile() throws UsageException {
        Options o = Options.parse(List.of("-d", "int,mmu", "-d", "cpu_reset", "-D", "x.log"), false);
        assertEquals(LogItems.INT | LogItems.MMU | LogItems.CPU_RESET, o.logItems);
        assertEquals("x.log", o.logFile);
        assertEquals(LogItems.GUEST_ERRORS | LogItems.UNIMP, Options.parse(List.of("-d=guest_errors,unimp"), false).logItems);
        assertEquals(LogItems.ALL, Options.parse(List.of("-d", "all"), false).logItems);
        assertEquals(LogItems.EXEC | LogItems.CPU, Options.parse(List.of("-d", "exec,cpu"), false).logItems);
        assertEquals(LogItems.INT | LogItems.IN_ASM, Options.parse(List.of("-d", "int,in_asm"), false).logItems);
        Options none = Options.parse(List.of("-D", "x.log"), false);
        assertEquals(0, none.logItems, "-D alone logs nothing, as in QEMU");
    }

    @Test
    void helpListsTheItems() {
        for (String[] args : List.of(new String[] {"-d", "help"}, new String[] {"boot", "-d", "help"})) {
            assertEquals(0, run(args), err);
            assertTrue(out.startsWith("Log items (comma separated):\n"), out);
            for (String item : List.of("int", "cpu_reset", "guest_errors", "mmu", "unimp", "exec", "cpu", "in_asm")) {
                assertTrue(out.contains("\n" + item + " "), item + " in " + out);
            }
        }
    }

    private void assertRefused(String message, String... args) {
        assertEquals(2, run(args), err);
        assertEquals("flatland: " + message + "\n", err);
    }

    @Test
    void unsupportedAndUnknownItemsAreOneLineErrors() {
        assertRefused("-d int,bogus: unknown log item 'bogus' (see -d help)", "-d", "int,bogus", "-kernel", "k");
        assertRefused("-d : unknown log item '' (see -d help)", "-d", "", "-kernel", "k");
        assertRefused("-d needs a value", "-kernel", "k", "-d");
    }

    @Test
    void anUnwritableLogFileIsAUsageError() throws IOException {
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(new byte[] {(byte) 0xFA, (byte) 0xF4}));
        assertEquals(2, run("-kernel", "k.bin", "-d", "int", "-D", "no/such/dir/d.log"), err);
        assertTrue(err.startsWith("flatland: -D no/such/dir/d.log: cannot open"), err);
    }

    /** mov al, 0x5a; out 0x99, al; in al, 0x99; mov eax, [0xE0000000]; mov [0xE0000004], eax; mov al, 0x10; out 0xf4, al */
    private static final byte[] UNASSIGNED = {
        (byte) 0xB0, 0x5A, (byte) 0xE6, (byte) 0x99, (byte) 0xE4, (byte) 0x99,
        (byte) 0xA1, 0, 0, 0, (byte) 0xE0, (byte) 0xA3, 4, 0, 0, (byte) 0xE0,
        (byte) 0xB0, 0x10, (byte) 0xE6, (byte) 0xF4,
    };

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void guestErrorsLogUnassignedPortsAndMemoryToStderrWithoutD(String accel) throws IOException {
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(UNASSIGNED));
        assertEquals(33, run("-kernel", "k.bin", "-accel", accel, "--icount", "-serial", "none", "-d", "guest_errors"), err);
        assertEquals("""
                guest_errors: OUT to unassigned port 0099, size 1, value 5a (dropped)
                guest_errors: IN from unassigned port 0099, size 1 (reads ff)
                guest_errors: read of unassigned memory at e0000000, size 4 (reads 0)
                guest_errors: write of unassigned memory at e0000004, size 4, value 00000000 (dropped)
                """, err);
    }

    private static Path kernels() throws URISyntaxException {
        return Path.of(GuestLogOptionTest.class.getResource("/kernels").toURI());
    }

    /** The serial4 probe kernel with QEMU's arguments: COM2 is "-serial none", COM4 absent; it probes both. */
    @Test
    void guestErrorsOnTheSerialProbeKernel() throws IOException, URISyntaxException {
        Path log = dir.resolve("d.log");
        List<String> args = new ArrayList<>(List.of("-kernel", "serial4.elf", "-m", "64", "--icount", "-display", "none",
                "-d", "guest_errors", "-D", log.toString()));
        args.addAll(List.of(Files.readString(kernels().resolve("serial4.args")).trim().split(" ")));
        assertEquals(33, run(kernels(), args.toArray(new String[0])), err);
        List<String> lines = log().lines().toList();
        assertEquals(8, lines.size(), lines.toString());
        assertTrue(lines.contains("guest_errors: IN from unassigned port 02fd, size 1 (reads ff)"), lines.toString());
        assertTrue(lines.contains("guest_errors: OUT to unassigned port 02ef, size 1, value 5a (dropped)"), lines.toString());
        assertTrue(lines.stream().allMatch(l -> l.matches("guest_errors: (IN from|OUT to) unassigned port 02[ef][0-9a-f], .*")), lines.toString());
    }

    /** The unassigned probe kernel: reads and writes above its 64 MiB of RAM, and a page walk that reads a PDE's table there. */
    @Test
    void guestErrorsOnTheUnassignedMemoryProbeKernel() throws IOException, URISyntaxException {
        Path log = dir.resolve("d.log");
        assertEquals(33, run(kernels(), "-kernel", "unassigned.elf", "-m", "64", "--icount", "-display", "none", "-serial", "null",
                "-d", "guest_errors", "-D", log.toString()), err);
        String text = log();
        assertTrue(text.startsWith("guest_errors: read of unassigned memory at 04000001, size 1 (reads 0)\n"), text);
        assertTrue(text.contains("guest_errors: write of unassigned memory at 04000000, size 4, value 12345678 (dropped)\n"), text);
        assertTrue(text.lines().allMatch(l -> l.matches("guest_errors: (read|write) of unassigned memory at [0-9a-f]{8}, size [124].*")), text);
    }

    /** IRET to virtual-8086 mode, a feature Flatland names as missing. */
    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void unimpNamesTheMissingFeature(String accel) throws IOException {
        byte[] code = {
            (byte) 0xBC, 0, 0, 8, 0,                    // mov esp, 0x80000
            0x68, 0x02, 0x00, 0x02, 0x00,               // push 0x20002 (EFLAGS with VM)
            0x6A, 0x00, 0x6A, 0x00,                     // push 0 (CS); push 0 (EIP)
            (byte) 0xCF,                                // iret
        };
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(code));
        assertEquals(RunResult.STATUS_UNIMPLEMENTED, run("-kernel", "k.bin", "-accel", accel, "--icount", "-serial", "none",
                "-d", "unimp", "-D", "d.log"), err);
        assertEquals("unimp: IRET to virtual-8086 mode is not supported (EIP 0x" + Integer.toHexString(ENTRY + 14) + ") (icount=4)\n", log());
    }

    /** A loop of 50 000 iterations (long enough for the JIT to translate it without -d exec). */
    private static final byte[] LOOP = {
        (byte) 0xB9, 0x50, (byte) 0xC3, 0, 0,           // mov ecx, 50000
        0x49, 0x75, (byte) 0xFD,                        // l: dec ecx; jnz l
        (byte) 0xB0, 0x10, (byte) 0xE6, (byte) 0xF4,    // mov al, 0x10; out 0xf4, al
    };

    @Test
    void execAndCpuResetAreTheSameUnderBothEngines() throws IOException {
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(LOOP));
        List<String> logs = new ArrayList<>();
        for (String accel : List.of("interp", "jit")) {
            assertEquals(33, run("-kernel", "k.bin", "-accel", accel, "--icount", "-serial", "none",
                    "-d", "exec,cpu_reset", "-D", "d.log"), err);
            logs.add(log());
        }
        assertEquals(logs.get(0), logs.get(1));
        String text = logs.get(0);
        assertTrue(text.startsWith("cpu_reset: power-on (CPU 0), state before:\n"), text);
        assertTrue(text.contains("cpu_reset: state after reset and the Multiboot loader:\nEAX=2badb002 "), text);
        assertTrue(text.contains("\nEIP=00100020 EFL=00000006 CPL=0 HLT=0 icount=0\n"), text);
        // The first block runs mov, dec, jnz; then each iteration (dec, jnz) is a block.
        assertTrue(text.contains("\nexec: icount=0 CS:EIP=0008:00100020\nexec: icount=3 CS:EIP=0008:00100025\n"
                + "exec: icount=5 CS:EIP=0008:00100025\n"), text);
        assertTrue(text.endsWith("\nexec: icount=100001 CS:EIP=0008:00100028\n"), "the exit block last");
        assertEquals(50_000 + 1, text.lines().filter(l -> l.startsWith("exec: ")).count(), "the entry, 49 999 loop iterations, the exit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void inAsmPrintsEachBlockOnceAsQemuDoes(String accel) throws IOException {
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(LOOP));
        assertEquals(33, run("-kernel", "k.bin", "-accel", accel, "--icount", "-serial", "none", "-d", "in_asm", "-D", "d.log"), err);
        String text = log();
        String first = """
                ----------------
                IN:\s
                0x00100020:  mov    $0xc350,%ecx
                0x00100025:  dec    %ecx
                0x00100026:  jne    100025

                """;
        String exit = """
                ----------------
                IN:\s
                0x00100028:  mov    $0x10,%al
                0x0010002a:  out    %al,$0xf4

                """;
        if (accel.equals("interp")) {
            assertEquals(first + exit, text);
        } else {
            // The interpreter decodes the cold blocks; the hot loop is printed again as the region the JIT translates.
            assertTrue(text.startsWith(first), text);
            assertTrue(text.endsWith(exit), text);
            assertTrue(text.contains("IN: [jit region]\n0x00100025:  dec    %ecx\n0x00100026:  jne    100025\n"), text);
        }
    }

    /** An internal error (a planted device that fails) still leaves every line logged before it in the file. */
    @Test
    void theLogIsFlushedWhenTheRunEndsWithAnInternalError() throws IOException {
        byte[] code = {
            (byte) 0xB0, 0x5A, (byte) 0xE6, (byte) 0x99,     // mov al, 0x5a; out 0x99, al
            (byte) 0xA1, 0, 0, 0, (byte) 0xE0,                // mov eax, [0xE0000000]: the failing device
            (byte) 0xFA, (byte) 0xF4,                         // cli; hlt
        };
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(code));
        Main.beforeRun = m -> m.ram().mmio().map(0xE0000000L, 0x1000, new MmioBus.Region() {
            @Override public int read(int pa, int size) { throw new IllegalStateException("planted device failure"); }
            @Override public void write(int pa, int size, int value) { }
        });
        assertEquals(RunResult.STATUS_INTERNAL_ERROR, run("-kernel", "k.bin", "--icount", "-serial", "none",
                "-d", "guest_errors,int", "-D", "d.log"), err);
        Matcher m = Pattern.compile("crash report: (\\S+)\n").matcher(err);
        if (m.find()) Files.deleteIfExists(Path.of(m.group(1)));
        assertEquals("guest_errors: OUT to unassigned port 0099, size 1, value 5a (dropped)\n", log());
        assertFalse(err.contains("guest_errors"), "-D: nothing on stderr but the error: " + err);
    }

    /**
     * -d pcall on the probe kernels that make protected-mode far transfers: call gates (lcall,
     * lret), rings (iret to ring 3), task switches; the same lines under both engines.
     */
    @Test
    void pcallLogsFarTransfersTheSameUnderBothEngines() throws IOException, URISyntaxException {
        for (String kernel : List.of("gates", "rings", "taskswitch")) {
            List<String> logs = new ArrayList<>();
            for (String accel : List.of("interp", "jit")) {
                Path log = dir.resolve("p-" + kernel + "-" + accel + ".log");
                run(kernels(), "-kernel", kernel + ".elf", "-m", "64", "--icount", "-display", "none", "-serial", "null",
                        "-accel", accel, "-d", "pcall", "-D", log.toString());
                logs.add(Files.readString(log));
            }
            assertEquals(logs.get(0), logs.get(1), kernel + ": both engines log the same far transfers");
            String text = logs.get(0);
            assertTrue(text.lines().allMatch(l -> l.matches(
                    "pcall: (ljmp|lcall|lret|iret|task switch) [0-9a-f]{4}:[0-9a-f]{8} from [0-9a-f]{4}:[0-9a-f]{8} cpl=[0-3] o(16|32)")),
                    kernel + ": " + text);
            switch (kernel) {
                case "gates" -> assertTrue(text.contains("pcall: lcall ") && text.contains("pcall: lret "), text);
                case "rings" -> assertTrue(text.lines().anyMatch(l -> l.startsWith("pcall: iret ") && l.contains("cpl=0")), text);
                default -> assertTrue(text.contains("pcall: task switch "), text);
            }
        }
    }
}
