package io.flatland.jit;

import io.flatland.cpu.ExitReason;
import org.junit.jupiter.api.Test;

import static io.flatland.jit.LockstepMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regions may hold code on the page after their entry's ({@link BlockScanner}): a loop that a
 * page boundary splits runs as one region. Such a region runs only while the linear page after
 * the entry's still maps to the physical page it was read from, and dies when that page is
 * written. Each case runs in lockstep with the interpreter, which catches stale code.
 */
class TwoPageRegionTest {
    static final int S = CODE + 0xFF8, PAGE2 = CODE + 0x1000, ALT = CODE + 0x2000;

    /**
     * S (0x10FF8): add eax,ecx; add ebx,3; nop; nop; nop | page 2: dec ecx; jnz S; ret.
     * ALT (another physical page, mapped at page 2 later): add edx,5; dec ecx; jnz S; ret.
     * main: mov ecx,200; call S; mov dword [pte(page 2)], ALT|7; invlpg [page 2]; mov ecx,200; call S; hlt.
     */
    @Test
    void loopAcrossAPageBoundaryAndThePageRemapped() {
        Code main = new Code(CODE).b(0xB9).d(200).b(0xE8).d(S - (CODE + 10))
                .b(0xC7, 0x05).d(pte(PAGE2)).d(ALT | 7).b(0x0F, 0x01, 0x3D).d(PAGE2)
                .b(0xB9).d(200).b(0xE8).d(S - (CODE + 37)).b(0xF4);
        byte[] page1 = {0x01, (byte) 0xC8, (byte) 0x83, (byte) 0xC3, 0x03, (byte) 0x90, (byte) 0x90, (byte) 0x90};
        byte[] page2 = {0x49, 0x0F, (byte) 0x85, -0xF, -1, -1, -1, (byte) 0xC3};
        byte[] alt = {(byte) 0x83, (byte) 0xC2, 0x05, 0x49, 0x0F, (byte) 0x85, -0x12, -1, -1, -1, (byte) 0xC3};
        Lockstep ls = new Lockstep();
        ExitReason why = ls.run("two pages, remapped", true, 0, 0, 100_000, m -> {
            m.enablePaging();
            m.load(CODE, main.bytes());
            m.load(S, page1);
            m.load(PAGE2, page2);
            m.load(ALT, alt);
        });
        assertEquals(ExitReason.HALTED_FOREVER, why);
        assertTrue(ls.twoPageRuns > 0, "the loop ran as a region over both pages");
    }

    /**
     * The part on the entry's page rewrites an immediate on the next page every pass:
     * S: mov byte [PAGE2+2], cl; nop; nop | page 2: add edx, imm8; dec ecx; jnz S; hlt.
     */
    @Test
    void storeIntoTheSecondPageKillsTheRegion() {
        Code main = new Code(CODE).b(0xB9).d(100).b(0xE9).d(S - (CODE + 10));
        byte[] page1 = {(byte) 0x88, 0x0D, 0x02, 0x10, 0x01, 0x00, (byte) 0x90, (byte) 0x90};
        byte[] page2 = {(byte) 0x83, (byte) 0xC2, 0x01, 0x49, 0x0F, (byte) 0x85, -0x12, -1, -1, -1, (byte) 0xF4};
        Lockstep ls = new Lockstep();
        ExitReason why = ls.run("store into the second page", true, 0, 0, 100_000, m -> {
            m.load(CODE, main.bytes());
            m.load(S, page1);
            m.load(PAGE2, page2);
        });
        assertEquals(ExitReason.HALTED_FOREVER, why);
        assertTrue(ls.translated > 0, "regions were translated");
    }
}
