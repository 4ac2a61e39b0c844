package io.flatland.jit;

import io.flatland.cpu.OpInfo;
import io.flatland.cpu.Cpu;
import io.flatland.cpu.Insn;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

import static org.objectweb.asm.Opcodes.*;

/**
 * Turns the instructions of one guest region into a hidden class extending {@link Block}.
 * Each instruction is emitted by {@link Emitters} (JVM arithmetic on locals with the
 * interpreter's operand calls) or, failing that, as a call of its own handler
 * ({@code Exec.Handler}) with the decoded {@link Insn} loaded as a class-data constant.
 *
 * <p>One exception handler covers the region: every instruction that can fault first stores
 * its index in a local, and the handler passes it with the locals to {@link Block#faulted},
 * which writes back what was dirty when that instruction began, sets EIP to it and returns
 * {@code -(k + 1)}: faults cost nothing on the fast path and the dispatcher knows exactly how
 * many instructions retired.
 */
final class Translator {
    static final String CPU = "io/flatland/cpu/Cpu";
    static final String INSN = "io/flatland/cpu/Insn";
    static final String BLOCK = "io/flatland/jit/Block";
    static final String FAULT = "io/flatland/mmu/GuestFault";
    private static final String NAME = "io/flatland/jit/Translated";


    private final MethodHandles.Lookup lookup = MethodHandles.lookup();
    /** Hand-written emitters can be switched off to test the Exec fallback alone. */
    final boolean useEmitters;
    /** Written by whichever thread builds; read for statistics. */
    public volatile long translated, failures;
    /** Host nanoseconds spent decoding regions (CPU thread) and generating and defining their classes (either thread). */
    public volatile long scanNanos, buildNanos;
    public volatile String lastFailure;

    Translator(boolean useEmitters) {
        this.useEmitters = useEmitters;
    }

    /**
     * Translates the region at CS:{@code eip} (linear {@code lin}, physical {@code phys}), with
     * {@code roots} (EIPs in the same page, may be null) as further paths; null if there is none.
     */
    Block translate(Cpu cpu, int eip, int lin, int phys, int[] roots, int phys2) {
        BlockScanner.Scan scan = scan(cpu, eip, lin, roots, phys2);
        return scan.size() == 0 ? null : build(scan, eip, phys);
    }

    /** The decoding half of {@link #translate}: reads guest memory, so it runs on the CPU's thread. */
    BlockScanner.Scan scan(Cpu cpu, int eip, int lin, int[] roots, int phys2) {
        long t0 = System.nanoTime();
        BlockScanner.Scan s = BlockScanner.scan(cpu, eip, lin, useEmitters && REGIONS, roots, phys2 >= 0);
        if (spans(s.insns, s.eips, eip, lin)) s.phys2 = phys2;
        scanNanos += System.nanoTime() - t0;
        if (cpu.asmLog != null && s.size() > 0) cpu.asmLog.regionScanned(cpu, s.eips, s.insns, s.size());
        return s;
    }

    /**
     * The code-generating half of {@link #translate} for a non-empty scan: touches no machine
     * state, so it may run on the background translator (one thread at a time per Translator).
     */
    Block build(BlockScanner.Scan scan, int eip, int phys) {
        long t0 = System.nanoTime();
        try {
            return buildFitting(scan, eip, phys);
        } finally {
            buildNanos += System.nanoTime() - t0;
        }
    }

    private Block buildFitting(BlockScanner.Scan scan, int eip, int phys) {
        List<Insn> insns = scan.insns;
        boolean[] pathEnd = scan.pathEnd;
        for (;;) {
            Block b = translate(insns, scan.eips, pathEnd, eip, phys, scan.flatSegs);
            if (b != null) b.phys2 = spans(insns, scan.eips, eip, phys) ? scan.phys2 : -1;
            // HotSpot does not compile huge methods: a region that came out too big is cut to the
            // share of its instructions that should fit (by its bytes per instruction), less a margin.
            if (b != null || lastTooBig == 0 || insns.size() == 1) return b;
            int fit = (int) ((long) insns.size() * MAX_CODE_BYTES * 9 / (10L * lastTooBig));
            insns = insns.subList(0, Math.max(1, Math.min(fit, insns.size() - 1)));
            pathEnd = java.util.Arrays.copyOf(pathEnd, insns.size());
            pathEnd[insns.size() - 1] = true;
        }
    }

    /**
     * Whether an instruction of {@code insns} (at {@code eips}) lies on the page after the
     * entry's, CS:{@code eip} at {@code addr} (its linear or physical address: the page offset is what counts).
     */
    private static boolean spans(List<Insn> insns, int[] eips, int eip, int addr) {
        int pageEip = eip - (addr & 0xFFF);
        for (int k = 0; k < insns.size(); k++) {
            if (eips[k] - pageEip + insns.get(k).len > 0x1000) return true;
        }
        return false;
    }

