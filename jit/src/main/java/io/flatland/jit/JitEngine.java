package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.DecodeCache;
import io.flatland.cpu.ExitReason;
import io.flatland.cpu.Interpreter;
import io.flatland.cpu.RecentEips;
import io.flatland.cpu.UnimplementedFeature;
import io.flatland.cpu.Insn;
import io.flatland.cpu.SingleStep;
import io.flatland.cpu.Translation;
import io.flatland.mmu.GuestFault;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Tlb;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The run loop of {@code -accel jit}: same contract and exit reasons as
 * {@link Interpreter#run}, and the same instruction count at every point where the machine
 * can observe it.
 *
 * <p>A translated region runs only when the interpreter's per-instruction checks would all
 * be no-ops for its whole length: no device event due before it ends, no exit requested,
 * no deliverable interrupt, not halted, no single-step trap, and it fits the budget. (No
 * region contains an instruction that could change any of that mid-way: see
 * {@link io.flatland.cpu.OpInfo}.) Otherwise, and for cold code, the interpreter runs
 * ({@link Interpreter#runUntilEntry}), servicing events and delivering interrupts exactly as
 * on its own, until it is in front of a translated or newly hot block entry.
 */
public final class JitEngine {
    /** Test hook: called after every translated block (state is at a block boundary). */
    public interface Observer {
        void afterBlock(Cpu cpu, Block block, int retired);
    }

    /**
     * Instructions one call of a region may retire: keeps its counters in int range, and makes
     * a long-running loop come back to this loop (exit requests, asynchronous interrupts) about
     * every millisecond.
     */
    private static final long MAX_ROOM = 1 << 20;

    private final Cpu cpu;
    private final Interpreter interp;
    private final CodeCache cache;
    private final Translator translator;
    private final Tlb tlb;
    private final MmioBus mmio;
    private final int growRuns;
    /** Least instructions the interpreter runs from a block entry before its region is translated ({@link Interpreter#runUntilEntry}). */
    private final int hot;
    /** Host ns a translated instruction saves over the interpreter; 0: {@link #hot} alone decides ({@link #threshold}). */
    private final int gainNs;
    public Observer observer;
    public long blocksRun, interpreted, faultsInBlocks, regionsGrown;
    /** Regions dropped because a segment they assumed flat no longer was ({@link #runnable}). */
    public long flatGuardFailures;
    /** Regions this engine took from {@link #shared} instead of translating them. */
    public long sharedAdopted;

    /**
     * Translations shared with the other machines of this JVM (null: none; the engines tests
     * build keep to their own unless a test gives them one). Every translation is published
     * there. On a later machine ({@link #reporting}) the interpreter stops at a block entry every
     * {@link #REPORT} instructions run from it: the entry's heat is banked ({@link Insn#banked})
     * and a translation another machine made of the same code is taken at once ({@link #adopt}).
     */
    private final SharedRegions shared;
    /** This is not the first machine on {@link #shared}: it stops to report, takes and offers translations. */
    private final boolean reporting;
    /**
     * Heat between two stops at a block entry while translations are shared; at its first stop
     * an entry that is not hot enough to translate for this machine is also offered to the
     * JVM's later machines: its region is decoded now (the code is there now) and translated
     * when this machine closes ({@link #close}), off the path of its own run. (On the kernel
     * model's boot, 1024 makes 39 regions cover about 80% of the instructions; 4096, 8.)
     */
    static final int REPORT = 1024;
    /** Regions offered at most per machine (each keeps its decoded instructions until the machine closes). */
    static final int MAX_OFFERS = 64;
    /**
     * Heat an offered entry must have reached by the time its machine closes to be translated
     * then. Translating every entry offered (about 60 on the kernel model's boot) gave the best
     * boots once they were all compiled (4.6 ms from the 31st boot of a JVM) but made boots 2 to
     * 8 two to three times slower than without sharing, the translations and their compilation
     * competing with those boots on two cores; the warmest few keep most of the gain (5.0 ms),
     * slow only boots 2 to 4 and take as long as unshared boots over the first 20 (JMH's
     * default 5 warm-ups and 10 boots: 8.4 ms, unshared 11.9).
     */
    static final int OFFER_HEAT = 8 * REPORT;

    private record Offer(Insn at, BlockScanner.Scan scan, int eip, int phys, SharedRegions.Source source) { }

    private final java.util.ArrayList<Offer> offers = new java.util.ArrayList<>();

    /** Default region runs whose exits are profiled before the region may grow ({@link ExitProfile}). */
    static final int GROW_RUNS = JitSettings.PROPERTIES.growRuns();

    public JitEngine(Cpu cpu) {
        this(cpu, true, JitSettings.PROPERTIES.hot(), JitSettings.PROPERTIES.gainNs(), JitSettings.PROPERTIES.growRuns(),
                JitSettings.PROPERTIES.background() ? TRANSLATOR_THREAD : null,
                JitSettings.PROPERTIES.shared() ? SharedRegions.JVM : null);
    }


    /**
     * Translates on the background translator thread: the CPU's thread decodes the region
     * (it reads guest memory) and keeps interpreting; the class is generated and defined
     * meanwhile and installed at a later dispatch, unless its page was written in between.
     * On by default for machines (a cold JVM spends about as long generating classes as
     * running a short boot); the engines tests build translate in line, so runs repeat exactly.
     */
    private final Executor background;
    /** Translations built in the background, waiting to be installed by the CPU's thread. */
    private final ConcurrentLinkedQueue<Landed> landed = new ConcurrentLinkedQueue<>();

    private record Landed(Block block, Insn at, int eip, int phys, long version, int phys2, long version2, int[] roots,
                          ExitProfile profile) { }

    /** One daemon thread for every engine of the process; it ends when idle. */
    private static final ThreadPoolExecutor TRANSLATOR_THREAD = new ThreadPoolExecutor(1, 1, 2, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "flatland-jit-translator");
                t.setDaemon(true);
                return t;
            });

    static {
        TRANSLATOR_THREAD.allowCoreThreadTimeOut(true);
    }

    /**
     * {@code handWritten = false} translates every instruction as a call of the reference
     * semantics; {@code hot} is how often the interpreter runs an address before it is translated;
     * {@code growRuns} how many runs of a region are profiled before it may grow (0: never);
     * {@code background} builds translations (see {@link #background}), null translates in line
     * (tests pass an executor that decides when translations land).
     */
    public JitEngine(Cpu cpu, boolean handWritten, int hot, int growRuns, Executor background) {
        this(cpu, handWritten, hot, 0, growRuns, background);
    }

    /** As above; {@code gainNs} &gt; 0 raises {@code hot} while translating costs more than that pays back ({@link #threshold}). */
    public JitEngine(Cpu cpu, boolean handWritten, int hot, int gainNs, int growRuns, Executor background) {
        this(cpu, handWritten, hot, gainNs, growRuns, background, null);
    }

    /** As above, taking and giving translations through {@code shared} (null: none). */
    public JitEngine(Cpu cpu, boolean handWritten, int hot, int gainNs, int growRuns, Executor background, SharedRegions shared) {
        this.cpu = cpu;
        this.shared = shared;
        this.reporting = shared != null && shared.started();
        this.background = background;
        this.growRuns = handWritten && Translator.REGIONS ? growRuns : 0;
        this.tlb = cpu.mmu.tlb;
        this.mmio = cpu.ram.mmio();
        this.interp = new Interpreter(cpu);
        this.hot = hot;
        this.gainNs = gainNs;
        this.cache = new CodeCache(cpu.ram.pages());
        this.translator = new Translator(handWritten);
        // One code watch listener per machine: both the decoded-instruction cache and ours must hear it.
        DecodeCache decoded = interp.decodeCache();
        CodeCache blocks = cache;
        cpu.mmu.codeWatch.setListener(page -> {
            decoded.codeWritten(page);
            blocks.codeWritten(page);
        });
    }

    public Interpreter interpreter() { return interp; }

    public long translatedBlocks() { return translator.translated; }

    /** Blocks the translator failed on (a bug: they run interpreted); {@link #lastTranslationFailure} says why. */
    public long translationFailures() { return translator.failures; }

    public String lastTranslationFailure() { return translator.lastFailure; }

    /** Host nanoseconds spent translating: decoding regions and generating and defining their classes. */
    public long translationNanos() { return translator.scanNanos + translator.buildNanos; }

    /** Runs at most {@code maxInstructions} instructions (a REP chunk counts as one). */
    public ExitReason run(Cpu cpu, long maxInstructions) {
        if (cpu != this.cpu) throw new IllegalArgumentException("engine belongs to another CPU");
        // A debugger's breakpoints, watchpoints or step: the interpreter checks them at every
        // instruction; translated code would run past them. (Set only between calls.)
        if (cpu.debug != null) return interp.run(cpu, maxInstructions);
        long start = cpu.icount;
        long end = maxInstructions > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + maxInstructions;
        Block prev = null;
        for (;;) {
            long now = cpu.icount;
            // The instruction the interpreter stopped in front of is only good right now: the next
            // interpreter run may change the address space under the same EIP.
            Insn at = stopped;
            stopped = null;
            if (now >= end) return ExitReason.BUDGET;
            if (PROFILE) why = 3;
            boolean interpretHere = mmioTrapped;
            mmioTrapped = false;
            if (!interpretHere && now < cpu.nextEventAt && cpu.exitRequest == ExitReason.NONE && !cpu.halted
                    && !SingleStep.armed(cpu) && cpu.code32
                    && ((cpu.eflags & Cpu.IF) == 0 || !cpu.platform.interruptPending())) {
                Block b = find(prev, at);
                long room = Math.min(end, cpu.nextEventAt) - now;
                if (PROFILE) why = b == null ? 1 : b.length > room ? 2 : 0;
                if (b != null && b.length <= room) {
                    cpu.interruptShadow = false;
                    int r;
                    cpu.recent.record(b.eip, now, RecentEips.REGION);
                    mmio.trap = true;
                    try {
                        r = b.run(cpu, (int) Math.min(room, MAX_ROOM));
                    } catch (UnimplementedFeature e) {
                        cpu.icount = now + retiredBefore(b, cpu.eip);
                        cpu.exitMessage = e.getMessage();
                        return ExitReason.UNIMPLEMENTED;
                    } catch (RuntimeException | Error e) {
                        // A bug (StackOverflowError and OutOfMemoryError included): the crash
                        // report shows the region and the state it left.
                        cpu.icount = now + retiredBefore(b, cpu.eip);
                        cpu.internalError = e;
                        cpu.exitMessage = "in the translated region at 0x" + Integer.toHexString(b.eip);
                        return ExitReason.INTERNAL_ERROR;
                    } finally {
                        mmio.trap = false;
                    }
                    blocksRun++;
                    if (PROFILE) profile(b, r, cpu.eip);
                    if (r >= 0) {
                        cpu.icount = now + r;
                        prev = b;
                        ExitProfile p = b.profile;
                        if (p != null && p.exit(cpu.eip, r)) b.growDue = true;
                        if (observer != null) observer.afterBlock(cpu, b, r);
                    } else {
                        // Instruction -r-1 faulted with nothing changed; EIP is at it. Deliver as the interpreter does.
                        cpu.icount = now + (-r - 1);
                        prev = null;
                        if (observer != null) observer.afterBlock(cpu, b, r);
                        if (cpu.fault.vector == GuestFault.MMIO_TRAP) {
                            // Device memory: the interpreter runs this instruction, exactly in time.
                            mmioTrapped = true;
                            continue;
                        }
                        faultsInBlocks++;
                        if (!interp.deliver(cpu.fault)) return ExitReason.TRIPLE_FAULT;
                    }
                    continue;
                }
            }
            prev = null;
            interpreted++;
            if (PROFILE) {
                INTERPRETED_AT.computeIfAbsent(cpu.eip & 0xFFFFFFFFL | (long) why << 32, k -> new long[1])[0]++;
            }
            // Cold code, or an event due inside the block: the interpreter runs (exact events and
            // interrupts included) until it is in front of a translated or newly hot block entry.
            // It counts from the first instruction on: an interpreter loop that ran without
            // counting and then began to (the old "count after 1 M instructions") was compiled
            // by C2 without the counting path, deoptimized when counting began and ran in C1's
            // profiling tier until C2 compiled it again: about 50 ms of a 300 ms run.
            int t = threshold();
            ExitReason why = interp.runUntilEntry(cpu, end - cpu.icount, reporting ? Math.min(t, REPORT) : t);
            if (why != ExitReason.BUDGET) return why;
            stopped = interp.stoppedAt();
        }
    }

    /**
     * What a translation costs before this process has measured one: the first translations run
     * the translator's own code in the JVM's bytecode interpreter (10-30 ms each, measured with
     * --stats' jit_translation_ns on the kernel model), later ones take about 1 ms.
     */
    static final long FIRST_TRANSLATION_NS = 30_000_000;

    /**
     * The heat (instructions run from a block entry) at which the entry is translated: at least
     * {@link #hot}, and, with a gain per instruction, as many instructions as it takes that gain
     * to pay for a translation at this process's average cost so far. Heat is also the best
     * guess of what is still to come (code that has run long is likely to run as long again), so
     * a translation is made only where it is likely to return its cost: while the translator is
     * cold, an entry must be three times as hot. A translation made anyway costs the guest twice
     * on two cores: the translator and then HotSpot's compilers take the core it would run on.
     */
    private int threshold() {
        return threshold(hot, gainNs, translator.translated + translator.failures, translationNanos());
    }

    /** {@link #threshold()} after {@code made} translations that cost {@code costNs} in all. */
    static int threshold(int hot, int gainNs, long made, long costNs) {
        if (gainNs <= 0) return hot;
        long cost = made == 0 ? FIRST_TRANSLATION_NS : costNs / made;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(hot, cost / gainNs));
    }

    /** The last region stopped at a device-memory access ({@link MmioBus#trap}): the interpreter runs next. */
    private boolean mmioTrapped;

    /** Where the interpreter last stopped (a block entry with a translation, or hot), or null. */
    private Insn stopped;

    /** Debug switch: count runs, retired instructions and exits per region; printed when the JVM exits. */
    static final boolean PROFILE = JitSettings.PROPERTIES.profile();
    private static final java.util.Map<Block, long[]> PROFILED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<Long, long[]> EXITS = new java.util.concurrent.ConcurrentHashMap<>();
    /** Under PROFILE: why the dispatcher last called the interpreter (1 no region, 2 no room, 3 an event or state). */
    private int why;
    /** Under PROFILE: where the dispatcher called the interpreter, and why, and how often. */
    private static final java.util.Map<Long, long[]> INTERPRETED_AT = new java.util.concurrent.ConcurrentHashMap<>();
    static {
        if (PROFILE) Runtime.getRuntime().addShutdownHook(new Thread(JitEngine::printProfile));
    }

    private static void profile(Block b, int r, int exitEip) {
        long[] c = PROFILED.computeIfAbsent(b, k -> new long[2]);
        c[0]++;
        c[1] += Math.max(0, r);
        EXITS.computeIfAbsent((long) b.eip << 32 | (exitEip & 0xFFFFFFFFL), k -> new long[1])[0]++;
    }

    private static void printProfile() {
        long total = PROFILED.values().stream().mapToLong(c -> c[1]).sum();
        System.err.printf("jit profile: %d regions, %d instructions in regions%n", PROFILED.size(), total);
        PROFILED.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).limit(40)
                .forEach(en -> System.err.printf("  region %08x len %4d runs %9d insns %11d (%.1f/run)%n", en.getKey().eip,
                        en.getKey().length, en.getValue()[0], en.getValue()[1], en.getValue()[1] / (double) en.getValue()[0]));
        // Instructions left to the reference semantics, weighted by the runs of their regions (an estimate:
        // an instruction off the path a run takes is counted too).
        java.util.Map<String, Long> refs = new java.util.TreeMap<>();
        PROFILED.forEach((b, c) -> {
            if (b.referenceOps != null) for (int op : b.referenceOps) refs.merge(io.flatland.cpu.OpInfo.name(op), c[0], Long::sum);
        });
        System.err.println("reference calls (operation: region runs):");
        refs.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(15)
                .forEach(en -> System.err.printf("  %-12s %,12d%n", en.getKey(), en.getValue()));
        System.err.println("interpreter runs (eip: times the dispatcher called it there):");
        INTERPRETED_AT.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(15)
                .forEach(en -> System.err.printf("  %08x %s %,12d%n", en.getKey() & 0xFFFFFFFFL,
                        new String[] {"?", "no region", "no room", "event/state"}[(int) (en.getKey() >>> 32)], en.getValue()[0]));
        System.err.println("top exits (region -> eip):");
        EXITS.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(30)
                .forEach(en -> System.err.printf("  %08x -> %08x %9d%n", en.getKey() >>> 32, en.getKey() & 0xFFFFFFFFL, en.getValue()[0]));
    }

    /**
     * The block at CS:EIP if it is translated, else null. After a region, its successors are
     * looked up (chained, then by physical address); after the interpreter, the instruction
     * it stopped in front of tells: its translation, or that it is hot and wants one.
     */
    private Block find(Block prev, Insn at) {
        if (!landed.isEmpty()) install();
        Cpu c = cpu;
        int eip = c.eip;
        if (at != null) {
            Translation t = at.entry;
            if (t == null) return reporting ? reported(at, eip) : translateHot(at, eip);
            Block b = (Block) t;
            if (b.dead) {
                at.entry = null;   // killed with the whole cache (size bound): translated again once hot again
                cool(at);
                return null;
            }
            if (b.eip != eip) return null;   // the same code reached at another linear address runs interpreted there
            return b.growDue ? grow(b, c.segBase[Cpu.CS] + eip, b.phys) : runnable(b);
        }
        int lin = c.segBase[Cpu.CS] + eip;
        int slot = c.fetchSlot(lin);
        if (slot < 0) return null;                  // the interpreter's fetch fills the TLB (or faults)
        int phys = tlb.phys[slot] | (lin & 0xFFF);
        Block b;
        if (prev != null) {
            b = prev.succ0;
            if (b != null && b.phys == phys && b.eip == eip && !b.dead && !b.growDue) return runnable(b);
            b = prev.succ1;
            if (b != null && b.phys == phys && b.eip == eip && !b.dead && !b.growDue) return runnable(b);
        }
        b = cache.get(phys);
        if (b == null || b.eip != eip || b.dead) return null;
        if (b.growDue) b = grow(b, lin, phys);
        if (prev != null) {
            prev.succ1 = prev.succ0;
            prev.succ0 = b;
        }
        return runnable(b);
    }

    /**
     * The block entry {@code at} (at CS:{@code eip}) became hot: translate its region, in line
     * (returned) or in the background (null; the interpreter goes on meanwhile). Its heat is
     * set so that it does not become hot again while the request is out, or after it failed.
     */
    private Block translateHot(Insn at, int eip) {
        Cpu c = cpu;
        at.heat = Integer.MIN_VALUE;
        int lin = c.segBase[Cpu.CS] + eip;
        int slot = c.fetchSlot(lin);
        if (slot < 0) return null;
        int phys = tlb.phys[slot] | (lin & 0xFFF);
        if (!cache.translatable(phys)) return null;
        BlockScanner.Scan scan = translator.scan(c, eip, lin, null, secondPage(lin));
        if (scan.size() == 0) {
            // Nothing to translate yet (the code runs into a page not in the TLB so far, or starts
            // with an instruction only the interpreter runs): try again once it is hot again.
            cool(at);
            return null;
        }
        SharedRegions.Source source = shared != null ? SharedRegions.capture(c, scan, eip, lin) : null;
        if (background != null) {
            request(at, eip, phys, scan, source);
            return null;
        }
        Block b = translator.build(scan, eip, phys);
        if (b == null) return null;
        if (source != null) shared.publish(source, b);
        c.mmu.watchCode(phys & 0xFFFFF000);
        if (b.phys2 >= 0) c.mmu.watchCode(b.phys2);
        if (growRuns > 0) b.profile = new ExitProfile(growRuns, 0, c.segBase[Cpu.CS], lin & 0xFFFFF000);
        cache.put(b);
        attach(at, b);
        return runnable(b);
    }

    /**
     * The profile of region {@code b} (about to run at its entry, so the CPU is in the state it
     * was translated in) has seen enough: translate it again with its frequent exits of the same
     * page as further roots, or stop watching it if there are none.
     */
    private Block grow(Block b, int lin, int phys) {
        ExitProfile p = b.profile;
        b.growDue = false;
        b.profile = null;
        int[] fresh = p.roots(b::holds);
        if (fresh.length == 0) return b;
        int[] roots = java.util.stream.IntStream.concat(
                java.util.Arrays.stream(b.roots == null ? new int[0] : b.roots), java.util.Arrays.stream(fresh)).distinct().toArray();
        ExitProfile next = p.generation + 1 < ExitProfile.MAX_GENERATIONS
                ? new ExitProfile(growRuns, p.generation + 1, cpu.segBase[Cpu.CS], lin & 0xFFFFF000) : null;
        BlockScanner.Scan scan = translator.scan(cpu, b.eip, lin, roots, secondPage(lin));
        SharedRegions.Source source = shared != null && scan.size() > 0 ? SharedRegions.capture(cpu, scan, b.eip, lin) : null;
        if (background != null) {
            // The old region keeps running until the grown one lands.
            translateLater(scan, b.entryInsn, b.eip, phys, roots, next, source);
            return b;
        }
        Block g = scan.size() == 0 ? null : translator.build(scan, b.eip, phys);
        if (g == null) return b;
        if (source != null) shared.publish(source, g);
        if (g.phys2 >= 0) cpu.mmu.watchCode(g.phys2);
        g.roots = roots;
        g.profile = next;
        cache.put(g);   // the old region is dead from here on
        attach(b.entryInsn, g);
        regionsGrown++;
        return g;
    }

    /**
     * Physical base of the page after the one of {@code lin} if a region entered on {@code lin}'s
     * page may hold code there: it is in the TLB for fetches now and its code is worth
     * translating; else -1.
     */
    private int secondPage(int lin) {
        if (!Translator.REGIONS) return -1;
        int slot = cpu.fetchSlot((lin & 0xFFFFF000) + 0x1000);
        if (slot < 0) return -1;
        int p = tlb.phys[slot];
        return cache.translatable(p) ? p : -1;
    }

    /** Makes the interpreter stop in front of {@code at} for region {@code b}. */
    private static void attach(Insn at, Block b) {
        b.entryInsn = at;
        if (at != null) at.entry = b;
    }

    /** Background translation of the hot code at CS:{@code eip} (decoded instruction {@code at}). */
    private void request(Insn at, int eip, int phys, BlockScanner.Scan scan, SharedRegions.Source source) {
        int lin = cpu.segBase[Cpu.CS] + eip;
        cpu.mmu.watchCode(phys & 0xFFFFF000);   // from now on a write to the page changes its version
        ExitProfile p = growRuns > 0 ? new ExitProfile(growRuns, 0, cpu.segBase[Cpu.CS], lin & 0xFFFFF000) : null;
        translateLater(scan, at, eip, phys, null, p, source);
    }

    /**
     * Builds {@code scan} on the background translator; the result lands in {@link #landed}.
     * With {@code source} (translations are shared) it is published as soon as it is built:
     * it is keyed by the code it was read from, so it is right for any machine whose code is
     * that, even if this one's changed meanwhile.
     */
    private void translateLater(BlockScanner.Scan scan, Insn at, int eip, int phys, int[] roots, ExitProfile profile,
                                SharedRegions.Source source) {
        if (scan.size() == 0) return;
        long version = cache.version(phys);
        int phys2 = scan.phys2;
        if (phys2 >= 0) cpu.mmu.watchCode(phys2);   // a write to the second page changes its version too
        long version2 = phys2 >= 0 ? cache.version(phys2) : 0;
        background.execute(() -> {
            Block b = translator.build(scan, eip, phys);
            if (source != null) shared.publish(source, b);
            landed.add(new Landed(b, at, eip, phys, version, phys2, version2, roots, profile));
            interp.requestReturn();
        });
    }

    /** Installs the translations that landed, unless their page changed since it was read. */
    private void install() {
        for (Landed l; (l = landed.poll()) != null; ) {
            if (cache.version(l.phys) != l.version || l.phys2 >= 0 && cache.version(l.phys2) != l.version2) continue;
            Block b = l.block;
            if (b == null) continue;   // failed: the entry stays cold (a failed growth keeps the old region)
            b.roots = l.roots;
            b.profile = l.profile;
            cache.put(b);
            attach(l.at, b);
            if (l.roots != null) regionsGrown++;
        }
    }

    /**
     * Instructions of {@code b} before the one at {@code eip} (the reference semantics set EIP
     * before they run), for the instruction count reported with an unexpected exit. Iterations of
     * loops completed earlier in the same run are not known here.
     */
    private static int retiredBefore(Block b, int eip) {
        for (int k = 0; k < b.length; k++) {
            if (b.eips[k] == eip) return k;
        }
        return 0;
    }

    /** Makes {@code at} cold again: it is translated (or offered) only once it has run as long again. */
    private static void cool(Insn at) {
        at.heat = 0;
        at.banked = 0;
    }

    /**
     * The interpreter stopped in front of {@code at} (CS:{@code eip}), which has no translation,
     * to report its heat (translations are shared): banks it, then takes a translation another
     * machine made of the same code, translates the code if it is now hot enough for this
     * machine, or offers it to later machines.
     */
    private Block reported(Insn at, int eip) {
        long total = (long) at.banked + at.heat;
        at.banked = (int) Math.min(Integer.MAX_VALUE, total);
        at.heat = 0;
        Block b = adopt(at, eip);
        if (b != null) return b;
        if (total >= threshold()) return translateHot(at, eip);
        if (!at.offered) offer(at, eip);
        return null;
    }

    /**
     * Installs this machine's instance of a region another machine translated from the code at
     * CS:{@code eip} as it is now (see {@link SharedRegions#find}), or returns null. Like a
     * translation of its own: on this machine's pages, watched, killed by a write to them.
     */
    private Block adopt(Insn at, int eip) {
        Cpu c = cpu;
        int lin = c.segBase[Cpu.CS] + eip;
        int slot = c.fetchSlot(lin);
        if (slot < 0) return null;
        int phys = tlb.phys[slot] | (lin & 0xFFF);
        if (!cache.translatable(phys)) return null;
        SharedRegions.Region r = shared.find(c, lin, eip);
        if (r == null) return null;
        Block t = r.template();
        int phys2 = -1;
        if (r.twoPages() && (phys2 = secondPage(lin)) < 0) return null;
        Block b = t.fresh();
        b.copyCode(t);
        b.eip = eip;
        b.phys = phys;
        b.phys2 = phys2;
        c.mmu.watchCode(phys & 0xFFFFF000);
        if (phys2 >= 0) c.mmu.watchCode(phys2);
        // A region that grew elsewhere stays as it is; one that did not may grow here.
        if (growRuns > 0 && b.roots == null) b.profile = new ExitProfile(growRuns, 0, c.segBase[Cpu.CS], lin & 0xFFFFF000);
        at.heat = Integer.MIN_VALUE;
        cache.put(b);
        attach(at, b);
        sharedAdopted++;
        return runnable(b);
    }

    /** Decodes the region at {@code at} now, to be translated for later machines when this one closes. */
    private void offer(Insn at, int eip) {
        at.offered = true;
        if (offers.size() >= MAX_OFFERS) return;
        Cpu c = cpu;
        int lin = c.segBase[Cpu.CS] + eip;
        int slot = c.fetchSlot(lin);
        if (slot < 0) return;
        int phys = tlb.phys[slot] | (lin & 0xFFF);
        if (!cache.translatable(phys)) return;
        BlockScanner.Scan scan = translator.scan(c, eip, lin, null, secondPage(lin));
        if (scan.size() == 0) return;
        SharedRegions.Source source = SharedRegions.capture(c, scan, eip, lin);
        if (source != null) offers.add(new Offer(at, scan, eip, phys, source));
    }

    /**
     * The machine is done: translates the regions it offered that it did not translate itself
     * and that have run at least {@link #OFFER_HEAT} instructions (hottest first) for the JVM's
     * later machines, on the background translator (in line without one). A JVM that ends now
     * loses nothing but the queue.
     */
    public void close() {
        if (!reporting) return;
        offers.sort((x, y) -> Long.compare(heat(y.at()), heat(x.at())));
        for (Offer o : offers) {
            if (o.at().entry != null || o.at().heat == Integer.MIN_VALUE) continue;   // translated here (and published)
            if (heat(o.at()) < OFFER_HEAT) continue;
            Runnable job = () -> shared.publish(o.source(), translator.build(o.scan(), o.eip(), o.phys()));
            if (background != null) background.execute(job);
            else job.run();
        }
        offers.clear();
    }

    private static long heat(Insn at) {
        return (long) at.banked + Math.max(0, at.heat);
    }

    /**
     * {@code b} if it may run now: its instructions lie within the CS limit and the segments its
     * code assumes flat still are. A region whose assumption failed is dropped (its entry cools
     * down and is translated again, for the segments as they are then, once hot again).
     */
    private Block runnable(Block b) {
        Cpu c = cpu;
        if (Integer.compareUnsigned(b.lastEip, c.segLimit[Cpu.CS]) > 0) return null;
        if (b.phys2 >= 0) {
            // Code on the next page: it must still be the physical page the region was read from,
            // and in the TLB (the interpreter's fetch brings it back if not).
            int slot = c.fetchSlot(((c.segBase[Cpu.CS] + b.eip) & 0xFFFFF000) + 0x1000);
            if (slot < 0 || tlb.phys[slot] != b.phys2) return null;
        }
        int f = b.flatSegs;
        if (f == 0 || b.flatCheckedAt == c.segmentEpoch) return b;
        if ((BlockScanner.flatSegments(c) & f) == f) {
            b.flatCheckedAt = c.segmentEpoch;
        } else {
            b.dead = true;
            Insn at = b.entryInsn;
            if (at != null && at.entry == b) {
                at.entry = null;
                cool(at);
            }
            flatGuardFailures++;
            return null;
        }
        return b;
    }
}
