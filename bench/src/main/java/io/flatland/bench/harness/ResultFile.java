package io.flatland.bench.harness;

import io.flatland.bench.record.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Where a harness's record goes: perf-results/KIND-yyyyMMdd-HHmmss.json (and pictures beside it). */
final class ResultFile {
    private ResultFile() { }

    /** perf-results/KIND-STAMP with the given extension, the directory created. */
    static Path path(Path root, String kind, String stamp, String extension) throws IOException {
        Path dir = root.resolve("perf-results");
        Files.createDirectories(dir);
        return dir.resolve(kind + "-" + stamp + extension);
    }

    static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    /** Writes {@code record} as perf-results/KIND-STAMP.json and returns the file. */
    static Path write(Path root, String kind, String stamp, Map<String, Object> record) throws IOException {
        Path json = path(root, kind, stamp, ".json");
        Files.writeString(json, Json.write(record));
        return json;
    }
}
