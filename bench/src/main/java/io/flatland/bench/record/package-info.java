/**
 * The perf-results/ record format (flatland-perf/1): JSON writing and the machine description.
 */
package io.flatland.bench.record;
