package org.diff2dgs.cuda.internal.bench;

import java.util.Arrays;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.GpuTimer;

/**
 * The timing rule of d2dgs bench: {@code warmup} untimed runs (module loading, first-touch allocations, clocks
 * ramping up), then {@code repeats} timed runs; the median is reported (robust to a stray slow run).
 */
public final class Timing {

    private Timing() {
    }

    /** Device milliseconds of the work each run queues (CUDA events around it), median of the repeats. */
    public static double deviceMedianMs(CudaContext cuda, int warmup, int repeats, Runnable queueWork) {
        for (int i = 0; i < warmup; i++) {
            queueWork.run();
        }
        cuda.synchronize();
        double[] ms = new double[repeats];
        try (GpuTimer t = new GpuTimer(cuda)) {
            for (int i = 0; i < repeats; i++) {
                t.start();
                queueWork.run();
                t.stop();
                ms[i] = t.elapsedMs();
            }
        }
        return median(ms);
    }

    /** Wall-clock milliseconds of each run (the run itself must wait for what it queued), median of the repeats. */
    public static double wallMedianMs(int warmup, int repeats, Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return median(ms);
    }

    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
    }
}
