package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import io.flatland.cpu.IoDevice;
import io.flatland.mmu.Mmu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.flatland.cpu.Cpu.*;
import static org.junit.jupiter.api.Assertions.*;

/** Instruction semantics through the run loop, and precise faults (SDM Vol. 2, Vol. 3A §6.5). */
class ExecTest {
    private final TestMachine m = new TestMachine();
    private final Cpu c = m.cpu;

    @AfterEach
    void close() { m.close(); }

    private void runToHlt(int... code) {
        assertEquals(ExitReason.HALTED_FOREVER, m.run(code), () -> String.valueOf(c.exitMessage));
    }

    @Test
    void loopSumsOneToHundred() {
        // xor eax,eax; mov ecx,100; l: add eax,ecx; loop l
        runToHlt(0x31, 0xC0, 0xB9, 100, 0, 0, 0, 0x01, 0xC8, 0xE2, 0xFC);
        assertEquals(5050, c.reg[EAX]);
        assertEquals(0, c.reg[ECX]);
        assertEquals(TestMachine.CODE + 12, c.eip);   // after the HLT
        assertEquals(2 + 2 * 100 + 1, c.icount);   // xor, mov, 100 x (add, loop), hlt
    }

    @Test
    void callRetAndStack() {
        // call +1; hlt; mov eax,7; ret  -> returns to the hlt
        runToHlt(0xE8, 0x01, 0, 0, 0, 0xF4, 0xB8, 7, 0, 0, 0, 0xC3);
        assertEquals(7, c.reg[EAX]);
        assertEquals(TestMachine.STACK_TOP, c.reg[ESP]);
        assertEquals(TestMachine.CODE + 5, m.ram.read32(TestMachine.STACK_TOP - 4));
    }

    @Test
    void pushaPopaRoundTrip() {
        for (int r = 0; r < 8; r++) if (r != ESP) c.reg[r] = 0x1111 * (r + 1);
        // pusha; xor eax,eax; xor ebx,ebx; popa
        runToHlt(0x60, 0x31, 0xC0, 0x31, 0xDB, 0x61);
        for (int r = 0; r < 8; r++) if (r != ESP) assertEquals(0x1111 * (r + 1), c.reg[r]);
        assertEquals(TestMachine.STACK_TOP, c.reg[ESP]);
        assertEquals(TestMachine.STACK_TOP, m.ram.read32(TestMachine.STACK_TOP - 20));   // pushed original ESP
    }

    @Test
    void enterLeave() {
        c.reg[EBP] = 0x12345;
        // enter 8,0; mov ebx,ebp; leave
        runToHlt(0xC8, 8, 0, 0, 0x89, 0xEB, 0xC9);
        assertEquals(TestMachine.STACK_TOP - 4, c.reg[EBX]);
        assertEquals(0x12345, c.reg[EBP]);
        assertEquals(TestMachine.STACK_TOP, c.reg[ESP]);
    }

    @Test
    void popIntoMemoryUsesIncrementedEsp() {
        // push 0xAB; pop dword [esp] -> address is computed after ESP += 4 (SDM POP)
        runToHlt(0x6A, 0x7F, 0x8F, 0x04, 0x24);
        assertEquals(TestMachine.STACK_TOP, c.reg[ESP]);
        assertEquals(0x7F, m.ram.read32(TestMachine.STACK_TOP));
    }

    @Test
    void pushEspPushesOldValue() {
        runToHlt(0x54, 0x5B);   // push esp; pop ebx
        assertEquals(TestMachine.STACK_TOP, c.reg[EBX]);
    }

    @Test
    void mulDivAndImul() {
        // mov eax,0xFFFFFFFF; mov ebx,2; mul ebx; div ebx
        runToHlt(0xB8, 0xFF, 0xFF, 0xFF, 0xFF, 0xBB, 2, 0, 0, 0, 0xF7, 0xE3, 0xF7, 0xF3);
        assertEquals(0xFFFFFFFF, c.reg[EAX]);
        assertEquals(0, c.reg[EDX]);
        // mov eax,-7; cdq; mov ecx,2; idiv ecx  -> quotient -3, remainder -1 (truncation toward zero)
        runToHlt(0xB8, 0xF9, 0xFF, 0xFF, 0xFF, 0x99, 0xB9, 2, 0, 0, 0, 0xF7, 0xF9);
        assertEquals(-3, c.reg[EAX]);
        assertEquals(-1, c.reg[EDX]);
        // imul eax,ecx,5 (6B C1 05) with ecx=2
        runToHlt(0x6B, 0xC1, 0x05);
        assertEquals(10, c.reg[EAX]);
    }

