package org.diff2dgs.cuda.internal.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.raster.RasterBench;

/**
 * Rasterizer rows of d2dgs bench: forward and forward+backward device time per size (random surfels on a tissue-like
 * surface, width x height; colours precomputed as SH colours are before rasterization), the render rate of the forward
 * pass, the rasterizer's work memory and the time per stage. Measured by the device rasterizer's own benchmark
 * ({@link RasterBench}: device-resident inputs, CUDA events, median of the repeats after warm-up).
 */
public final class RasterizerRows {

    private RasterizerRows() {
    }

    /**
     * The default configuration's rows (as before), then the same rows for each variant of
     * {@link RasterBench#VARIANTS_PROPERTY} (section "rasterizer variants", the variant in brackets), so that one
     * device run compares them. Per-stage rows for the 100k size (else the first) of every configuration.
     */
    public static List<BenchRow> measure(CudaContext cuda, BenchOptions options, MemorySampler memory) {
        List<BenchRow> rows = new ArrayList<>();
        List<RasterBench.Variant> variants = RasterBench.Variant.fromSystem();
        for (RasterBench.Variant v : variants) {
            boolean standard = v == variants.get(0);
            String section = standard ? "rasterizer" : "rasterizer variants";
            String tag = standard ? "" : " [" + v.label() + "]";
            List<RasterBench.Result> results = new ArrayList<>();
            for (int n : options.surfelCounts()) {
                String size = size(n, options) + tag;
                try {
                    RasterBench.Result r = RasterBench.run(cuda, options.width(), options.height(), new int[] {n},
                            options.warmup(), options.repeats(), options.seed(), v).get(0);
                    memory.sample();
                    results.add(r);
                    String note = "median of " + options.repeats() + ", " + r.pairs() + " tile entries, exp "
                            + r.variant().exp().label() + ", entry count "
                            + r.variant().entryCount().name().toLowerCase(Locale.ROOT) + ", "
                            + r.variant().tuning().label()
                            + (r.overflowRedos() > 0 ? ", " + r.overflowRedos() + " overflow redos" : "")
                            + (r.variant().graphs() ? ", graph captures " + r.graphCaptures() : "")
                            + (r.graphFailure() != null ? ", graphs off: " + r.graphFailure() : "");
                    rows.add(new BenchRow(section, "forward " + size, r.forwardMs(), "ms", note));
                    rows.add(new BenchRow(section, "forward+backward " + size, r.forwardBackwardMs(), "ms", note));
                    rows.add(new BenchRow(section, "host time of a forward call " + size, r.hostForwardMs(), "ms",
                            "queuing the launches (+ waiting for the entry count); near the forward ms = host-bound"));
                    if (standard) {
                        rows.add(new BenchRow(section, "render rate (forward) " + size, 1000.0 / r.forwardMs(),
                                "frames/s", "from the forward median"));
                        rows.add(new BenchRow("memory", "rasterizer work buffers " + size,
                                r.workBytes() / 1048576.0, "MiB", "after the run"));
                    }
                } catch (RuntimeException e) {
                    rows.add(BenchRow.missing(section, "forward " + size, "ms", "failed: " + e.getMessage()));
                }
            }
            // per stage for one size (the comparison point when asked for, else the first): where time goes
            results.stream().filter(r -> r.surfels() == 100_000).findFirst()
                    .or(() -> results.stream().findFirst())
                    .ifPresent(r -> {
                        String size = size(r.surfels(), options) + tag;
                        r.stageMs().forEach((stage, ms) -> rows.add(new BenchRow("rasterizer stages",
                                stage + " " + size, ms, "ms", "one event-marked run")));
                        double gpu = r.forwardGpuOnlyMs();
                        if (!Double.isNaN(gpu)) {
                            rows.add(new BenchRow("rasterizer stages", "forward, sum of the GPU-only stages " + size,
                                    gpu, "ms", String.format(Locale.ROOT, "against the forward row's %.3f ms: the "
                                            + "difference is about what the host's pace adds", r.forwardMs())));
                        }
                    });
        }
        return rows;
    }

    /** e.g. "100k surfels 640x512 SH3". */
    public static String size(int n, BenchOptions o) {
        String count = n >= 1_000_000 && n % 1_000_000 == 0 ? n / 1_000_000 + "M"
                : n >= 1000 && n % 1000 == 0 ? n / 1000 + "k" : Integer.toString(n);
        return String.format(Locale.ROOT, "%s surfels %dx%d SH%d", count, o.width(), o.height(), o.shDegree());
    }
}