    /** Bounds for every region's run method: the emitters never need more operand stack; locals end at Emit.CARRY. */
    static final int MAX_STACK = 24, MAX_LOCALS = 32;

    /** Debug switch: one basic block per translation. */
    static final boolean REGIONS = JitSettings.PROPERTIES.regions();
    /**
     * Regions whose {@code run} has more bytecode than this are retranslated shorter: HotSpot
     * does not compile methods over 8000 bytes (HugeMethodLimit), and such a region would stay
     * interpreted by the JVM.
     */
    static final int MAX_CODE_BYTES = 7900;
    private int lastTooBig;

    private Block translate(List<Insn> insns, int[] at, boolean[] pathEnd, int eip, int phys, int flatSegs) {
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
            // Once: at internal targets every register counts as dirty (exits then write back all
            // eight, a few stores), which costs less than generating the class a second time.
            bytes = generate(insns, eips, next, pathEnd, flatSegs);
            int code = runCodeLength(bytes);
            if (DEBUG) {
                System.err.printf("region %x: %d insns, %d bytes of code, class %d%n", eip, n, code, bytes.length);
                java.nio.file.Files.write(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "region-" + Integer.toHexString(eip) + "-" + n + ".class"), bytes);
            }
            if (code > MAX_CODE_BYTES && insns.size() > 1) {
                lastTooBig = code;
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
        b.lastEip = lastEip;
        b.flatSegs = lastAssumedFlat;   // every instruction (and so every internal branch target) lies within the CS limit
        b.length = n;
        b.eips = eips;
        b.faultRegs = lastFaultRegs;
        b.faultFlags = lastFaultFlags;
        b.exitTable = lastExitTable;
        b.referenceOps = lastReferenceOps;
        translated++;
        return b;
    }

    /** Debug switch: print each region's size and write its class file to java.io.tmpdir (for javap). */
    static final boolean DEBUG = JitSettings.PROPERTIES.debugRegions();

    /** The bytecode length of the generated class's {@code run} method (its Code attribute's code_length). */
    static int runCodeLength(byte[] classFile) {
        org.objectweb.asm.ClassReader r = new org.objectweb.asm.ClassReader(classFile);
        char[] buf = new char[r.getMaxStringLength()];
        int p = r.header + 6;                                  // access, this, super
        p += 2 + 2 * r.readUnsignedShort(p);                   // interfaces
        for (int pass = 0; pass < 2; pass++) {                 // fields, then methods
            int count = r.readUnsignedShort(p);
            p += 2;
            for (int i = 0; i < count; i++) {
                boolean run = pass == 1 && "run".equals(r.readUTF8(p + 2, buf));
                int attrs = r.readUnsignedShort(p + 6);
                p += 8;
                for (int a = 0; a < attrs; a++) {
                    int len = r.readInt(p + 2);
                    if (run && "Code".equals(r.readUTF8(p, buf))) return r.readInt(p + 10);
                    p += 6 + len;
                }
            }
        }
        throw new IllegalStateException("no run method");
    }

    /** Of the last {@link #generate}: what the fault handler writes back per instruction (see Block.faulted). */
    private byte[] lastFaultRegs;
    private int[] lastFaultFlags, lastExitTable, lastReferenceOps;
    private int lastAssumedFlat;

