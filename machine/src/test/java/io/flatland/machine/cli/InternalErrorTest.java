package io.flatland.machine.cli;

import io.flatland.machine.DemoKernel;
import io.flatland.machine.RunResult;
import io.flatland.mmu.MmioBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bug in Flatland (here a planted device that throws) ends the run with status 7, one line
 * naming the error, the EIP and a crash report, and the report holds the registers, the places
 * run last and the Java stack; a feature Flatland names as missing still ends with status 5.
 */
class InternalErrorTest {
    /** Where the planted device sits: above RAM, where nothing else is mapped. */
    private static final int DEVICE = 0xE0000000;
    /** Entry of the a.out kernels (DemoKernel.aout). */
    private static final int ENTRY = 0x100020;
    /**
     * Reads of the device before it fails: 36M instructions, past two of the machine's 16M-instruction
     * slices; a translation that lands from the background thread while the interpreter runs this
     * one-entry loop is installed when the interpreter returns at a slice's end.
     */
    private static final int READS_BEFORE_FAILING = 12_000_000;

    @TempDir
    Path dir;

    private String err;
    private Path report;

    @AfterEach
    void cleanUp() throws IOException {
        Main.beforeRun = null;
        if (report != null) Files.deleteIfExists(report);
    }

    private int run(String accel) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"-kernel", "k.bin", "-accel", accel, "--icount", "-no-reboot", "-serial", "none"},
                null, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8), dir);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    /** mov esp, 0x80000; xor ecx, ecx; l: mov eax, [DEVICE]; inc ecx; jmp l */
    private void readLoopKernel() throws IOException {
        byte[] code = {
            (byte) 0xBC, 0, 0, 8, 0,
            0x31, (byte) 0xC9,
            (byte) 0xA1, 0, 0, 0, (byte) 0xE0,
            0x41,
            (byte) 0xEB, (byte) 0xF8,
        };
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(code));
    }

    /** Maps a device at {@link #DEVICE} whose reads fail with {@code failure} after a while. */
    private static void plant(Supplier<Throwable> failure) {
        Main.beforeRun = m -> m.ram().mmio().map(DEVICE & 0xFFFFFFFFL, 0x1000, new MmioBus.Region() {
            private int reads;

            @Override
            public int read(int pa, int size) {
                if (++reads < READS_BEFORE_FAILING) return reads;
                Throwable t = failure.get();
                if (t instanceof RuntimeException r) throw r;
                throw (Error) t;
            }

            @Override
            public void write(int pa, int size, int value) { }
        });
    }

    /** Infinite recursion: the JVM's stack runs out inside the "device". */
    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @ParameterizedTest
    @CsvSource({
        "interp, bug", "jit, bug",
        "interp, stack", "jit, stack",
        "interp, memory", "jit, memory",
    })
    void internalErrorGivesStatus7AOneLineMessageAndACrashReport(String accel, String kind) throws IOException {
        readLoopKernel();
        String expectedClass = switch (kind) {
            case "bug" -> "java.lang.IllegalStateException: planted device failure";
            case "stack" -> "java.lang.StackOverflowError";
            default -> "java.lang.OutOfMemoryError: planted: Java heap space";
        };
        plant(switch (kind) {
            case "bug" -> () -> new IllegalStateException("planted device failure");
            case "stack" -> () -> {
                try {
                    recurse(0);
                    return new AssertionError("unreachable");
                } catch (StackOverflowError e) {
                    return e;
                }
            };
            default -> () -> new OutOfMemoryError("planted: Java heap space");
        });
        assertEquals(RunResult.STATUS_INTERNAL_ERROR, run(accel), "stderr: " + err);

        assertEquals(1, err.lines().count(), "one line on stderr: " + err);
        Matcher m = Pattern.compile("flatland: internal error: (.*) at EIP=0x([0-9a-f]+) ; crash report: (\\S+)\n").matcher(err);
        assertTrue(m.matches(), "the message's form: " + err);
        assertEquals(expectedClass, m.group(1));
        // The mov from the device, the 3rd instruction (after mov esp and xor ecx).
        assertEquals(ENTRY + 7, Integer.parseUnsignedInt(m.group(2), 16), "EIP of the failing instruction");
        report = Path.of(m.group(3));
        assertTrue(report.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath()), "in java.io.tmpdir: " + report);
        assertTrue(report.getFileName().toString().matches("flatland-crash-\\d+-\\d{8}-\\d{6}(-\\d+)?\\.txt"), report.toString());

        String text = Files.readString(report);
        assertTrue(text.contains("error: " + expectedClass), text);
        assertTrue(text.contains("engine: " + accel), text);
        // The registers as the failure left them: ECX counted the reads that succeeded, exactly
        // under both engines (translated code hands every device access to the interpreter).
        Matcher ecx = Pattern.compile("ECX=([0-9a-f]{8})").matcher(text);
        assertTrue(ecx.find(), text);
        assertEquals(READS_BEFORE_FAILING - 1, Integer.parseUnsignedInt(ecx.group(1), 16), "ECX");
        assertTrue(text.contains("ESP=00080000"), text);
        assertTrue(text.contains("EIP=" + String.format("%08x", ENTRY + 7)), text);
        assertTrue(Pattern.compile("(?m)^CS=0008 base=00000000 limit=ffffffff").matcher(text).find(), text);
        assertTrue(text.contains("CR0="), text);
        // The places run last include the loop, decoded, and the failing instruction.
        assertTrue(Pattern.compile("(?m)^ +\\d+  " + String.format("%08x", ENTRY + 7) + "  (interpreted|region) .*\\[a1 00 00 00 e0\\]")
                .matcher(text).find(), text);
        assertTrue(text.contains("at error"), text);
        // The Java stack, down to the planted device and the engine that called it.
        assertTrue(Pattern.compile("Java stack:.*\n" + Pattern.quote(expectedClass)).matcher(text).find(), text);
        if (kind.equals("stack")) {
            // The JVM keeps only the innermost frames of an overflow (1024 by default): the recursion.
            assertTrue(text.contains("InternalErrorTest.recurse"), text);
        } else {
            assertTrue(text.contains("InternalErrorTest$1.read"), text);
            assertTrue(text.contains(accel.equals("jit") ? "io.flatland.jit.JitEngine.run" : "io.flatland.cpu.Interpreter.run"), text);
        }
        if (accel.equals("jit") && !kind.equals("stack")) {
            // The loop had long been translated, and its region handed the device read to the
            // interpreter (MmioBus.trap): the report says the read ran there, called by the JIT.
            assertTrue(text.contains("io.flatland.cpu.Interpreter.run"), text);
            assertTrue(Pattern.compile("(?m)^ +\\d+  " + String.format("%08x", ENTRY + 7) + "  region ").matcher(text).find(), text);
        }
    }

    /** IRET to virtual-8086 mode, which Flatland names as missing: status 5 as before. */
    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void namedMissingFeatureStillGivesStatus5(String accel) throws IOException {
        byte[] code = {
            (byte) 0xBC, 0, 0, 8, 0,                    // mov esp, 0x80000
            0x68, 0x02, 0x00, 0x02, 0x00,               // push 0x20002 (EFLAGS with VM)
            0x6A, 0x00, 0x6A, 0x00,                     // push 0 (CS); push 0 (EIP)
            (byte) 0xCF,                                // iret
            (byte) 0xFA, (byte) 0xF4,                   // cli; hlt
        };
        Files.write(dir.resolve("k.bin"), DemoKernel.aout(code));
        assertEquals(RunResult.STATUS_UNIMPLEMENTED, run(accel), "stderr: " + err);
        assertEquals("flatland: unimplemented: IRET to virtual-8086 mode is not supported (EIP 0x"
                + Integer.toHexString(ENTRY + 14) + ")\n", err);
    }
}
