package io.flatland.jit.translate;

import io.flatland.jit.Cpu;
import io.flatland.jit.Insn;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

import static org.objectweb.asm.Opcodes.*;

/**
 * Turns the instructions of one guest block into a hidden class extending {@link Block}.
 * Each instruction is emitted by {@link Emitters} (hand-written bytecode calling the same
 * semantic methods as the interpreter) or, failing that, as {@code cpu.eip = addr;
 * Exec.execute(cpu, insn)} with the decoded {@link Insn} loaded as a class-data constant.
 *
 * <p>Every instruction that can fault is covered by its own exception handler, which sets
 * EIP to the instruction and returns {@code -(k + 1)}: faults cost nothing on the fast path
 * and the dispatcher knows exactly how many instructions retired.
 */
final class Translator {
    static final String CPU = "io/flatland/jit/Cpu";
    static final String INSN = "io/flatland/jit/Insn";
    static final String BLOCK = "io/flatland/jit/translate/Block";
    static final String FAULT = "io/flatland/mmu/GuestFault";
    private static final String NAME = "io/flatland/jit/translate/Translated";

    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);

    private final MethodHandles.Lookup lookup = MethodHandles.lookup();
    /** Hand-written emitters can be switched off to test the Exec fallback alone. */
    final boolean useEmitters;
    public long translated, bytecodeBytes, failures;
    public String lastFailure;

    Translator(boolean useEmitters) {
        this.useEmitters = useEmitters;
    }

    /** Translates the block at CS:{@code eip} (linear {@code lin}, physical {@code phys}); null if there is none. */
    Block translate(Cpu cpu, int eip, int lin, int phys) {
        List<Insn> insns = BlockScanner.scan(cpu, eip, lin);
        if (insns.isEmpty()) return null;
        int n = insns.size();
        int[] eips = new int[n + 1];
        eips[0] = eip;
        for (int k = 0; k < n; k++) eips[k + 1] = eips[k] + insns.get(k).len;

        byte[] bytes;
        Block b;
        try {
            bytes = generate(insns, eips);
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytes, List.copyOf(insns), true);
            b = (Block) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            // A translator bug must not stop the guest: the interpreter runs this code instead. Tests assert none happen.
            failures++;
            lastFailure = "block at " + Integer.toHexString(eip) + ": " + t;
            return null;
        }
        b.eip = eip;
        b.phys = phys;
        b.lastEip = eips[n - 1];
        b.length = n;
        b.eips = eips;
        translated++;
        bytecodeBytes += bytes.length;
        return b;
    }

    private byte[] generate(List<Insn> insns, int[] eips) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            // Frames only ever merge Cpu/Block references with themselves; never load classes here.
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return a.equals(b) ? a : "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, BLOCK, null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, BLOCK, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "(L" + CPU + ";I)I", null, null);
        mv.visitCode();
        int n = insns.size();
        Emit e = new Emit(mv, eips, useEmitters, useEmitters && Emitters.selfLoop(insns, eips));
        // Handlers must be declared before their labels are visited.
        Label[] start = new Label[n], end = new Label[n], handler = new Label[n];
        for (int k = 0; k < n; k++) {
            start[k] = new Label();
            end[k] = new Label();
            handler[k] = new Label();
            mv.visitTryCatchBlock(start[k], end[k], handler[k], FAULT);
        }
        // Local DONE counts instructions retired by earlier iterations of a self-loop.
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, Emit.DONE);
        if (useEmitters) e.prologue();
        if (e.selfLoop) {
            e.allDirty();   // the loop head is reached with every register current in its local
            mv.visitLabel(e.loopHead);
        }
        boolean[][] dirtyAtStart = new boolean[n][];
        for (int k = 0; k < n; k++) {
            Insn in = insns.get(k);
            boolean last = k == n - 1;
            dirtyAtStart[k] = e.dirtySet();
            mv.visitLabel(start[k]);
            boolean eipSet = e.instruction(k, in, last);
            mv.visitLabel(end[k]);
            if (!last && InsnKinds.mayStore(in)) {
                // Self-modifying code: a store into this block's page killed it; leave before the stale next instruction.
                Label alive = new Label();
                mv.visitVarInsn(ALOAD, 0);
                mv.visitFieldInsn(GETFIELD, BLOCK, "dead", "Z");
                mv.visitJumpInsn(IFEQ, alive);
                e.writeBack(e.dirtySet());
                e.setEip(eips[k + 1]);
                e.returnRetired(k + 1);
                mv.visitLabel(alive);
            }
            if (last) {
                e.writeBack(e.dirtySet());
                if (!eipSet) e.setEip(eips[k + 1]);
                e.returnRetired(n);
            }
        }
        for (int k = 0; k < n; k++) {
            mv.visitLabel(handler[k]);
            mv.visitInsn(POP);
            // Instruction k changed nothing before it faulted: registers are as they were when it began.
            e.writeBack(dirtyAtStart[k]);
            e.setEip(eips[k]);
            e.pushInt(-(k + 1));
            mv.visitVarInsn(ILOAD, Emit.DONE);
            mv.visitInsn(ISUB);
            mv.visitInsn(IRETURN);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Loads the decoded instruction {@code k} of the block: a constant resolved once from the class data. */
    static void loadInsn(MethodVisitor mv, int k) {
        mv.visitLdcInsn(new ConstantDynamic("_", "L" + INSN + ";", CLASS_DATA_AT, k));
    }
}
