package io.flatland.jit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code cache's page versions. */
class CodeCacheTest {
    @Test
    void versionChangesWhenAPageIsKilledOrTheCacheCleared() {
        CodeCache c = new CodeCache(16);
        Block b = new Block() {
            @Override
            public int run(io.flatland.cpu.Cpu cpu, int room) { throw new AssertionError("not run"); }

            @Override
            protected Block fresh() { throw new AssertionError("not shared"); }
        };
        b.eip = 0x100;
        b.phys = 0x3100;
        c.put(b);
        long v = c.version(0x3100);
        c.codeWritten(0x5000);   // another page
        assertTrue(v == c.version(0x3100));
        c.codeWritten(0x3000);
        long w = c.version(0x3100);
        assertNotEquals(v, w, "a write to the page");
        c.clear();
        assertNotEquals(w, c.version(0x3100), "a flush of the whole cache");
    }
}
