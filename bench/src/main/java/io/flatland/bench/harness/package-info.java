/**
 * Whole-process measurement: {@code flatland bench boot} (POST milestones beside QEMU),
 * {@code flatland bench model} (every kernel-model workload beside QEMU), the regression
 * {@code Gate} with its per-machine {@code Baseline}, and their statistics and charts.
 */
package io.flatland.bench.harness;
