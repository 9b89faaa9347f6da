package org.diff2dgs.cuda.internal.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.cuda.internal.driver.CudaContext;

/**
 * Rasterizer rows of d2dgs bench: forward and forward+backward device time per size (random surfels on a tissue-like
 * surface, width x height, SH degree of the options), and the render rate of the forward pass. Measured by the device
 * rasterizer's own benchmark (package org.diff2dgs.cuda.internal.raster); while the bundle has no device rasterizer,
 * each row says so.
 */
public final class RasterizerRows {

    public static final String MISSING = "not yet: CUDA rasterizer missing";

    private RasterizerRows() {
    }

    public static List<BenchRow> measure(CudaContext cuda, BenchOptions options, MemorySampler memory) {
        List<BenchRow> rows = new ArrayList<>();
        for (int n : options.surfelCounts()) {
            String size = size(n, options);
            rows.add(BenchRow.missing("rasterizer", "forward " + size, "ms", MISSING));
            rows.add(BenchRow.missing("rasterizer", "forward+backward " + size, "ms", MISSING));
        }
        rows.add(BenchRow.missing("rasterizer", "render rate (forward, " + options.width() + "x" + options.height()
                + ")", "frames/s", MISSING));
        return rows;
    }

    /** e.g. "100k surfels 640x512 SH3". */
    public static String size(int n, BenchOptions o) {
        String count = n >= 1_000_000 && n % 1_000_000 == 0 ? n / 1_000_000 + "M"
                : n >= 1000 && n % 1000 == 0 ? n / 1000 + "k" : Integer.toString(n);
        return String.format(Locale.ROOT, "%s surfels %dx%d SH%d", count, o.width(), o.height(), o.shDegree());
    }
}
