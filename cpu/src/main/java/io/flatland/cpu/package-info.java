/**
 * The CPU: architectural state ({@code Cpu}), decoding ({@code Decoder}, {@code OpcodeTable}
 * to an {@code Insn}), what is known about each operation ({@code Op} ids, {@code OpInfo}
 * rows), the reference semantics ({@code Exec}: one {@code Handler} per operation; {@code Alu}
 * and {@code Flags} for arithmetic and the lazy flag record; {@code Operands} for registers,
 * effective addresses, segments and the stack), protected-mode system code
 * ({@code SystemOps}, {@code Segments}, {@code InterruptDelivery}, {@code TaskSwitch},
 * {@code SystemInsns}, {@code FastSystemCall}, ...), x87 ({@code X87}), the port I/O bus
 * ({@code IoBus}) and the reference run loop ({@code Interpreter}), which the JIT also uses
 * for cold code. Guest faults are the machines preallocated {@code GuestFault}, thrown
 * before an instruction changes anything.
 */
package io.flatland.cpu;
