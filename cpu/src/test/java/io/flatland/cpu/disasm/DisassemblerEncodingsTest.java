package io.flatland.cpu.disasm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Encodings the kernels do not reach (string ops with prefixes, system instructions, far
 * transfers, every x87 form, 16-bit addressing, segment overrides...), against objdump's text
 * recorded in {@code disasm/encodings.txt} (binutils 2.40, 32-bit code), so the test needs no binutils.
 */
class DisassemblerEncodingsTest {
    /**
     * Where Flatland deliberately prints something else: D6 is SALC, which the CPU executes
     * (objdump: "(bad)"); 0F FF is an opcode the decoder does not know, printed "(bad)" for the
     * whole instruction (objdump: ".byte 0xf" for the escape byte alone).
     */
    static final java.util.Map<String, String> KNOWN = java.util.Map.of("d6", "salc", "0f ff", "(bad)");

    @Test
    void matchesRecordedObjdump() throws Exception {
        List<String> bad = new ArrayList<>();
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/disasm/encodings.txt"), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                if (l.startsWith("#") || l.isBlank()) continue;
                String[] parts = l.split("\\|", 2);
                String[] hex = parts[0].trim().split(" ");
                byte[] code = new byte[hex.length];
                for (int i = 0; i < hex.length; i++) code[i] = (byte) Integer.parseInt(hex[i], 16);
                String ours = DisassemblerObjdumpTest.normalize(Disassembler.line(code, 0, 0, true).text());
                // objdump prints branch targets as 0x.. on a raw binary (no sections), bare hex in an ELF
                String theirs = DisassemblerObjdumpTest.normalize(parts[1]).replaceFirst("^((j|loop|call|jmp)\\w*) 0x", "$1 ");
                String known = KNOWN.get(parts[0].trim());
                if (known != null) theirs = known;
                n++;
                if (!ours.equals(theirs)) bad.add(parts[0] + ": objdump '" + theirs + "' vs '" + ours + "'");
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " of " + n + " differ:\n" + String.join("\n", bad));
    }
}
