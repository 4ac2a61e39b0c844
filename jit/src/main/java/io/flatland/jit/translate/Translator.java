package io.flatland.jit.translate;

import io.flatland.jit.Cpu;
import io.flatland.jit.Insn;
import org.objectweb.asm.ClassWriter;
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


    /** Debug switch: emit every flag record. */
    static final boolean NO_FLAG_LIVENESS = Boolean.getBoolean("flatland.jit.noFlagLiveness");
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
        int[] at = new int[BlockScanner.MAX_INSNS];
        List<Insn> insns = BlockScanner.scan(cpu, eip, lin, useEmitters && REGIONS, at);
        if (insns.isEmpty()) return null;
        for (;;) {
            Block b = translate(insns, at, eip, phys);
            // HotSpot does not compile huge methods: a region that came out too big is cut in half.
            if (b != null || lastTooBig == 0 || insns.size() == 1) return b;
            insns = insns.subList(0, insns.size() / 2);
        }
    }

    /** Local of run: the index of the faulting instruction, on the way to a shared fault exit. */
    private static final int FAULT_K = 16;

    /** Debug switch: one basic block per translation. */
    static final boolean REGIONS = !Boolean.getBoolean("flatland.jit.noRegions");
    /** Class files above this size are retranslated shorter (the method limit is 8000 bytes of bytecode). */
    static final int MAX_CLASS_BYTES = 7000;
    private int lastTooBig;

    private Block translate(List<Insn> insns, int[] at, int eip, int phys) {
        lastTooBig = 0;
        int n = insns.size();
        // eips[k]: EIP of instruction k (a followed jump makes them non-contiguous); next[k]: the address after it.
        int[] eips = new int[n + 1], next = new int[n];
        int lastEip = eip;
        for (int k = 0; k < n; k++) {
            eips[k] = at[k];
            next[k] = at[k] + insns.get(k).len;
            if (Integer.compareUnsigned(at[k], lastEip) > 0) lastEip = at[k];
        }
        eips[n] = next[n - 1];
        byte[] bytes;
        Block b;
        try {
            bytes = generate(insns, eips, next, 0xFF);
            // Loops: internal targets count every register as dirty unless told which ones the region writes.
            if (lastHadTargets && lastEverStored != 0xFF) bytes = generate(insns, eips, next, lastEverStored);
            if (bytes.length > MAX_CLASS_BYTES && insns.size() > 1) {
                lastTooBig = bytes.length;
                return null;
            }
            MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytes, insns.toArray(new Insn[0]), true);
            b = (Block) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            // A translator bug must not stop the guest: the interpreter runs this code instead. Tests assert none happen.
            failures++;
            lastFailure = "block at " + Integer.toHexString(eip) + ": " + t;
            return null;
        }
        b.eip = eip;
        b.phys = phys;
        b.lastEip = lastEip;   // every instruction (and so every internal branch target) lies within the CS limit
        b.length = n;
        b.eips = eips;
        translated++;
        bytecodeBytes += bytes.length;
        return b;
    }

    /** Of the last {@link #generate}: whether the region has internal branch targets, and Emit.everStored. */
    private boolean lastHadTargets;
    private int lastEverStored;

    private byte[] generate(List<Insn> insns, int[] eips, int[] next, int writable) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            // Frames only ever merge Cpu/Block references with themselves; never load classes here.
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return a.equals(b) ? a : "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, BLOCK, null);
        // The decoded instructions in a static final field, set when the class initialises: translated
        // code holds no unresolved constant (the JIT compilers give up on methods that do).
        cw.visitField(ACC_STATIC | ACC_FINAL | ACC_PRIVATE, "D", "[L" + INSN + ";", null, null).visitEnd();
        MethodVisitor clinit = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup", "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        clinit.visitLdcInsn("_");
        clinit.visitLdcInsn(org.objectweb.asm.Type.getType("[L" + INSN + ";"));
        clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
        clinit.visitTypeInsn(CHECKCAST, "[L" + INSN + ";");
        clinit.visitFieldInsn(PUTSTATIC, NAME, "D", "[L" + INSN + ";");
        clinit.visitInsn(RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
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
        Emit e = new Emit(mv, eips, useEmitters);
        e.next = next;
        e.writable = writable;
        if (useEmitters) e.targets = internalTargets(insns, eips, next);
        if (useEmitters && !NO_FLAG_LIVENESS) e.flagsDead = FlagLiveness.dead(insns);
        // Handlers must be declared before their labels are visited.
        Label[] start = new Label[n], end = new Label[n], handler = new Label[n];
        for (int k = 0; k < n; k++) {
            start[k] = new Label();
            end[k] = new Label();
            handler[k] = new Label();
            mv.visitTryCatchBlock(start[k], end[k], handler[k], FAULT);
        }
        // Local DONE: retired instructions = DONE + index of the current instruction.
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, Emit.DONE);
        if (useEmitters) e.prologue();
        boolean[][] dirtyAtStart = new boolean[n][];
        java.util.Map<String, Label> faultExits = new java.util.HashMap<>();
        java.util.List<boolean[]> faultSets = new java.util.ArrayList<>();
        java.util.List<Label> faultLabels = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) {
            Insn in = insns.get(k);
            boolean last = k == n - 1;
            if (e.targets != null && e.targets[k] != null) {
                e.atTarget();   // the fall-through arrives in the same state as the branches
                mv.visitLabel(e.targets[k]);
            }
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
                e.setEip(eips[k + 1]);   // not next[k] after a followed call
                e.returnRetired(k + 1);
                mv.visitLabel(alive);
            }
            if (last) {
                e.writeBack(e.dirtySet());
                if (!eipSet) e.setEip(next[k]);
                e.returnRetired(n);
            }
        }
        for (int k = 0; k < n; k++) {
            mv.visitLabel(handler[k]);
            mv.visitInsn(POP);
            // Instruction k changed nothing before it faulted: registers are as they were when it began.
            // Handlers with the same registers to write back share one exit (FAULT_K = k), to keep methods small.
            e.pushInt(k);
            mv.visitVarInsn(ISTORE, FAULT_K);
            String key = java.util.Arrays.toString(dirtyAtStart[k]);
            Label common = faultExits.get(key);
            if (common == null) {
                faultExits.put(key, common = new Label());
                faultSets.add(dirtyAtStart[k]);
                faultLabels.add(common);
            }
            mv.visitJumpInsn(GOTO, common);
        }
        for (int i = 0; i < faultLabels.size(); i++) {
            mv.visitLabel(faultLabels.get(i));
            e.writeBack(faultSets.get(i));
            // cpu.eip = this.eips[k]; return -(k + 1) - DONE
            mv.visitVarInsn(ALOAD, 1);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, BLOCK, "eips", "[I");
            mv.visitVarInsn(ILOAD, FAULT_K);
            mv.visitInsn(IALOAD);
            mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
            mv.visitInsn(ICONST_M1);
            mv.visitVarInsn(ILOAD, FAULT_K);
            mv.visitInsn(ISUB);
            mv.visitVarInsn(ILOAD, Emit.DONE);
            mv.visitInsn(ISUB);
            mv.visitInsn(IRETURN);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        lastHadTargets = e.targets != null;
        lastEverStored = e.everStored;
        return cw.toByteArray();
    }

    /** Labels for the instructions that a hand-written near branch of the region targets (null if none). */
    private static Label[] internalTargets(List<Insn> insns, int[] eips, int[] next) {
        int n = insns.size();
        Label[] t = null;
        for (int j = 0; j < n; j++) {
            Insn in = insns.get(j);
            if ((in.op != io.flatland.jit.Op.JCC && in.op != io.flatland.jit.Op.JMP_REL) || !in.o32 || !in.code32 || in.lock) continue;
            int target = next[j] + in.imm;
            if (in.op == io.flatland.jit.Op.JMP_REL && j < n - 1 && eips[j + 1] == target) continue;   // followed
            for (int k = 0; k < n; k++) {
                if (eips[k] == target) {
                    if (t == null) t = new Label[n];
                    if (t[k] == null) t[k] = new Label();
                }
            }
        }
        return t;
    }

    private static void pushConst(MethodVisitor mv, int v) {
        if (v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else mv.visitIntInsn(SIPUSH, v);
    }

    /** Loads the decoded instruction {@code k} of the block: a constant resolved once from the class data. */
    static void loadInsn(MethodVisitor mv, int k) {
        mv.visitFieldInsn(GETSTATIC, NAME, "D", "[L" + INSN + ";");
        pushConst(mv, k);
        mv.visitInsn(AALOAD);
    }
}
