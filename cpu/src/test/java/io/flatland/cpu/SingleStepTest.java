package io.flatland.cpu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static io.flatland.cpu.SystemTestMachine.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The single-step trap (SDM Vol. 3A §17.3.1.4, §6.8.3 "interrupt shadow"): run through the
 * interpreter one instruction at a time, recording every #DB with its pushed EIP and DR6.
 */
class SingleStepTest {
    static final int CODE = 0x100000, DB_HANDLER = HANDLER, INT_HANDLER = HANDLER + 0x10, BUF = 0x8000;
    static final int BS = 1 << 14;

    SystemTestMachine m;
    Cpu cpu;
    Interpreter interp;
    final ByteArrayOutputStream code = new ByteArrayOutputStream();

    @BeforeEach void setUp() {
        m = new SystemTestMachine();
        cpu = m.cpu;
        m.protectedMode();
        m.idtGate(1, DB_HANDLER, 0x8E);
        m.idtGate(0x30, INT_HANDLER, 0x8E);
        m.ram.write8(DB_HANDLER, 0xCF);                  // iret
        m.ram.write8(INT_HANDLER, 0xCF);                 // iret
        interp = new Interpreter(cpu);
        cpu.eip = CODE;
    }

    @AfterEach void tearDown() { m.close(); }

    /** Appends an instruction; returns its address. */
    int emit(int... bytes) {
        int at = CODE + code.size();
        for (int b : bytes) code.write(b);
        return at;
    }

    int here() { return CODE + code.size(); }

    record Trap(int eip, int dr6, int pushedFlags, int handlerFlags, int ecx) { }

    /** Runs until EIP reaches {@code end}, one instruction at a time, collecting #DB traps. */
    List<Trap> run(int end) {
        byte[] b = code.toByteArray();
        for (int i = 0; i < b.length; i++) m.ram.write8(CODE + i, b[i] & 0xFF);
        List<Trap> traps = new ArrayList<>();
        for (int steps = 0; cpu.eip != end; steps++) {
            assertTrue(steps < 200, "runaway");
            assertEquals(ExitReason.BUDGET, interp.run(cpu, 1), () -> cpu.exitMessage);
            if (cpu.eip == DB_HANDLER) {
                int esp = cpu.reg[Cpu.ESP];
                traps.add(new Trap(m.ram.read32(esp), cpu.dr[6], m.ram.read32(esp + 8), Flags.get(cpu), cpu.reg[Cpu.ECX]));
                cpu.dr[6] = ControlRegisters.DR6_FIXED;  // the handler clears DR6, as software must
            }
        }
        return traps;
    }

