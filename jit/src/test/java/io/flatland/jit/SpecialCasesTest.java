package io.flatland.jit;

import io.flatland.cpu.ExitReason;
import org.junit.jupiter.api.Test;

import static io.flatland.jit.LockstepMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Faults in the middle of blocks and self-modifying code, JIT against interpreter in lockstep. */
class SpecialCasesTest {
    static final int COUNTER = COUNTERS + 8, RESULT = COUNTERS + 16;

    /** Regions grown over the last {@link #lockstep} call's configurations. */
    private long grown;

    /** Runs the program in lockstep under every configuration; returns the faults raised inside translated blocks. */
    private long lockstep(String name, Code code, java.util.function.Consumer<LockstepMachine> extra) {
        long faults = 0;
        grown = 0;
        byte[] bytes = code.bytes();
        for (int config = 0; config < 4; config++) {
            boolean hand = config > 0;
            int grow = config >= 2 ? 1 : JitEngine.GROW_RUNS;   // config 2: regions grow after one profiled run
            boolean background = config == 3;                   // config 3: and translate in the background
            for (int hot : new int[] {0, 2}) {
                for (long period : new long[] {0, 7, 31}) {
                    Lockstep ls = new Lockstep();
                    ls.growRuns = grow;
                    ls.background = background;
                    ExitReason why = ls.run(name + " hand=" + hand + " grow=" + grow + " bg=" + background + " hot=" + hot + " timer=" + period, hand, hot, period, 100_000, m -> {
                        m.load(code.origin, bytes);
                        m.cpu.eip = code.origin;
                        m.cpu.eflags |= 0x200;
                        extra.accept(m);
                    });
                    assertEquals(ExitReason.HALTED_FOREVER, why, name);
                    assertEquals(Integer.toHexString(code.addr("end") + 2), Integer.toHexString(ls.lastEip),
                            name + ": stopped at the end of the program (not in an exception handler)");
                    // With late translations a short program may end before its only one lands; code that is
                    // rewritten on every pass is decoded afresh each time, and so hot only with a threshold of 0.
                    if (!background && hot == 0) assertTrue(ls.blocksRun > 0, name + ": no block ran");
                    faults += ls.faultsInBlocks;
                    grown += ls.regionsGrown;
                }
            }
        }
        return faults;
    }

    static final int PF_HANDLER = 0x6000;

    /**
     * A #PF handler at {@link #PF_HANDLER} that marks the faulting page present and returns:
     * push eax; mov eax, cr2; shr eax, 12; shl eax, 2; add eax, PAGE_DIR+0x1000;
     * or dword [eax], 1; mov eax, cr2; invlpg [eax]; pop eax; add esp, 4; iret.
     */
    private static void installPageFaultHandler(LockstepMachine m) {
        Code pf = new Code(PF_HANDLER);
        pf.b(0x50, 0x0F, 0x20, 0xD0, 0xC1, 0xE8, 0x0C, 0xC1, 0xE0, 0x02, 0x05).d(PAGE_DIR + 0x1000);
        pf.b(0x83, 0x08, 0x01, 0x0F, 0x20, 0xD0, 0x0F, 0x01, 0x38, 0x58, 0x83, 0xC4, 0x04, 0xCF);
        m.load(PF_HANDLER, pf.bytes());
        m.gate(14, PF_HANDLER);
    }

