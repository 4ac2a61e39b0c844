/**
 * The translator ({@code -accel jit}): hot guest code becomes hidden JVM classes.
 *
 * <ul>
 * <li>{@link io.flatland.jit.JitEngine}: the run loop; same contract, exit reasons
 *     and instruction count as {@code Interpreter.run}. Regions run only when the
 *     interpreter's between-instruction checks would be no-ops for the whole region;
 *     everything else (events, interrupts, HLT, single-step, cold code) is left to the
 *     interpreter, which runs cold code in bursts across basic blocks
 *     ({@code Interpreter.runUntilEntry}) and stops only in front of a block entry that has a
 *     translation ({@code Insn.entry}) or from which enough instructions have run
 *     ({@code Insn.heat}, {@code JitSettings.hot}). The CPU's thread decodes a hot region and a
 *     background thread generates and defines its class, installed at a later dispatch unless
 *     the page changed meanwhile.</li>
 * <li>{@code BlockScanner}: which instructions form a region: paths of one code page, along
 *     not-taken branches, followed jumps and direct calls; later paths start at the return
 *     addresses of calls and at the roots an {@code ExitProfile} found. What ends a path, what
 *     only the interpreter runs, what may store or fault come from {@code OpInfo}'s rows.</li>
 * <li>{@code ExitProfile}: where a region exits to over its first runs; a region that keeps
 *     returning to the dispatcher for little work is translated again with those exits
 *     inside it.</li>
 * <li>{@code Translator} / {@code Emit} / {@code Emitters}: bytecode generation. Guest
 *     registers and the lazy flag record live in locals inside a region; the common
 *     instructions are JVM arithmetic with the interpreter's operand calls, anything else a
 *     call of the instruction's own handler ({@code Exec.Handler}). Branches to the region's
 *     own instructions (loops, and RET/JMP r/m/CALL r/m whose target it holds, through a
 *     lookupswitch) stay inside its method; exits and the single fault handler hand the
 *     locals to {@code Block.exited}/{@code Block.faulted}, which write back what was dirty.</li>
 * <li>{@code CodeCache}: regions by physical address, killed per page by the MMU's code watch
 *     (self-modifying code), bounded.</li>
 * </ul>
 *
 * Correctness is established by lockstep tests against the interpreter
 * ({@code LockstepTest}, {@code SpecialCasesTest}) and by the probe kernels under both accelerators.
 */
package io.flatland.jit;