    @Test void tracesEachInstructionWithShadowsAndSoftwareInterrupts() {
        emit(0x9C);                                       // pushf
        emit(0x81, 0x0C, 0x24, 0x00, 0x01, 0x00, 0x00);   // or dword [esp], TF
        emit(0x9D);                                       // popf: TF set now, trap only after the next one
        emit(0xB8, 1, 0, 0, 0);                           // mov eax, 1
        int i2 = emit(0x83, 0xC0, 0x02);                  // add eax, 2
        int i3 = emit(0x8C, 0xD1);                        // mov cx, ss
        int i4 = emit(0x8E, 0xD1);                        // mov ss, cx: shadow, no trap
        emit(0xBA, 5, 0, 0, 0);                  // mov edx, 5
        int i6 = emit(0x16);                              // push ss
        int i7 = emit(0x17);                              // pop ss: shadow, no trap
        emit(0x90);                                       // nop
        int i9 = emit(0xFB);                              // sti: its shadow does not suppress #DB
        int i10 = emit(0xCD, 0x30);                       // int 0x30: no trap; handler runs with TF=0
        int i11 = emit(0x90);                             // nop (IRET restored TF; IRET itself began with TF=0)
        int i12 = emit(0x9C);                             // pushf
        int i13 = emit(0x81, 0x24, 0x24, 0xFF, 0xFE, 0xFF, 0xFF);   // and dword [esp], ~TF
        int i14 = emit(0x9D);                             // popf clearing TF: still traps (TF was set at its start)
        int i15 = emit(0x90);                             // nop: untraced
        int end = here();
        emit(0xF4);
        cpu.dr[6] = ControlRegisters.DR6_FIXED;

        List<Trap> traps = run(end);
        int[] expected = {i2, i3, i4, i6, i7, i9, i10, i12, i13, i14, i15};
        assertArrayEquals(expected, traps.stream().mapToInt(Trap::eip).toArray(),
                () -> traps.stream().map(t -> Integer.toHexString(t.eip())).toList().toString());
        for (int i = 0; i < traps.size(); i++) {
            Trap t = traps.get(i);
            assertEquals(ControlRegisters.DR6_FIXED | BS, t.dr6(), "DR6: BS set, B0-B3 clear, fixed bits kept");
            // The pushed EFLAGS are those after the instruction: the last POPF cleared TF.
            assertEquals(i < traps.size() - 1 ? Cpu.TF : 0, t.pushedFlags() & Cpu.TF, "pushed TF");
            assertEquals(0, t.handlerFlags() & Cpu.TF, "the gate clears TF");
        }
        assertEquals(0, Flags.get(cpu) & Cpu.TF);
        assertEquals(3, cpu.reg[Cpu.EAX]);
        assertEquals(5, cpu.reg[Cpu.EDX]);
        assertEquals(11, cpu.exceptionsByVector[1]);
    }

    @Test void repStringTrapsAfterEveryIteration() {
        cpu.reg[Cpu.EDI] = BUF;
        cpu.reg[Cpu.EAX] = 0x5A;
        emit(0xB9, 3, 0, 0, 0);                           // mov ecx, 3
        int rep = emit(0xF3, 0xAA);                       // rep stosb
        int after = emit(0x90);                           // nop
        int end = here();
        emit(0xF4);
        Flags.set(cpu, Cpu.TF | 2);

        List<Trap> traps = run(end);
        // mov; each of the three iterations (EIP stays at the REP until ECX = 0); nop.
        assertArrayEquals(new int[] {rep, rep, rep, after, end}, traps.stream().mapToInt(Trap::eip).toArray());
        assertArrayEquals(new int[] {3, 2, 1, 0, 0}, traps.stream().mapToInt(Trap::ecx).toArray());
        assertEquals(0x5A5A5A, m.ram.read32(BUF) & 0xFFFFFF);
        assertEquals(BUF + 3, cpu.reg[Cpu.EDI]);
    }

    @Test void executeBreakpointAddressMatchesAreReportedInDr6() {
        int first = emit(0x90);
        int second = emit(0x90);
        int end = here();
        emit(0xF4);
        cpu.dr[2] = second;                               // DR7 = 0: type 00 (execute), disabled
        Flags.set(cpu, Cpu.TF | 2);
        List<Trap> traps = run(end);
        assertEquals(2, traps.size());
        assertEquals(second, traps.get(0).eip());
        assertEquals(ControlRegisters.DR6_FIXED | BS | 1 << 2, traps.get(0).dr6(), "B2: DR2 matches the next EIP");
        assertEquals(ControlRegisters.DR6_FIXED | BS, traps.get(1).dr6());
        assertNotEquals(first, second);
    }

    @Test void icebpIsUndefinedAsOnTheReferenceMachine() {
        int ud = HANDLER + 0x20;
        m.idtGate(6, ud, 0x8E);
        m.ram.write8(ud, 0xEB);                          // jmp $
        m.ram.write8(ud + 1, 0xFE);
        m.ram.write8(CODE, 0xF1);
        interp.run(cpu, 1);
        assertEquals(ud, cpu.eip, "QEMU 7.2 raises #UD for 0xF1");
        assertEquals(CODE, m.ram.read32(cpu.reg[Cpu.ESP]), "#UD is a fault: EIP of the F1 byte");
    }
}
