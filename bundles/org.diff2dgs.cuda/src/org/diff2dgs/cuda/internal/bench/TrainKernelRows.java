package org.diff2dgs.cuda.internal.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.train.TrainKernelBench;

/**
 * "training kernels" rows of d2dgs bench: device time of every training kernel family other than the rasterizer
 * ({@link TrainKernelBench}) at the first surfel count of the options (50k by default, the published schedule's
 * range) and the bench's image size; the Adam rows add their effective bandwidth (32 bytes per learnable float), the
 * number to hold against the device's copy bandwidth (the util_axpy row).
 */
public final class TrainKernelRows {

    static final String SECTION = "training kernels";

    private TrainKernelRows() {
    }

    public static List<BenchRow> measure(CudaContext cuda, BenchOptions options, MemorySampler memory) {
        int n = options.surfelCounts().get(0);
        String size = RasterizerRows.size(n, options);
        List<BenchRow> rows = new ArrayList<>();
        try {
            TrainKernelBench.Result r = TrainKernelBench.run(cuda, options.width(), options.height(), n,
                    options.warmup(), options.repeats(), options.seed());
            memory.sample();
            for (Map.Entry<String, Double> e : r.medianMs().entrySet()) {
                rows.add(new BenchRow(SECTION, e.getKey() + " " + size, e.getValue(), "ms", note(e.getKey(),
                        e.getValue(), r.adamBytes(), options)));
            }
        } catch (RuntimeException e) {
            rows.add(BenchRow.missing(SECTION, "training kernel families " + size, "ms", "failed: " + e.getMessage()));
        }
        return rows;
    }

    static String note(String family, double ms, long adamBytes, BenchOptions options) {
        String median = family.startsWith("densify (") ? "one run" : "median of " + options.repeats();
        boolean step = family.equals(TrainKernelBench.ADAM_FUSED) || family.equals(TrainKernelBench.ADAM_PER_TENSOR);
        if (step && ms > 0) {
            return String.format(Locale.ROOT, "%s, %.0f GB/s effective (%.0f MB per step)", median,
                    adamBytes / (ms * 1e-3) / 1e9, adamBytes / 1e6);
        }
        return median;
    }
}
