/**
 * The translator ({@code -accel jit}): hot guest blocks become hidden JVM classes.
 *
 * <ul>
 * <li>{@link io.flatland.jit.translate.JitEngine}: the run loop; same contract, exit reasons
 *     and instruction count as {@code Interpreter.run}. Blocks run only when the
 *     interpreter's between-instruction checks would be no-ops for the whole block;
 *     everything else (events, interrupts, HLT, single-step, cold code) is one interpreter
 *     iteration.</li>
 * <li>{@code BlockScanner} / {@code InsnKinds}: which instructions form a block.</li>
 * <li>{@code Translator} / {@code Emit} / {@code Emitters}: bytecode generation; every
 *     instruction either has a hand-written emitter calling the interpreter's own semantic
 *     methods, or is a call of {@code Exec.execute} with the decoded instruction as a
 *     class-data constant. Guest registers live in locals inside a block; a block whose last
 *     jump goes back to its start loops inside its method.</li>
 * <li>{@code CodeCache}: blocks by physical address, killed per page by the MMU's code watch
 *     (self-modifying code), bounded.</li>
 * </ul>
 *
 * Correctness is established by lockstep tests against the interpreter
 * ({@code LockstepTest}, {@code SpecialCasesTest}) and by the probe kernels under both accelerators.
 */
package io.flatland.jit.translate;
