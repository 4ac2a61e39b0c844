package io.flatland.bench.harness;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `flatland bench ...` and `flatland gate ...`: every subcommand answers --help with its usage and status 0. */
class CliTest {
    private String out, err;

    private int run(String... args) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        // A root without perf-results: a subcommand that started working instead of answering would fail.
        int st = Cli.run(List.of(args), Path.of("/nonexistent-flatland-root"), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return st;
    }

    @Test
    void everySubcommandAnswersHelp() throws Exception {
        String[][] cases = {{"--help"}, {"gate", "--help"}, {"bench", "--help"}, {"bench", "boot", "--help"}, {"bench", "model", "--help"},
            {"bench", "model", "--runs", "0", "--help"},
            {"bench", "baseline", "--help"}, {"bench", "jmh", "--help"}, {"gate", "-h"}, {"gate", "--runs", "5", "--help"}};
        for (String[] c : cases) {
            assertEquals(0, run(c), String.join(" ", c) + ": " + err);
            assertTrue(out.startsWith("usage:"), String.join(" ", c) + " prints the usage: " + out);
            assertEquals("", err, String.join(" ", c));
        }
    }

    @Test
    void unknownCommandsAreUsageErrors() throws Exception {
        assertEquals(2, run());
        assertEquals(2, run("bench"));
        assertEquals(2, run("bench", "frob"));
        assertTrue(err.startsWith("flatland: "), err);
        assertEquals(2, run("gate", "--frob"));
    }

    @Test
    void badModelArgumentsGiveOneLineAndStatus2() throws Exception {
        String[][] cases = {{"bench", "model", "--runs", "0"}, {"bench", "model", "--accel", "tcg"},
            {"bench", "model", "--workload", "boot,nope"}, {"bench", "model", "--frob"}, {"bench", "model", "--n"}};
        for (String[] c : cases) {
            assertEquals(2, run(c), String.join(" ", c));
            assertTrue(err.startsWith("flatland: "), err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertEquals("", out, "nothing started: " + out);
        }
        run("bench", "model", "--accel", "tcg");
        assertTrue(err.contains("--accel: unknown name 'tcg' (one or more of interp,jit)"), err);
    }
}
