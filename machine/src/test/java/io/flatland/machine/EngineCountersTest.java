package io.flatland.machine;

import io.flatland.machine.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** --stats reports the JIT's own counters under -accel jit, and none under -accel interp. */
class EngineCountersTest {
    static String stats(String accel, Path tmp) throws Exception {
        Path dir = Path.of(EngineCountersTest.class.getResource("/kernels").toURI());
        Path out = tmp.resolve(accel + ".json");
        String[] args = {"-accel", accel, "-kernel", "alu.elf", "-serial", "none", "-display", "none", "-no-reboot",
                "-m", "64", "--icount", "--stats", out.toString()};
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(33, Main.run(args, null, sink, sink, dir));
        return Files.readString(out);
    }

    @Test
    void jitCountersAppearOnlyUnderTheJit(@TempDir Path tmp) throws Exception {
        // Translations in line, so that the short kernel's loops surely run translated.
        String jit;
        System.setProperty("flatland.jit.background", "false");
        try {
            jit = stats("jit", tmp);
        } finally {
            System.clearProperty("flatland.jit.background");
        }
        Matcher m = Pattern.compile("\"jit_regions_run\": (\\d+)").matcher(jit);
        assertTrue(m.find(), "jit_regions_run present");
        assertTrue(Long.parseLong(m.group(1)) > 0, "the alu kernel's loops ran translated");
        assertTrue(jit.contains("\"jit_translation_failures\": 0"), "nothing failed to translate");
        assertTrue(jit.contains("\"jit_flat_guard_failures\": 0"), "the kernel's segments stay flat: no region dropped");
        assertFalse(stats("interp", tmp).contains("jit_"), "no JIT counters for the interpreter");
    }
}