    @Test
    void pageFaultAndDivideErrorMidBlock() {
        int deHandler = 0x6100;
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 12).label("top");
        c.b(0x81, 0x25).d(pte(SCRATCH + 0x1000)).d(0xFFFFFFFE);        // and dword [pte], ~1: not present
        c.movEaxImm(SCRATCH + 0x1000).b(0x0F, 0x01, 0x38);            // invlpg [eax]
        c.b(0xBB).d(5).b(0x01, 0xCB);                                  // mov ebx, 5; add ebx, ecx
        c.b(0x8B, 0x15).d(SCRATCH + 0x1010);                           // mov edx, [page]: #PF mid-block
        c.b(0x01, 0xDA).b(0x89, 0x15).d(SCRATCH + 0x20);               // add edx, ebx; mov [scratch+20], edx
        c.b(0x31, 0xD2).movEaxImm(100);                                // xor edx, edx; mov eax, 100
        c.b(0x8B, 0x0D).d(SCRATCH + 0x100);                            // mov ecx, [toggle]
        c.b(0xF7, 0xF1);                                               // div ecx: #DE when 0
        c.addMemEax(SCRATCH + 0x24);
        c.b(0x83, 0x35).d(SCRATCH + 0x100).b(1);                       // xor dword [toggle], 1
        c.b(0x89, 0x25).d(SCRATCH + 0x1020);                           // mov [page+0x20], esp: store to a fresh page
        c.loop(COUNTER, "top").cliHlt();
        Code de = new Code(deHandler);
        de.b(0x83, 0x04, 0x24, 0x02, 0xCF);                            // add dword [esp], 2; iret
        long faults = lockstep("faults", c, m -> {
            m.enablePaging();
            installPageFaultHandler(m);
            m.load(deHandler, de.bytes());
            m.gate(0, deHandler);
        });
        assertTrue(faults > 0, "faults were raised inside translated blocks");
    }

    /** A loop that stays inside one translated block faults on a later iteration (and timer events cut it). */
    @Test
    void selfLoopFaultsInLaterIteration() {
        Code c = new Code(CODE);
        c.movEaxImm(SCRATCH + 0x1000 - 512).b(0x31, 0xC9);                 // mov eax, ...; xor ecx, ecx (128 passes before the fault)
        c.label("top");
        c.b(0x8B, 0x10).b(0x01, 0xD1).b(0x83, 0xC0, 0x04);                   // mov edx,[eax]; add ecx,edx; add eax,4
        c.b(0x89, 0x48, 0x40);                                             // mov [eax+0x40], ecx
        c.b(0x3D).d(SCRATCH + 0x1000 + 256).b(0x0F, 0x82).rel("top");       // cmp eax, end; jb top
        c.b(0x89, 0x0D).d(RESULT).cliHlt();
        long faults = lockstep("self-loop fault", c, m -> {
            m.enablePaging();
            installPageFaultHandler(m);
            m.ram.write32(pte(SCRATCH + 0x1000), (SCRATCH + 0x1000) | 6);   // not present
        });
        assertTrue(faults > 0, "the #PF was raised inside a translated block");
    }

    /**
     * Flag liveness around faults: in a loop inside one region, a memory read-modify-write whose
     * own flags are dead (the loop's CMP overwrites them) faults on a later iteration; the flags
     * seen at the fault must be those of the SHL before it, which is therefore not elided.
     */
    @Test
    void deadFlagsAroundAFaultInALoop() {
        Code c = new Code(CODE);
        c.movEaxImm(SCRATCH + 0x1000 - 256).b(0x31, 0xC9);                 // mov eax, ...; xor ecx, ecx
        c.label("top");
        c.b(0x01, 0xC1).b(0x8B, 0x10).b(0xC1, 0xE2, 0x03);                 // add ecx,eax; mov edx,[eax]; shl edx,3
        c.b(0x31, 0x50, 0x40).b(0x83, 0xC0, 0x04);                          // xor [eax+0x40],edx; add eax,4
        c.b(0x3D).d(SCRATCH + 0x1000 + 128).b(0x0F, 0x82).rel("top");       // cmp eax, end; jb top
        c.b(0x89, 0x0D).d(RESULT).cliHlt();
        long faults = lockstep("dead flags and a fault", c, m -> {
            m.enablePaging();
            installPageFaultHandler(m);
            m.ram.write32(pte(SCRATCH + 0x1000), (SCRATCH + 0x1000) | 6);   // not present
        });
        assertTrue(faults > 0, "the #PF was raised inside a translated region");
    }

    @Test
    void indirectCallsAndJumps() {
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 20).label("top");
        c.b(0xB8).abs("f").b(0xFF, 0xD0);                                  // mov eax, f; call eax
        c.addMemEax(RESULT);
        c.b(0x8B, 0x0D).d(COUNTER).b(0x83, 0xE1, 0x01);                    // mov ecx, [counter]; and ecx, 1
        c.b(0xFF, 0x14, 0x8D).abs("tbl");                                  // call [tbl + ecx*4]
        c.addMemEax(RESULT);
        c.b(0xFF, 0x24, 0x8D).abs("jt");                                   // jmp [jt + ecx*4]
        c.label("l0").b(0xFF, 0x05).d(RESULT + 4).b(0xE9).rel("cont");
        c.label("l1").b(0xFF, 0x0D).d(RESULT + 4);
        c.label("cont").loop(COUNTER, "top").cliHlt();
        c.label("f").movEaxImm(5).b(0xC3);
        c.label("g").movEaxImm(7).b(0xC3);
        c.label("tbl").abs("f").abs("g");
        c.label("jt").abs("l0").abs("l1");
        lockstep("indirect transfers", c, m -> { });
        assertTrue(grown > 0, "the loop's region grew over its indirect calls and jump");
    }

    @Test
    void storeIntoCurrentBlock() {
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 20).label("top");
        c.b(0xA0).d(COUNTER);                                          // mov al, [counter]
        c.b(0xA2).abs("patch");                                        // mov [patch], al: rewrites the imm below
        c.b(0x40);                                                     // inc eax (still the same block)
        c.b(0xB8).label("patch").d(1);                                 // mov eax, imm (patched)
        c.addMemEax(RESULT);
        c.loop(COUNTER, "top").cliHlt();
        // The patch points at the immediate: fix the label to the byte after the opcode.
        lockstep("store into current block", fixPatch(c), m -> { });
    }

    @Test
    void deadFlagsOfAStoreIntoCurrentBlock() {
        // The add's record is overwritten by the xor (dead in the region), but the add hits the region's
        // own page: the region exits right after it, where its flags must be visible.
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 20).label("top");
        c.b(0xA0).d(COUNTER);                                          // mov al, [counter]
        c.b(0x00, 0x05).abs("patch");                                  // add [patch], al: rewrites the imm below
        c.b(0xB8).label("patch").d(1);                                 // mov eax, imm (patched)
        c.b(0x31, 0xD2);                                               // xor edx, edx: kills the add's flags
        c.addMemEax(RESULT);
        c.loop(COUNTER, "top").cliHlt();
        lockstep("dead flags of a store into current block", c, m -> { });
    }

    /** "patch" labels the opcode byte B8 position + 1 already (label set after emitting B8). */
    private static Code fixPatch(Code c) { return c; }

    @Test
    void storeIntoTranslatedFunction() {
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 20).label("top");
        c.b(0xE8).rel("f");                                            // call f
        c.addMemEax(RESULT);
        c.b(0xA0).d(COUNTER).b(0xA2).abs("fimm");                      // patch f's immediate with the counter
        c.loop(COUNTER, "top").cliHlt();
        c.padTo(CODE + 0x200);
        c.label("f").b(0x31, 0xC0).b(0x05).label("fimm").d(3).b(0xC3);   // xor eax,eax; add eax, imm; ret
        lockstep("store into translated function", c, m -> { });
    }

    @Test
    void storeIntoNextPage() {
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 20).label("top");
        c.b(0xE9).rel("edge");
        c.padTo(CODE + 0x1000 - 16);
        c.label("edge");
        c.b(0xA0).d(COUNTER).b(0xA2).abs("nimm");                      // patch the next page's code
        c.b(0x90, 0x90, 0x90, 0x90, 0x90, 0x90);
        c.b(0x05).label("nimm").d(7);                                  // add eax, imm: straddles into the next page
        c.b(0x83, 0xC0, 0x01);                                         // add eax, 1 (next page)
        c.addMemEax(RESULT);
        c.loop(COUNTER, "top").cliHlt();
        lockstep("store into next page", c, m -> { });
    }

    @Test
    void copiedCodeThenCalled() {
        int buf = CODE + 0x3000;
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 16).label("top");
        // Copy the 8-byte template (with the counter patched in) to the buffer, then call it.
        c.b(0xBE).abs("tmpl").b(0xBF).d(buf).b(0xB9).d(8).b(0xFC, 0xF3, 0xA4);    // rep movsb
        c.b(0xA0).d(COUNTER).b(0xA2).d(buf + 1);                        // mov [buf+1], al
        c.b(0xE8).d(buf - (c.here() + 4));                             // call buf
        c.addMemEax(RESULT);
        c.b(0x89, 0x1D).d(buf + 0x10);                                  // a data store on the buffer page
        c.loop(COUNTER, "top").cliHlt();
        c.label("tmpl").b(0xB8).d(0x11).b(0x40, 0xC3);                  // mov eax, imm; inc eax; ret
        lockstep("copied code", c, m -> { });
    }

    /**
     * STI holds an interrupt back until the instruction after it has run. Here that instruction
     * begins a hot (translated) block, so the interpreter stops in front of it for the
     * dispatcher: the stop must not drop the shadow, or the timer's interrupt (pending since
     * the CLI) comes one instruction early, before the INC whose count the handler then misses.
     */
    @Test
    void interruptShadowOfStiHoldsAtATranslatedEntry() {
        Code c = new Code(CODE);
        c.movMemImm(COUNTER, 40).label("top");
        c.b(0xFA);                                                     // cli: the timer's interrupt waits
        c.b(0xFF, 0x05).d(RESULT);                                     // inc dword [result]
        c.b(0xFF, 0x05).d(RESULT);                                     // inc dword [result]: the timer fires in here
        c.b(0xFB);                                                     // sti: ends the block, shadow for one instruction
        c.b(0x40);                                                     // inc eax: a block entry, translated once hot
        c.b(0x8B, 0x1D).d(COUNTERS + 4);                               // mov ebx, [interrupts taken]
        c.b(0x01, 0x1D).d(RESULT + 4);                                 // add [result+4], ebx: sums what the loop saw
        c.loop(COUNTER, "top").cliHlt();
        lockstep("interrupt shadow of sti at a translated entry", c, m -> { });
    }
}
