/**
 * The translator ({@code -accel jit}): hot guest blocks become hidden JVM classes.
 *
 * <ul>
 * <li>{@link io.flatland.jit.JitEngine}: the run loop; same contract, exit reasons
 *     and instruction count as {@code Interpreter.run}. Blocks run only when the
 *     interpreter's between-instruction checks would be no-ops for the whole block;
 *     everything else (events, interrupts, HLT, single-step, cold code) is one interpreter
 *     iteration. Code is translated after {@code CodeCache.HOT} executions; the CPU's thread
 *     decodes it and a background thread generates and defines the class, installed at a
 *     later dispatch unless the page changed meanwhile.</li>
 * <li>{@code BlockScanner} / {@code InsnKinds}: which instructions form a region: paths of
 *     one code page, along not-taken branches, followed jumps and direct calls; later paths
 *     start at the return addresses of calls and at the roots an {@code ExitProfile} found.</li>
 * <li>{@code ExitProfile}: where a region exits to over its first runs; a region that keeps
 *     returning to the dispatcher for little work is translated again with those exits
 *     inside it.</li>
 * <li>{@code Translator} / {@code Emit} / {@code Emitters}: bytecode generation; every
 *     instruction either has a hand-written emitter calling the interpreter's own semantic
 *     methods, or is a call of {@code Exec.execute} with the decoded instruction as a
 *     class-data constant. Guest registers live in locals inside a region; branches to its
 *     own instructions (loops, and RET/JMP r/m/CALL r/m whose target it holds, through a
 *     lookupswitch) stay inside its method; exits share one write-back tail per set of dirty
 *     registers.</li>
 * <li>{@code CodeCache}: blocks by physical address, killed per page by the MMU's code watch
 *     (self-modifying code), bounded.</li>
 * </ul>
 *
 * Correctness is established by lockstep tests against the interpreter
 * ({@code LockstepTest}, {@code SpecialCasesTest}) and by the probe kernels under both accelerators.
 */
package io.flatland.jit;
