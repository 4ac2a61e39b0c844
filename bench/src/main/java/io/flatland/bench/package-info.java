/**
 * JMH benchmarks: decoding, the interpreter and JIT on guest loops, TLB, I/O, and whole
 * kernel-model and CPU-suite workloads run in-process.
 */
package io.flatland.bench;
