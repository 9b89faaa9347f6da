package org.diff2dgs.core.api;

import java.util.List;

/**
 * What d2dgs bench measures: rasterizer sizes (surfel counts at width x height, SH degree of the colours), warm-up
 * runs before timing and timed repeats (the median is reported), the random seed, and whether to time training.
 */
public record BenchOptions(List<Integer> surfelCounts, int width, int height, int shDegree, int warmup, int repeats,
        long seed, boolean training) {

    /** The sizes of issue 10: 50k, 100k, 300k and 1M surfels at 640x512, SH degree 3. */
    public static final List<Integer> ISSUE_SIZES = List.of(50_000, 100_000, 300_000, 1_000_000);

    public BenchOptions {
        surfelCounts = List.copyOf(surfelCounts);
        if (surfelCounts.isEmpty() || surfelCounts.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("surfel counts must be positive: " + surfelCounts);
        }
        if (width < 1 || height < 1 || shDegree < 0 || shDegree > 3 || warmup < 0 || repeats < 1) {
            throw new IllegalArgumentException("bench options out of range: " + width + "x" + height + " sh "
                    + shDegree + " warmup " + warmup + " repeats " + repeats);
        }
    }

    public static BenchOptions defaults() {
        return new BenchOptions(ISSUE_SIZES, 640, 512, 3, 3, 10, 6666, true);
    }
}
