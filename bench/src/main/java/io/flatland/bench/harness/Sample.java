package io.flatland.bench.harness;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of a sample of run times, and the two-sample comparison the gate uses.
 * The arithmetic is commons-math3 (percentiles, Mann-Whitney U, a seeded Well19937c for
 * the bootstrap); only the resampling loop is ours.
 */
final class Sample {
    final double[] values;
    final double median, min, max, q1, q3;

    Sample(double[] values) {
        this.values = values.clone();
        DescriptiveStatistics d = new DescriptiveStatistics(values);
        // R-7 percentile definition (R's and numpy's default) so quartiles match what others compute.
        d.setPercentileImpl(new Percentile().withEstimationType(Percentile.EstimationType.R_7));
        median = d.getPercentile(50);
        q1 = d.getPercentile(25);
        q3 = d.getPercentile(75);
        min = d.getMin();
        max = d.getMax();
    }

    static Sample of(List<Double> xs) {
        return new Sample(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Writes median, quartiles, extremes and the raw values into a flatland-perf/1 result row. */
    void putInto(java.util.Map<String, Object> row) {
        row.put("median", median);
        row.put("q1", q1);
        row.put("q3", q3);
        row.put("min", min);
        row.put("max", max);
        row.put("samples", BootHarness.boxed(values));
    }

    /** Relative interquartile range, a robust noise figure. */
    double relIqr() { return (q3 - q1) / median; }

    /**
     * The gate's evidence. {@code ratio} is the estimate the verdict uses, with its bootstrap
     * interval [ciLow, ciHigh]: for paired runs the median of the per-pair ratios
     * candidate_i/baseline_i, otherwise the ratio of the medians.
     */
    record Comparison(String estimator, int nBaseline, int nCandidate, double ratio, double ciLow, double ciHigh,
                      double ratioOfMedians, double hodgesLehmannRatio, double mannWhitneyP, double wilcoxonP,
                      int resamples, double confidence) { }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Geometric mean (of ratios); NaN for no values. */
    static double geomean(double[] a) {
        for (double x : a) if (!(x > 0)) throw new IllegalArgumentException("geometric mean of a non-positive value: " + x);
        return a.length == 0 ? Double.NaN : StatUtils.geometricMean(a);
    }

    /**
     * Compares candidate with baseline run times.
     *
     * <p>Paired (run i of both builds made back to back, as the gate does): the estimate is the
     * median of the per-pair ratios candidate_i/baseline_i, and its interval the percentile
     * bootstrap over whole pairs. Load on a shared machine drifts over seconds and hits both
     * runs of a pair alike (we measured a correlation of about 0.7 between the two runs of a
     * pair), so the per-pair ratio cancels most of it, and the median ignores the occasional
     * run that a neighbour's burst slowed by 2-3x.
     *
     * <p>Unpaired (a recorded baseline file): the ratio of the medians, each sample resampled
     * independently.
     *
     * <p>Seeded, so the same samples always give the same verdict. Also reported, not used for
     * the verdict: the ratio of medians, the Hodges-Lehmann ratio (median of all cross-pair
     * ratios), the two-sided Mann-Whitney p-value and, for pairs, the Wilcoxon signed-rank p-value.
     */
    static Comparison compare(double[] baseline, double[] candidate, boolean paired, double confidence, int resamples, long seed) {
        if (paired && baseline.length != candidate.length) throw new IllegalArgumentException("paired samples of unequal size");
        RandomGenerator rng = new Well19937c(seed);
        double[] stats = new double[resamples];
        int n = baseline.length;
        double[] pr = new double[paired ? n : 0];
        for (int i = 0; i < pr.length; i++) pr[i] = candidate[i] / baseline[i];
        double[] a = new double[baseline.length], b = new double[candidate.length];
        for (int k = 0; k < resamples; k++) {
            if (paired) {
                for (int i = 0; i < n; i++) a[i] = pr[rng.nextInt(n)];
                stats[k] = median(a);
            } else {
                for (int i = 0; i < a.length; i++) a[i] = baseline[rng.nextInt(baseline.length)];
                for (int i = 0; i < b.length; i++) b[i] = candidate[rng.nextInt(candidate.length)];
                stats[k] = median(b) / median(a);
            }
        }
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        double alpha = (1 - confidence) / 2;
        double lo = p.evaluate(stats, 100 * alpha), hi = p.evaluate(stats, 100 * (1 - alpha));
        double[] cross = new double[baseline.length * candidate.length];
        int m = 0;
        for (double x : baseline) for (double y : candidate) cross[m++] = y / x;
        double hl = median(cross);
        double mw = new MannWhitneyUTest().mannWhitneyUTest(baseline, candidate);
        double wx = Double.NaN;
        if (paired) {
            boolean exact = n <= 30;
            wx = new WilcoxonSignedRankTest().wilcoxonSignedRankTest(baseline, candidate, exact);
        }
        double rom = median(candidate) / median(baseline);
        return new Comparison(paired ? "median of per-pair ratios" : "ratio of medians", baseline.length, candidate.length,
                paired ? median(pr) : rom, lo, hi, rom, hl, mw, wx, resamples, confidence);
    }
}
