package io.flatland.bench.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bench exit` measures from the guest's shutdown line to the end of the process's output. */
class ExitLatencyTest {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void timesFromTheShutdownLineToTheProcessEnd() throws Exception {
        ExitLatency.Run r = ExitLatency.run(List.of("sh", "-c", "echo 'post: 10'; echo 'post: 7e'; sleep 0.3; exit 3"), TMP, 30);
        assertEquals(3, r.exitStatus());
        assertTrue(r.ms() >= 250 && r.ms() < 5000, "the process lived 0.3 s after its shutdown line: " + r.ms());
    }

    @Test
    void aRunWithoutTheShutdownLineHasNoFigure() throws Exception {
        ExitLatency.Run r = ExitLatency.run(List.of("sh", "-c", "echo 'post: 7'; echo 'post: 7ef'"), TMP, 30);
        assertEquals(0, r.exitStatus());
        assertTrue(Double.isNaN(r.ms()), "no 'post: 7e' line: " + r.ms());
    }
}
