package io.flatland.machine.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPUID probe ({@code resources/cpuid}) under Flatland against QEMU 7.2's recorded answers
 * for each -cpu model: identity leaves exactly, feature flags as QEMU's masked to the flags
 * Flatland implements.
 */
class CpuidVsQemuTest {
    /**
     * CPUID.1:EDX flags Flatland implements (SDM Table 3-11): FPU DE PSE TSC MSR CX8 SEP PGE CMOV,
     * and APIC, which the pc machine's local APIC brings (QEMU's isapc 486 has no APIC bit either).
     */
    private static final int LEAF1_EDX = bits(0, 2, 3, 4, 5, 8, 9, 11, 13, 15);
    /** The same flags as AMD repeats them in 0x80000001 EDX (bit 11 there is SYSCALL, not SEP). */
    private static final int AMD_EXT_EDX = bits(0, 2, 3, 4, 5, 8, 9, 13, 15);
    /** RDTSCP, the one 0x80000001 EDX flag of its own Flatland implements. */
    private static final int EXT_EDX = bits(27);
    /** CPUID.(7,0):EBX flags Flatland implements: SMEP, SMAP. */
    private static final int LEAF7_EBX = bits(7, 20);
    /** CPUID.(7,0):ECX flags Flatland implements: UMIP, LA57. */
    private static final int LEAF7_ECX = bits(2, 16);

    private record Leaf(int leaf, int[] regs) { }

    @ParameterizedTest
    @ValueSource(strings = {"qemu32", "pentium", "pentium2", "pentium3", "486", "max", "qemu64", "qemu64,+umip", "isapc"})
    void matchesQemu(String model) throws Exception {
        Path dir = Path.of(getClass().getResource("/cpuid/probe.elf").toURI()).getParent();
        List<String> args = new ArrayList<>(List.of("-nodefaults", "-serial", "stdio", "-display", "none",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-kernel", dir.resolve("probe.elf").toString(), "--icount"));
        if (model.equals("isapc")) args.addAll(List.of("-M", "isapc"));
        else args.addAll(List.of("-M", "pc", "-cpu", model));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args.toArray(new String[0]), new java.io.ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true), new PrintStream(err, true), dir);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(33, status);
        List<Leaf> qemu = parse(Files.readString(dir.resolve(model.replace(",", "") + ".expected")));
        List<Leaf> flatland = parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(qemu.size(), flatland.size(), "lines");
        int maxBasic = qemu.get(0).regs[0];
        int maxExt = qemu.get(2).regs[0];         // leaf 0x80000000; not a leaf number when there are none
        if (Integer.compareUnsigned(maxExt, 0x80000000) < 0) maxExt = 0;
        boolean amd = qemu.get(0).regs[1] == 0x68747541;
        for (int i = 0; i < qemu.size(); i++) {
            int leaf = qemu.get(i).leaf;
            // Past the highest leaf of its range, QEMU answers with the highest basic leaf.
            int effective = Integer.compareUnsigned(leaf, 0x80000000) >= 0
                    ? (Integer.compareUnsigned(leaf, maxExt) > 0 ? maxBasic : leaf)
                    : Math.min(leaf, maxBasic);
            int[] want = qemu.get(i).regs.clone();
            if (effective == 1) {
                // Leaf-1 ECX: of QEMU's flags only the local APIC's (x2APIC, TSC deadline) on pc; EDX's
                // APIC flag too (the machine has the local APIC; isapc has none).
                boolean pc = !model.equals("isapc");
                want[2] &= pc ? 1 << 21 | 1 << 24 : 0;
                want[3] &= LEAF1_EDX | (pc ? 1 << 9 : 0);
            } else if (effective == 0x80000001) {
                want[2] = 0;
                want[3] &= (amd ? AMD_EXT_EDX | (model.equals("isapc") ? 0 : 1 << 9) : 0) | EXT_EDX;   // AMD mirrors the APIC flag
            } else if (effective == 7) {
                want[1] &= LEAF7_EBX;
                want[2] &= LEAF7_ECX;
            } else if (effective == 4) {
                continue;                             // cache parameters (qemu32's answer past leaf 4): not modelled
            }
            String what = model + " leaf " + Integer.toHexString(leaf);
            for (int r = 0; r < 4; r++) {
                assertEquals(Integer.toHexString(want[r]), Integer.toHexString(flatland.get(i).regs[r]), what + " " + "abcd".charAt(r));
            }
        }
    }

    private static List<Leaf> parse(String text) {
        List<Leaf> leaves = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("[ =]+");   // leaf L eax A ebx B ecx C edx D
            leaves.add(new Leaf(Integer.parseUnsignedInt(f[1], 16), new int[] {
                Integer.parseUnsignedInt(f[3], 16), Integer.parseUnsignedInt(f[5], 16),
                Integer.parseUnsignedInt(f[7], 16), Integer.parseUnsignedInt(f[9], 16)}));
        }
        return leaves;
    }

    private static int bits(int... bits) {
        int m = 0;
        for (int b : bits) m |= 1 << b;
        return m;
    }
}
