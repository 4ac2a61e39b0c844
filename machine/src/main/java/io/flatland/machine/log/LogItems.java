package io.flatland.machine.log;

import java.util.List;

/**
 * The items of {@code -d} (QEMU's names where the meaning is the same) as a bit set:
 * parsing, and the text of {@code -d help}.
 */
public final class LogItems {
    private LogItems() { }

    public static final int INT = 1, CPU_RESET = 1 << 1, GUEST_ERRORS = 1 << 2, MMU = 1 << 3, UNIMP = 1 << 4,
            EXEC = 1 << 5, CPU = 1 << 6, IN_ASM = 1 << 7, PCALL = 1 << 8;
    public static final int ALL = INT | CPU_RESET | GUEST_ERRORS | MMU | UNIMP | EXEC | CPU | IN_ASM | PCALL;

    private record Item(String name, int bit, String description) { }

    private static final List<Item> ITEMS = List.of(
            new Item("int", INT, "each exception and interrupt delivered: vector, error code, source, CPL, CS:EIP, SS:ESP, CR2 for #PF"),
            new Item("cpu_reset", CPU_RESET, "each CPU reset (power-on included), with the registers before and after"),
            new Item("guest_errors", GUEST_ERRORS, "accesses to unassigned I/O ports and unassigned physical memory"),
            new Item("mmu", MMU, "CR3 loads, TLB flushes (full, INVLPG) and page faults raised by the page walk"),
            new Item("unimp", UNIMP, "a feature Flatland does not implement, when the guest reaches it"),
            new Item("exec", EXEC, "each basic block entered (CS:EIP, instruction count); the JIT interprets meanwhile"),
            new Item("cpu", CPU, "the registers before each basic block (as exec)"),
            new Item("in_asm", IN_ASM, "each block when first decoded for execution, and each JIT region when translated, disassembled (AT&T)"),
            new Item("pcall", PCALL, "protected-mode far jumps, calls, returns, IRETs and task switches: target, source, CPL"));

    /** The {@code -d help} text (QEMU's heading). */
    public static String help() {
        StringBuilder sb = new StringBuilder("Log items (comma separated):\n");
        for (Item i : ITEMS) sb.append(String.format("%-12s %s%n", i.name, i.description));
        sb.append(String.format("%-12s %s%n", "all", "every item above"));
        return sb.toString();
    }

    /**
     * The bit set of a comma-separated list ("all" for every item).
     *
     * @throws IllegalArgumentException (one line) for an unknown item
     */
    public static int parse(String list) {
        int bits = 0;
        for (String name : list.split(",", -1)) {
            if (name.equals("all")) {
                bits |= ALL;
                continue;
            }
            Item found = ITEMS.stream().filter(i -> i.name.equals(name)).findFirst().orElse(null);
            if (found == null) throw new IllegalArgumentException("-d " + list + ": unknown log item '" + name + "' (see -d help)");
            bits |= found.bit;
        }
        return bits;
    }
}
