package io.flatland.machine.kernelmodel;

import io.flatland.machine.cli.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --trace FILE} on the kernel model's copy-on-write workload: one line per delivery and POST code, as --stats counts them. */
class TraceOptionTest {
    @TempDir
    Path dir;

    private static long sum(String stats, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \\{([^}]*)}").matcher(stats);
        assertTrue(m.find(), name);
        long total = 0;
        for (String kv : m.group(1).split(",")) if (!kv.isBlank()) total += Long.parseLong(kv.split(":")[1].trim());
        return total;
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void traceLinesMatchTheStats(String accel) throws Exception {
        Path trace = dir.resolve("t.txt"), stats = dir.resolve("s.json");
        String[] args = {"-accel", accel, "-m", "128M", "-kernel", "prebuilt/kernel",
                "-initrd", "prebuilt/pm,prebuilt/rs,prebuilt/vm,prebuilt/echo,prebuilt/init",
                "-append", "workload=cow syscall=int", "-serial", "null", "-display", "none", "-no-reboot",
                "--icount", "--trace", trace.toString(), "--stats", stats.toString()};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), KernelModelTest.MODEL);
        assertEquals(33, status, "stderr: " + err);
        List<String> lines = Files.readAllLines(trace);
        String s = Files.readString(stats);
        long deliveries = lines.stream().filter(l -> l.matches("(exc|sw|hw) v=[0-9a-f]{2} e=(----|[0-9a-f]{4}) cpl=[0-3] "
                + "IP=[0-9a-f]{4}:[0-9a-f]{8}( CR2=[0-9a-f]{8})?")).count();
        assertEquals(sum(s, "exceptions_by_vector") + sum(s, "interrupts_by_vector"), deliveries);
        List<String> posts = lines.stream().filter(l -> l.startsWith("post ")).toList();
        Matcher m = Pattern.compile("\\{\"code\": (\\d+), \"icount\": (\\d+),").matcher(s);
        int i = 0;
        while (m.find()) {
            assertEquals(String.format("post %02x icount=%s", Integer.parseInt(m.group(1)), m.group(2)), posts.get(i++));
        }
        assertEquals(i, posts.size());
        assertEquals(deliveries + posts.size(), lines.size(), "nothing else in the trace");
        assertTrue(lines.contains("exc v=0e e=0006 cpl=3 IP=001b:080486b0 CR2=efff0000"), "the workload's first demand-paging fault");
    }
}
