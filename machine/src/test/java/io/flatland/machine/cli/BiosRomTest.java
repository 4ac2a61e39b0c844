package io.flatland.machine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * -bios: a hand-assembled ROM starts at the reset vector (F000:FFF0, CS base 0xFFFF0000), jumps
 * to its copy below 1 MiB, writes to COM1 and to an isa-debugcon, and exits through port 0xF4.
 * QEMU 7.2 runs the same ROM to the same output (the bytes are in {@link #rom}).
 */
class BiosRomTest {
    @TempDir Path dir;

    /** Real-mode code at ROM offset 0 (F000:0000 once the ROM's end is at 0xF0000-0xFFFFF). */
    private static byte[] code() {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.writeBytes(new byte[] {(byte) 0xBA, (byte) 0xF8, 0x03});                  // mov dx, 0x3F8
        for (char ch : "BIOS OK\n".toCharArray()) c.writeBytes(new byte[] {(byte) 0xB0, (byte) ch, (byte) 0xEE}); // mov al, ch; out dx, al
        c.writeBytes(new byte[] {(byte) 0xE4, (byte) 0xE9});                        // in al, 0xE9 (debugcon readback)
        c.writeBytes(new byte[] {(byte) 0xE6, (byte) 0xE9});                        // out 0xE9, al
        c.writeBytes(new byte[] {(byte) 0xB0, 'D', (byte) 0xE6, (byte) 0xE9});      // mov al, 'D'; out 0xE9, al
        c.writeBytes(new byte[] {(byte) 0xB0, 0x10, (byte) 0xE6, (byte) 0xF4});     // mov al, 0x10; out 0xF4, al: status 33
        c.writeBytes(new byte[] {(byte) 0xF4, (byte) 0xEB, (byte) 0xFD});           // hlt; jmp hlt
        return c.toByteArray();
    }

    /** A ROM of {@code size} bytes: the code in its last 64 KiB, the reset vector jumping to it. */
    static byte[] rom(int size) {
        byte[] rom = new byte[size];
        Arrays.fill(rom, (byte) 0xFF);
        int last64k = size - 0x10000;
        byte[] code = code();
        System.arraycopy(code, 0, rom, last64k, code.length);
        byte[] resetVector = {(byte) 0xEA, 0x00, 0x00, 0x00, (byte) 0xF0};      // jmp far F000:0000
        System.arraycopy(resetVector, 0, rom, size - 16, resetVector.length);
        return rom;
    }

    private record Run(int status, String out, String err) { }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, new java.io.ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true), dir);
        return new Run(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void romRunsFromTheResetVector(String accel) throws IOException {
        Files.write(dir.resolve("rom.bin"), rom(0x10000));
        Run r = run("-bios", "rom.bin", "-nodefaults", "-serial", "stdio", "-display", "none", "-accel", accel,
                "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                "-device", "isa-debugcon,iobase=0xe9,chardev=dc", "-chardev", "file,id=dc,path=dc.txt");
        assertEquals("", r.err);
        assertEquals(33, r.status);
        assertEquals("BIOS OK\n", r.out);
        // QEMU's isa-debugcon reads back 0xE9; then the 'D'.
        assertArrayEquals(new byte[] {(byte) 0xE9, 'D'}, Files.readAllBytes(dir.resolve("dc.txt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit"})
    void largerRomHasTheResetVectorInItsLastBytes(String accel) throws IOException {
        Files.write(dir.resolve("rom.bin"), rom(0x40000));
        Run r = run("-bios", "rom.bin", "-accel", accel);
        assertEquals(33, r.status);
        assertEquals("BIOS OK\n", r.out, "COM1 on stdio by default");
    }

    @Test void debugconOnStdioAndNoComPortUnderNodefaults() throws IOException {
        Files.write(dir.resolve("rom.bin"), rom(0x10000));
        Run r = run("-bios", "rom.bin", "-nodefaults", "-device", "isa-debugcon,chardev=c", "-chardev", "stdio,id=c");
        assertEquals(33, r.status);
        assertEquals("\u00e9D", r.out, "COM1 absent: only the debugcon's bytes");
    }

    @Test void romSizeMustBeWhole64KiBBlocks() throws IOException {
        Files.write(dir.resolve("rom4k.bin"), new byte[4096]);
        Run r = run("-bios", "rom4k.bin");
        assertEquals(2, r.status);
        assertTrue(r.err.startsWith("flatland: -bios 'rom4k.bin': 4096 bytes; a BIOS image must be a multiple of 64 KiB"), r.err);
        assertEquals(1, r.err.lines().count());
    }

    @Test void biosWithKernelIsRefused() throws IOException {
        Files.write(dir.resolve("rom.bin"), rom(0x10000));
        Run r = run("-bios", "rom.bin", "-kernel", "k.elf");
        assertEquals(2, r.status);
        assertEquals("flatland: -bios with -kernel: Flatland's -bios runs the ROM alone, without a kernel\n", r.err);
    }

    /** A ROM of one's own is the firmware: nothing of what Flatland sets up for -kernel guests in SeaBIOS's stead. */
    @Test void romStartsFromThePowerOnState() throws Exception {
        try (io.flatland.machine.Machine m = new io.flatland.machine.Machine(io.flatland.machine.MachineConfig.builder()
                .bios("rom", rom(0x10000)).serialOutput(null).build())) {
            assertEquals(0, m.pic().master.imr(), "the 8259 as at power-on, not SeaBIOS's B8");
            assertEquals(0, m.ram().read32(4 * 0x08), "no interrupt vector table");
            assertNotEquals(0x20445352, m.ram().read32(0xF59D0), "no ACPI RSDP (\"RSD \") over the ROM's copy");
            assertEquals(0xFFF0, m.cpu().eip, "the reset vector");
        }
    }

    @Test void highCopyIsReadOnly() throws Exception {
        var rom = new io.flatland.machine.loader.BiosRom(rom(0x20000), "rom");
        assertEquals(0xFFFE0000L, rom.base());
        int resetVector = 0xFFFFFFF0;
        assertEquals(0xEA, rom.read(resetVector, 1));
        rom.write(resetVector, 1, 0x90);
        assertEquals(0x000000EA, rom.read(resetVector, 4), "write dropped: jmp far F000:0000 is still there");
        assertEquals(0x20000, rom.isaWindow().length, "a 128 KiB ROM fills the isa-bios window");
        assertEquals(0x20000, new io.flatland.machine.loader.BiosRom(rom(0x40000), "rom").isaWindow().length, "only its last 128 KiB");
    }
}