    @Test
    void divideByZeroIsPreciseDe() {
        c.reg[EAX] = 123; c.reg[EDX] = 0; c.reg[EBX] = 0;
        GuestFault f = m.step1(0xF7, 0xF3);   // div ebx
        assertEquals(0, f.vector);
        assertEquals(123, c.reg[EAX]);
        assertEquals(TestMachine.CODE, c.eip);
    }

    @Test
    void divideOverflowIsDe() {
        c.reg[EAX] = 0; c.reg[EDX] = 1; c.reg[EBX] = 1;   // 2^32 / 1 does not fit
        assertEquals(0, m.step1(0xF7, 0xF3).vector);
        c.reg[EAX] = 0x80000000; c.reg[EDX] = -1; c.reg[EBX] = -1;   // -2^31 / -1
        assertEquals(0, m.step1(0xF7, 0xFB).vector);
    }

    @Test
    void boundRaisesBr() {
        m.ram.write32(0x9000, 10);
        m.ram.write32(0x9004, 20);
        c.reg[EAX] = 21;
        GuestFault f = m.step1(0x62, 0x05, 0x00, 0x90, 0, 0);   // bound eax,[0x9000]
        assertEquals(5, f.vector);
        c.reg[EAX] = 20;
        assertNull(m.step1(0x62, 0x05, 0x00, 0x90, 0, 0));
    }

    @Test
    void ud2AndUndefinedRaiseUd() {
        assertEquals(6, m.step1(0x0F, 0x0B).vector);
        assertEquals(6, m.step1(0xF0, 0x01, 0xC3).vector);   // LOCK with a register destination
        assertEquals(6, m.step1(0x8D, 0xC0).vector);         // LEA with a register operand
    }

    @Test
    void pushToUnmappedPageLeavesEsp() {
        m.enablePaging();
        m.setPte(TestMachine.STACK_TOP - 0x1000, 0);
        c.reg[EAX] = 5;
        GuestFault f = m.step1(0x50);   // push eax
        assertEquals(14, f.vector);
        assertEquals(TestMachine.STACK_TOP, c.reg[ESP]);
        assertEquals(TestMachine.STACK_TOP - 4, f.address);
    }

    @Test
    void readModifyWriteFaultKeepsFlagsAndRegisters() {
        m.enablePaging();
        m.mmu.setCr0(m.mmu.cr0() | Mmu.CR0_WP);
        m.setPte(0x9000, 5);   // present, read-only, user
        m.ram.write32(0x9000, 1);
        Alu.sub(c, 4, 1, 2);   // CF SF AF PF
        int flagsBefore = Flags.get(c);
        c.reg[EAX] = 0x7FFFFFFF;
        GuestFault f = m.step1(0x01, 0x05, 0x00, 0x90, 0, 0);   // add [0x9000],eax
        assertEquals(14, f.vector);
        assertEquals(3, f.errorCode & 3, "present + write");
        assertEquals(flagsBefore, Flags.get(c));
        assertEquals(1, m.ram.read32(0x9000));
    }

    @Test
    void xchgCmpxchgXadd() {
        m.ram.write32(0x9000, 5);
        c.reg[EAX] = 5; c.reg[ECX] = 9;
        assertNull(m.step1(0x0F, 0xB1, 0x0D, 0x00, 0x90, 0, 0));   // cmpxchg [0x9000],ecx
        assertEquals(9, m.ram.read32(0x9000));
        assertTrue(Flags.cond(c, 4));
        assertNull(m.step1(0x0F, 0xB1, 0x0D, 0x00, 0x90, 0, 0));   // again: 5 != 9 -> EAX = 9
        assertEquals(9, c.reg[EAX]);
        assertFalse(Flags.cond(c, 4));
        c.reg[EBX] = 1;
        assertNull(m.step1(0x0F, 0xC1, 0x1D, 0x00, 0x90, 0, 0));   // xadd [0x9000],ebx
        assertEquals(10, m.ram.read32(0x9000));
        assertEquals(9, c.reg[EBX]);
        assertNull(m.step1(0x87, 0x1D, 0x00, 0x90, 0, 0));         // xchg [0x9000],ebx
        assertEquals(9, m.ram.read32(0x9000));
        assertEquals(10, c.reg[EBX]);
    }

    @Test
    void cmpxchg8b() {
        m.ram.write32(0x9000, 1); m.ram.write32(0x9004, 2);
        c.reg[EAX] = 1; c.reg[EDX] = 2; c.reg[EBX] = 3; c.reg[ECX] = 4;
        assertNull(m.step1(0x0F, 0xC7, 0x0D, 0x00, 0x90, 0, 0));
        assertEquals(3, m.ram.read32(0x9000));
        assertEquals(4, m.ram.read32(0x9004));
        assertTrue(Flags.cond(c, 4));
        assertNull(m.step1(0x0F, 0xC7, 0x0D, 0x00, 0x90, 0, 0));
        assertEquals(3, c.reg[EAX]);
        assertEquals(4, c.reg[EDX]);
        assertFalse(Flags.cond(c, 4));
        assertEquals(6, m.step1(0x0F, 0xC7, 0xC8).vector);   // register operand: #UD
    }

