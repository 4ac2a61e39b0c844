package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.cpu.Interpreter;

import static io.flatland.jit.LockstepMachine.CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short program translated by the real {@link Translator} into one region and run as that
 * {@link Block}, beside a second machine where the reference interpreter runs the same bytes
 * from the same state. Tests that pin the translator's own copies of semantic rules (conditions,
 * ALU records, effective addresses) drive it: what they check is the bytecode that actually runs.
 *
 * <p>The region is run directly (not through the dispatcher), so it runs for every input, and
 * each input costs one block call. Programs end with HLT, which no region holds: the region
 * exits in front of it.
 */
final class OneRegion implements AutoCloseable {
    /** Reference side (interpreter) and translated side; both are bare flat protected-mode machines. */
    final LockstepMachine ref = new LockstepMachine(false, false, 0), jit = new LockstepMachine(false, false, 0);
    private final Translator translator = new Translator(true);
    private Interpreter interp;
    private Block block;
    /** Programs translated so far (for the tests' reports). */
    int regions;

    /** Loads {@code code} at CODE on both machines and translates it; the region must hold all but the final HLT. */
    Block load(byte[] code) {
        ref.load(CODE, code);
        jit.load(CODE, code);
        // A fresh interpreter: the bytes were written behind the decoded-instruction cache's back.
        interp = new Interpreter(ref.cpu);
        jit.cpu.eip = CODE;
        block = translator.translate(jit.cpu, CODE, CODE, CODE, null, -1);
        assertEquals(0, translator.failures, () -> "translation failed: " + translator.lastFailure);
        assertNotNull(block, "a region was translated");
        regions++;
        return block;
    }

    /** Both machines: general registers (ESP included), EFLAGS (arithmetic flags as given, IF = 0), EIP at the program, no instructions counted. */
    void state(int[] regs, int eflags) {
        for (LockstepMachine m : new LockstepMachine[] {ref, jit}) {
            System.arraycopy(regs, 0, m.cpu.reg, 0, 8);
            Flags.set(m.cpu, eflags & ~Cpu.IF);
            m.cpu.eip = CODE;
            m.cpu.halted = false;
            m.cpu.icount = 0;
        }
    }

    /** Runs the region on the translated side; returns the instructions it retired (asserted not to fault). */
    int runRegion() {
        Cpu c = jit.cpu;
        int r = block.run(c, block.length);
        assertTrue(r >= 0, () -> "the region faulted at instruction " + (-r - 1) + ": " + c.fault);
        c.icount += r;
        return r;
    }

    /** Runs {@code n} instructions on the reference side. */
    void step(int n) {
        interp.run(ref.cpu, n);
    }

    /**
     * Registers, EIP, the whole of EFLAGS (as Flags.get returns it) and the instruction count
     * agree (the programs change nothing else the machine state text shows).
     */
    void assertSameState(java.util.function.Supplier<String> what) {
        Cpu a = ref.cpu, b = jit.cpu;
        // The cheap comparison first (millions of cases); the full text only to show a difference.
        if (!java.util.Arrays.equals(a.reg, b.reg) || a.eip != b.eip || Flags.get(a) != Flags.get(b) || a.icount != b.icount) {
            assertEquals(ref.state(), jit.state(), what);
        }
    }

    @Override
    public void close() {
        ref.close();
        jit.close();
    }

    // ---- encodings shared by the tests ----

    /** ModRM of a register operand pair: mod = 3. */
    static int modrm(int reg, int rm) { return 0xC0 | reg << 3 | rm; }

    /** The operand-size prefix for 16-bit operands (none otherwise), then {@code bytes}. */
    static Code sized(Code c, int size) {
        if (size == 2) c.b(0x66);
        return c;
    }

    static final int[] SIZES = {1, 2, 4};

    static int mask(int size) { return size == 4 ? -1 : (1 << 8 * size) - 1; }
}
