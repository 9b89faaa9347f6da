package org.diff2dgs.core.api;

/**
 * Timings of a backend on the machine it runs on (d2dgs bench). OSGi service, one per backend that can time itself.
 * Rows for pieces that do not exist yet say so (value NaN, a note) instead of being left out, so a report shows what
 * is missing.
 */
public interface Benchmark {

    /** The name of the {@link ComputeBackend} timed, e.g. "cuda". */
    String backend();

    /** Null when the benchmark can run; else why not. */
    String unavailableReason();

    BenchReport run(BenchOptions options, Progress progress);
}