    @Test
    void movzxMovsxBswapSetccCmov() {
        c.reg[ECX] = 0x80;
        runToHlt(0x0F, 0xBE, 0xC1,   // movsx eax,cl
                 0x0F, 0xB6, 0xD1,   // movzx edx,cl
                 0x39, 0xD0,         // cmp eax,edx
                 0x0F, 0x9C, 0xC3,   // setl bl
                 0x0F, 0x4C, 0xF2);  // cmovl esi,edx
        assertEquals(0xFFFFFF80, c.reg[EAX]);
        assertEquals(0x80, c.reg[EDX]);
        assertEquals(1, c.reg[EBX] & 0xFF);
        assertEquals(0x80, c.reg[ESI]);
        c.reg[EAX] = 0x12345678;
        runToHlt(0x0F, 0xC8);
        assertEquals(0x78563412, c.reg[EAX]);
    }

    @Test
    void bitScanAndBitTest() {
        c.reg[EDX] = 0x12345;
        c.reg[ECX] = 0;
        runToHlt(0x0F, 0xBC, 0xD1);   // bsf edx,ecx: source 0 -> ZF=1, EDX unchanged
        assertEquals(0x12345, c.reg[EDX]);
        assertTrue(Flags.cond(c, 4));
        c.reg[ECX] = 0x00F0;
        runToHlt(0x0F, 0xBC, 0xD1, 0x0F, 0xBD, 0xC1);   // bsf edx,ecx; bsr eax,ecx
        assertEquals(4, c.reg[EDX]);
        assertEquals(7, c.reg[EAX]);
        // bts [0x9000],ecx with ecx = 33 sets bit 1 of the dword at 0x9004
        c.reg[ECX] = 33;
        runToHlt(0x0F, 0xAB, 0x0D, 0x00, 0x90, 0, 0);
        assertEquals(2, m.ram.read32(0x9004));
        assertFalse(Flags.cf(c));
        runToHlt(0x0F, 0xA3, 0x0D, 0x00, 0x90, 0, 0);    // bt: now set
        assertTrue(Flags.cf(c));
    }

    @Test
    void sixteenBitAddressingWraps() {
        c.reg[EBX] = 0xFFFF; c.reg[ESI] = 2;
        m.ram.write16(0x0001, 0xBEEF);
        runToHlt(0x67, 0x66, 0x8B, 0x00);   // mov ax,[bx+si] -> offset (0xFFFF+2) & 0xFFFF = 1
        assertEquals(0xBEEF, c.reg[EAX] & 0xFFFF);
    }

    @Test
    void stringShortFormsAndXlat() {
        m.ram.write8(0x9005, 0x42);
        c.reg[EBX] = 0x9000; c.reg[EAX] = 5;
        runToHlt(0xD7);   // xlat
        assertEquals(0x42, c.reg[EAX] & 0xFF);
    }

    @Test
    void bcdInstructions() {
        c.reg[EAX] = 0x0F;
        Flags.setArith(c, 0);
        runToHlt(0x27);   // daa: low nibble > 9 -> +6
        assertEquals(0x15, c.reg[EAX] & 0xFF);
        assertTrue((Flags.get(c) & AF) != 0);
        assertFalse(Flags.cf(c));
        c.reg[EAX] = 0x9A;
        Flags.setArith(c, 0);
        runToHlt(0x27);   // 0x9A -> 0x00 with CF
        assertEquals(0x00, c.reg[EAX] & 0xFF);
        assertTrue(Flags.cf(c));
        c.reg[EAX] = 0x000F;
        Flags.setArith(c, 0);
        runToHlt(0x37);   // aaa: AX + 0x106, AL &= 0xF
        assertEquals(0x0105, c.reg[EAX] & 0xFFFF);
        assertTrue(Flags.cf(c));
        c.reg[EAX] = 63;
        runToHlt(0xD4, 0x0A);   // aam
        assertEquals(0x0603, c.reg[EAX] & 0xFFFF);
        runToHlt(0xD5, 0x0A);   // aad
        assertEquals(63, c.reg[EAX] & 0xFFFF);
        assertEquals(6, m.step1(0xD4, 0x00).vector == 0 ? 6 : -1);   // aam 0 -> #DE
    }