    private byte[] generate(List<Insn> insns, int[] eips, int[] next, boolean[] pathEnd, int flatSegs) {
        // Class file version 49 (Java 5) needs no stack map frames: the JVM's verifier infers the
        // types itself, which costs less than ASM computing frames (and ASM's frame code, hot on
        // the translator thread, was the largest single job of HotSpot's C2 compiler). Maximum
        // stack and locals are fixed bounds (MAX_STACK, MAX_LOCALS): no flow analysis either.
        ClassWriter cw = new ClassWriter(0);
        cw.visit(V1_5, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, BLOCK, null);
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
        clinit.visitMaxs(3, 0);
        clinit.visitEnd();
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, BLOCK, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        MethodVisitor fresh = cw.visitMethod(ACC_PUBLIC, "fresh", "()L" + BLOCK + ";", null, null);
        fresh.visitCode();
        fresh.visitTypeInsn(NEW, NAME);
        fresh.visitInsn(DUP);
        fresh.visitMethodInsn(INVOKESPECIAL, NAME, "<init>", "()V", false);
        fresh.visitInsn(ARETURN);
        fresh.visitMaxs(2, 1);
        fresh.visitEnd();

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "(L" + CPU + ";I)I", null, null);
        mv.visitCode();
        int n = insns.size();
        Emit e = new Emit(mv, insns, eips, next, pathEnd, useEmitters);
        e.flatAtScan = flatSegs;
        if (JitEngine.PROFILE) {
            e.referenced = new java.util.ArrayList<>();
            e.insnOps = insns.stream().mapToInt(in -> in.op).toArray();
        }
        if (useEmitters) e.targets = internalTargets(insns, eips, next, pathEnd);
        if (useEmitters) {
            FlagLiveness.Records flags = FlagLiveness.analyse(insns, pathEnd);
            e.flagsDead = flags.dead();
            e.carryOnly = flags.carryOnly();
        }
        // One handler for the whole region: local K says which instruction faulted; what it must
        // write back is what was dirty when that instruction began.
        Label tryStart = new Label(), tryEnd = new Label(), handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, FAULT);
        e.prologue();
        mv.visitLabel(tryStart);
        Emit.Dirty[] atStart = new Emit.Dirty[n];
        for (int k = 0; k < n; k++) {
            Insn in = insns.get(k);
            boolean pathEnds = pathEnd[k];
            if (e.targets != null && e.targets[k] != null) {
                if (k == 0 || !pathEnd[k - 1]) e.atTarget();   // the fall-through arrives in the same state as the branches
                else e.startPath();
                mv.visitLabel(e.targets[k]);
            }
            atStart[k] = e.dirtySet();
            if (OpInfo.mayFault(in)) e.faultPoint(k);
            boolean eipSet = e.instruction(k, in, pathEnds);
            if (!pathEnds && OpInfo.mayStore(in)) {
                // Self-modifying code: a store into this block's page killed it; leave before the stale next instruction.
                e.exitIfDead(k, eips[k + 1]);   // not next[k] after a followed call
            }
            if (pathEnds) {
                int kn = eipSet || OpInfo.endsBlock(in.op) ? -1 : e.internalIndex(next[k]);
                if (kn >= 0) {
                    // The path ran into code the region holds (or a later path starts there): a branch, not an exit.
                    e.prepareBranch();
                    e.internalJump(k, kn);
                } else {
                    if (eipSet) e.exitEipSet(k + 1);
                    else e.exit(next[k], k + 1);
                }
            }
        }
        mv.visitLabel(tryEnd);
        e.sharedExits();
        // The handler: instruction K changed nothing before it faulted. Block.faulted writes back what
        // was dirty when it began (tables per instruction, filled below) and returns -(K + 1) - DONE.
        mv.visitLabel(handler);
        mv.visitInsn(POP);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, 1);
        e.load(Emit.K);
        e.pushLocals();
        e.load(Emit.DONE);
        mv.visitMethodInsn(INVOKEVIRTUAL, BLOCK, "faulted", "(L" + CPU + ";IIIIIIIIIIIIII)I", false);
        mv.visitInsn(IRETURN);
        lastFaultRegs = new byte[n];
        lastFaultFlags = new int[n];
        for (int k = 0; k < n; k++) {
            lastFaultRegs[k] = (byte) Emit.regMask(atStart[k]);
            lastFaultFlags[k] = Emit.flagEntry(atStart[k]);
        }
        lastExitTable = e.exitTable();
        lastAssumedFlat = e.assumedFlat;
        lastReferenceOps = e.referenced == null ? null : e.referenced.stream().mapToInt(Integer::intValue).toArray();
        mv.visitMaxs(MAX_STACK, MAX_LOCALS);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * Labels for the instructions a branch of the region may reach: targets of hand-written
     * near jumps, calls and conditional branches (both sides of one that ends a path), the
     * fall-through of a path that ran into held code, the start of every path after the first,
     * and the entry if an indirect transfer could come back to it. Null if there are none.
     */
    private static Label[] internalTargets(List<Insn> insns, int[] eips, int[] next, boolean[] pathEnd) {
        int n = insns.size();
        Label[] t = new Label[n];
        java.util.Set<Integer> wanted = new java.util.HashSet<>();
        for (int j = 0; j < n; j++) {
            Insn in = insns.get(j);
            if (j > 0 && pathEnd[j - 1]) t[j] = new Label();
            boolean near = in.o32 && in.code32 && !in.lock;
            switch (in.op) {
                case io.flatland.cpu.Op.JCC -> {
                    if (near) wanted.add(next[j] + in.imm);
                    if (pathEnd[j]) wanted.add(next[j]);
                }
                case io.flatland.cpu.Op.JMP_REL, io.flatland.cpu.Op.CALL_REL -> {
                    if (near && pathEnd[j]) wanted.add(next[j] + in.imm);   // else followed
                }
                case io.flatland.cpu.Op.RET, io.flatland.cpu.Op.JMP_E, io.flatland.cpu.Op.CALL_E -> {
                    if (near) t[0] = new Label();
                }
                default -> {
                    if (pathEnd[j] && !OpInfo.endsBlock(in.op)) wanted.add(next[j]);
                }
            }
        }
        boolean any = false;
        for (int k = 0; k < n; k++) {
            if (t[k] == null && wanted.contains(eips[k])) t[k] = new Label();
            any |= t[k] != null;
        }
        return any ? t : null;
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
