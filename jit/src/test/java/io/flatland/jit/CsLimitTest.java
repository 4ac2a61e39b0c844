package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.ExitReason;
import org.junit.jupiter.api.Test;

import static io.flatland.jit.LockstepMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins {@code Emit.checkCsLimit} (and the dispatcher's check of a region's last EIP) to
 * {@code Exec.jump}'s rule, the SDM's for JMP, CALL, RET and Jcc: "IF tempEIP is not within
 * code segment limit THEN #GP(0)". Every near transfer the emitters write (JMP rel, Jcc taken
 * out of the region, CALL rel, JMP r/m, CALL r/m, RET, and a JMP followed within the page) goes
 * to targets just inside and just beyond a CS limit, under the JIT engine in lockstep with the
 * interpreter. A target within the limit holds HLT; beyond it, the #GP handler's CLI; HLT runs.
 */
class CsLimitTest {
    /** CS limit: the last byte of the page after the code's; targets are around it. */
    static final int LIMIT = CODE + 0x1FFF;

    interface Transfer { void emit(Code c, int target); }

    static final Transfer[] FORMS = {
        (c, t) -> { int at = c.here(); c.b(0xE9).d(t - (at + 5)); },                     // jmp rel32
        (c, t) -> { int at = c.here(); c.b(0x39, 0xC0, 0x0F, 0x84).d(t - (at + 8)); },   // cmp eax,eax; je rel32
        (c, t) -> { int at = c.here(); c.b(0xE8).d(t - (at + 5)); },                     // call rel32
        (c, t) -> c.b(0xB8).d(t).b(0xFF, 0xE0),                                          // mov eax,t; jmp eax
        (c, t) -> c.b(0xB8).d(t).b(0xFF, 0xD0),                                          // mov eax,t; call eax
        (c, t) -> c.b(0x68).d(t).b(0xC3),                                                // push t; ret
        (c, t) -> c.b(0x68).d(t).b(0xC2, 0x04, 0x00),                                    // push t; ret 4
    };
    static final String[] NAMES = {"jmp rel", "jcc rel", "call rel", "jmp r/m", "call r/m", "ret", "ret imm"};

    @Test
    void everyNearTransferAgainstTheLimit() {
        Transfer[] forms = FORMS;
        String[] names = NAMES;
        int checked = 0;
        for (int f = 0; f < forms.length; f++) {
            for (int target : new int[] {LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + 0x1000, 0xFFFFFFFF, 0x80000000}) {
                Code c = twice(forms[f], target);
                boolean beyond = Integer.compareUnsigned(target, LIMIT) > 0;
                run(names[f] + " to " + Integer.toHexString(target), c, target, beyond);
                checked++;
            }
        }
        assertEquals(42, checked);
    }

    /** A JMP to a higher address of the same page is followed into the region: the region ends beyond the limit. */
    @Test
    void followedJumpBeyondTheLimit() {
        int limit = CODE + 0x7FF;
        for (int target : new int[] {CODE + 0x7FE, CODE + 0x7FF, CODE + 0x800}) {
            Code c = twice(FORMS[0], target);
            run("followed jmp to " + Integer.toHexString(target) + " limit " + Integer.toHexString(limit), c, target,
                    Integer.compareUnsigned(target, limit) > 0, limit);
        }
    }

    /**
     * The transfer in a loop's last pass, so that it runs in translated code:
     * mov ecx,3; L: dec ecx; jnz back; transfer; hlt; back: out 0x80,al; jmp L. OUT, which
     * only the interpreter runs, makes the JMP a block entry (hot, with threshold 0, when it
     * comes again); its region follows the JMP and runs through the JNZ into the transfer.
     */
    static Code twice(Transfer transfer, int target) {
        Code c = new Code(CODE).b(0xB9).d(3).label("L").b(0x49, 0x0F, 0x85).rel("back");
        transfer.emit(c, target);
        return c.b(0xF4).label("back").b(0xE6, 0x80).b(0xE9).rel("L");
    }

    private static void run(String name, Code c, int target, boolean beyond) {
        Lockstep ls = run(name, c, target, beyond, LIMIT);
        // The transfer ran in translated code: beyond the limit, the #GP came from the region's own check.
        if (beyond) assertTrue(ls.faultsInBlocks > 0, name + ": #GP raised inside the region");
    }

    private static Lockstep run(String name, Code c, int target, boolean beyond, int limit) {
        byte[] bytes = c.bytes();
        Lockstep ls = new Lockstep();
        ExitReason why = ls.run(name, true, 0, 0, 1000, m -> {
            m.load(CODE, bytes);
            m.cpu.segLimit[Cpu.CS] = limit;
            if (!beyond && Integer.compareUnsigned(target, 4 << 20) < 0) m.ram.write8(target, 0xF4);   // hlt at the target
        });
        assertEquals(ExitReason.HALTED_FOREVER, why, name);
        int gpHandler = HANDLERS + 16 * 13;
        // Halted after the HLT at the target, or after CLI; HLT of the #GP handler.
        assertEquals(Integer.toHexString(beyond ? gpHandler + 2 : target + 1), Integer.toHexString(ls.lastEip), name);
        assertTrue(ls.translated > 0, name + ": a region was translated");
        return ls;
    }
}