    @Test
    void inOutReachDevices() {
        int[] last = new int[2];
        m.io.register(0x3F8, 1, new IoDevice() {
            @Override public int in(int port, int size) { return 0x5A; }
            @Override public void out(int port, int size, int value) { last[0] = port; last[1] = value; }
        });
        c.reg[EDX] = 0x3F8; c.reg[EAX] = 0x41;
        runToHlt(0xEE, 0xEC);   // out dx,al; in al,dx
        assertEquals(0x3F8, last[0]);
        assertEquals(0x41, last[1]);
        assertEquals(0x5A, c.reg[EAX] & 0xFF);
    }

    @Test
    void privilegeChecks() {
        c.setCpl(3);
        assertEquals(13, m.step1(0xF4).vector);   // HLT at CPL 3
        assertEquals(13, m.step1(0xFA).vector);   // CLI with IOPL 0
        c.eflags |= 3 << 12;
        assertNull(m.step1(0xFA));                // IOPL 3 allows it
        assertEquals(0, c.eflags & IF);
    }

    @Test
    void popfRespectsCplAndIopl() {
        c.setCpl(3);
        m.ram.write32(TestMachine.STACK_TOP - 4, 0xFFFFFFFF);
        c.reg[ESP] = TestMachine.STACK_TOP - 4;
        assertNull(m.step1(0x9D));   // popfd at CPL 3, IOPL 0
        int f = c.eflags;
        assertEquals(0, f & IF, "IF not writable when CPL > IOPL");
        assertEquals(0, f & IOPL, "IOPL writable only at CPL 0");
        assertEquals(0, f & (VM | RF));
        assertEquals(2, f & 0x2A, "bit 1 set, bits 3 and 5 clear");
        assertEquals(0, f & (1 << 15));
        assertTrue((f & (AC | ID | NT | OF | DF | TF)) == (AC | ID | NT | OF | DF | TF));
        c.setCpl(0);
        m.ram.write32(TestMachine.STACK_TOP - 4, 0xFFFFFFFF);
        c.reg[ESP] = TestMachine.STACK_TOP - 4;
        assertNull(m.step1(0x9D));
        assertEquals(IF | IOPL, c.eflags & (IF | IOPL));
    }

    @Test
    void x87Detection() {
        m.ram.write16(0x9000, 0xFFFF);
        runToHlt(0xDB, 0xE3,                    // fninit
                 0xDD, 0x3D, 0x00, 0x90, 0, 0,  // fnstsw [0x9000]
                 0xD9, 0x3D, 0x02, 0x90, 0, 0,  // fnstcw [0x9002]
                 0xDF, 0xE0);                   // fnstsw ax
        assertEquals(0, m.ram.read16(0x9000));
        assertEquals(0x37F, m.ram.read16(0x9002));
        assertEquals(0, c.reg[EAX] & 0xFFFF);
        m.mmu.setCr0(m.mmu.cr0() | Exec.CR0_EM);
        assertEquals(7, m.step1(0xDB, 0xE3).vector);   // CR0.EM: #NM
        m.mmu.setCr0((m.mmu.cr0() & ~Exec.CR0_EM) | Exec.CR0_TS | Exec.CR0_MP);
        assertEquals(7, m.step1(0x9B).vector);          // WAIT with TS and MP: #NM
    }

    @Test
    void selfModifyingCodeIsSeen() {
        // Executes "mov al,1", then patches its immediate to 5 and executes it again: the
        // decoded copy cached by physical address must be dropped by the guest's store.
        int imm = TestMachine.CODE + 6;
        runToHlt(0xB9, 2, 0, 0, 0,                                          // mov ecx,2
                 0xB0, 0x01,                                                // l: mov al,1
                 0x00, 0xC3,                                                // add bl,al
                 0xC6, 0x05, imm & 0xFF, (imm >>> 8) & 0xFF, 0, 0, 0x05,    // mov byte [imm],5
                 0xE2, 0xF3);                                               // loop l
        assertEquals(1 + 5, c.reg[EBX] & 0xFF);
        assertTrue(m.interp.decodeCache().invalidations > 0);
    }

    @Test
    void budgetStopsTheLoop() {
        m.load(TestMachine.CODE, 0xEB, 0xFE);   // jmp $
        c.eip = TestMachine.CODE;
        assertEquals(ExitReason.BUDGET, m.interp.run(c, 1000));
        assertEquals(1000, c.icount);
    }

    @Test
    void x87ArithmeticRuns() {
        // fld1; fld1; faddp st(1),st; fistp dword [0x3000]: the FPU is emulated now (X87).
        m.run(0xD9, 0xE8, 0xD9, 0xE8, 0xDE, 0xC1, 0xDB, 0x1D, 0x00, 0x30, 0x00, 0x00);
        assertEquals(2, m.ram.read32(0x3000));
        assertEquals(0, c.fpu.top);
    }
}
