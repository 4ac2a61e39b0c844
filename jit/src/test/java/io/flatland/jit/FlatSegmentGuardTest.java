package io.flatland.jit;

import io.flatland.cpu.ExitReason;
import org.junit.jupiter.api.Test;

import static io.flatland.jit.LockstepMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Translated code reads and writes operands of flat segments with base 0 through an in-line TLB
 * probe of the offset alone, and relies on that only while its entry guard finds the segments
 * still flat ({@link Block#flatSegs}). Here one subroutine, translated while DS and SS are the
 * flat data segment, runs again with DS and SS loaded with a segment based at SCRATCH (and then
 * flat again): its memory operands and its stack must land where the interpreter puts them.
 */
class FlatSegmentGuardTest {
    static final int SUBROUTINE = CODE + 0x100, DATA = 0x200;

    /**
     * mov ecx,6; L: mov eax,0x10; test cl,1; jz +5; mov eax,FS_SEL; mov ds,eax; mov ss,eax;
     * call R; out 0x80,al; dec ecx; jnz L; (flat again) hlt.
     * R: mov ebx,DATA; mov eax,[ebx]; add eax,ecx; mov [ebx],eax; add dword [ebx+4],2;
     * push dword [ebx]; pop edx; push eax; mov [ebx+8],esp; pop eax; inc byte [ebx+12]; ret.
     */
    static Code program() {
        Code c = new Code(CODE).b(0xB9).d(6).label("L")
                .b(0xB8).d(0x10).b(0xF6, 0xC1, 0x01, 0x74, 0x05).b(0xB8).d(FS_SEL)
                .b(0x8E, 0xD8, 0x8E, 0xD0)
                .b(0xE8).rel("R").b(0xE6, 0x80).b(0x49, 0x0F, 0x85).rel("L")
                .b(0xB8).d(0x10).b(0x8E, 0xD8, 0x8E, 0xD0).b(0xF4)
                .padTo(SUBROUTINE).label("R")
                .b(0xBB).d(DATA).b(0x8B, 0x03, 0x01, 0xC8, 0x89, 0x03, 0x83, 0x43, 0x04, 0x02)
                .b(0xFF, 0x33, 0x5A, 0x50, 0x89, 0x63, 0x08, 0x58, 0xFE, 0x43, 0x0C, 0xC3);
        return c;
    }

    @Test
    void regionTranslatedForFlatSegmentsRunsCorrectlyWhenTheyAreNot() {
        byte[] bytes = program().bytes();
        Lockstep ls = new Lockstep();
        ExitReason why = ls.run("flat guard", true, 0, 0, 10_000, m -> {
            m.richSetup();
            m.load(CODE, bytes);
        });
        assertEquals(ExitReason.HALTED_FOREVER, why);
        assertTrue(ls.translated > 0 && ls.blocksRun > 0, "the subroutine ran translated");
        assertTrue(ls.flatGuardFailures > 0, "the region translated for flat DS and SS met based ones and was dropped");
    }
}
