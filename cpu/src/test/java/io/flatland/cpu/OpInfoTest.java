package io.flatland.cpu;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every operation has an attribute row and semantics; the derived predicates keep their rules. */
class OpInfoTest {
    @Test
    void everyOperationHasARowAndSemantics() {
        Set<String> names = new HashSet<>();
        for (int op = 0; op < Op.COUNT; op++) {
            assertTrue(OpInfo.hasRow(op), "no attribute row for op " + op);
            assertTrue(names.add(OpInfo.name(op)), "two operations named " + OpInfo.name(op));
            // Semantics: its own handler, or SystemInsns for the rows that say SYSTEM (and UD).
            boolean system = OpInfo.has(op, OpInfo.SYSTEM) || op == Op.UD;
            assertEquals(system, Exec.handler(op) == Exec.handler(Op.UD),
                    OpInfo.name(op) + ": handled by " + (system ? "a handler of its own" : "SystemInsns") + " against its row");
        }
    }

    @Test
    void unknownOperationsGetTheSafeAnswers() {
        Insn in = new Insn();
        in.op = Op.COUNT + 7;
        assertFalse(OpInfo.simple(in.op));
        assertTrue(OpInfo.endsBlock(in.op));
        assertTrue(OpInfo.mayStore(in));
        assertTrue(OpInfo.mayFault(in));
    }

    @Test
    void transfersEndBlocksButStaySimple() {
        for (int op : new int[] {Op.JCC, Op.JMP_REL, Op.CALL_REL, Op.JMP_E, Op.CALL_E, Op.RET, Op.LOOP, Op.JCXZ}) {
            assertTrue(OpInfo.simple(op) && OpInfo.endsBlock(op), OpInfo.name(op));
        }
        for (int op : new int[] {Op.CLI, Op.STI, Op.POPF, Op.MOV_SE, Op.POP_SEG, Op.LSEG, Op.IRET, Op.INT, Op.SYSENTER, Op.MOV_CR}) {
            assertFalse(OpInfo.simple(op), OpInfo.name(op) + " changes what the run loop checks between instructions");
            assertTrue(OpInfo.endsBlock(op), OpInfo.name(op));
        }
    }

    @Test
    void storesAndFaultsDependOnTheOperand() {
        Insn cmp = new Insn();
        cmp.op = Op.ALU_EI;
        cmp.sub = Alu.CMP_K;
        cmp.mem = true;
        assertFalse(OpInfo.mayStore(cmp), "CMP m,imm only reads");
        cmp.sub = Alu.ADD_K;
        assertTrue(OpInfo.mayStore(cmp), "ADD m,imm writes");
        cmp.mem = false;
        assertFalse(OpInfo.mayStore(cmp));
        assertFalse(OpInfo.mayFault(cmp), "ADD r,imm cannot fault");
        cmp.mem = true;
        assertTrue(OpInfo.mayFault(cmp), "ADD m,imm can (paging, limits)");
        cmp.lock = true;
        cmp.mem = false;
        assertTrue(OpInfo.mayFault(cmp), "LOCK on a register form is #UD");

        Insn lea = new Insn();
        lea.op = Op.LEA;
        lea.mem = true;
        assertFalse(OpInfo.mayFault(lea), "LEA computes the address only");
        lea.mem = false;
        assertTrue(OpInfo.mayFault(lea), "LEA with a register operand is #UD");

        Insn movs = new Insn();
        movs.op = Op.MOVS;
        assertFalse(OpInfo.interpreted(movs));
        movs.rep = 0xF3;
        assertTrue(OpInfo.interpreted(movs), "REP MOVS runs in restartable chunks in the interpreter");
    }
}
