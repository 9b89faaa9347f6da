package org.diff2dgs.cuda.internal.train;

import static org.diff2dgs.cuda.internal.train.KernelSpec.D;
import static org.diff2dgs.cuda.internal.train.KernelSpec.F;
import static org.diff2dgs.cuda.internal.train.KernelSpec.I;
import static org.diff2dgs.cuda.internal.train.KernelSpec.L;
import static org.diff2dgs.cuda.internal.train.KernelSpec.P;

import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.train.internal.SurfelParameters;

/**
 * cuda/densify.cu: density statistics, and clone / split / prune as one row map (Densifier on the CPU). A
 * {@link Plan} says, for every row of the new set, its source row and whether it is a survivor (keeps its Adam
 * moments), a clone or a split child; {@link #gather} builds each new per-surfel tensor from it, and
 * {@link #placeChildren} moves the split children in their parent's tangent plane with the Densifier's random
 * numbers.
 */
public final class DensifyKernels {

    /** Threads and items per thread of the scan (SCAN_THREADS, SCAN_ITEMS in densify.cu). */
    public static final int SCAN_THREADS = 256;
    public static final int SCAN_TILE = SCAN_THREADS * 8;
    static final int SELECT_THREADS = 1024;
    /** log(0.8 * 2), the split children's log-scale shrink, rounded as Densifier applies it. */
    public static final float SPLIT_SHRINK = (float) Math.log(0.8 * 2);

    static final KernelSpec ACCUMULATE = KernelSpec.of("densify_accumulate", I, P, P, P, P, P);
    static final KernelSpec CANDIDATES = KernelSpec.of("densify_candidates", I, P, P, D, P, P);
    static final KernelSpec SELECT = KernelSpec.of("densify_select", I, I, P, P, P);
    static final KernelSpec CLASSIFY = KernelSpec.of("densify_classify", I, P, P, P, P, D, D, F, I, F, P);
    static final KernelSpec SCAN_TILES = KernelSpec.of("densify_scan_tiles", I, P, P);
    static final KernelSpec SCAN_TOP = KernelSpec.of("densify_scan_top", I, P, P);
    static final KernelSpec MAP = KernelSpec.of("densify_map", I, P, P, P, P, P);
    static final KernelSpec GATHER = KernelSpec.of("densify_gather", I, I, P, P, P, P, I);
    static final KernelSpec PLACE_CHILDREN = KernelSpec.of("densify_place_children", I, P, L, F, P, P, P);
    static final KernelSpec RESET_OPACITY = KernelSpec.of("densify_reset_opacity", I, F, P, P, P);

    /** The rules of one densification (Densifier.densifyAndPrune's arguments). */
    public record Rules(double gradThreshold, double minOpacity, double percentDense, double extent,
            boolean pruneLarge, int maxSurfels) {
    }

    /**
     * The new rows: {@code rows} = survivors + clones + children; source and kind on the device (kind -1 survivor,
     * -2 clone, c >= 0 split child c); the counts as the Densifier reports them.
     */
    public record Plan(int oldCount, int rows, int survivors, int clones, int children, int cloned, int split,
            DeviceBuffer source, DeviceBuffer kind) implements AutoCloseable {

        /** Rows dropped by the prune (of the grown set), as Densifier.Result.pruned. */
        public int pruned() {
            return oldCount - split + cloned + 2 * split - rows;
        }

        @Override
        public void close() {
            source.close();
            kind.close();
        }
    }

    private final CudaContext cuda;

    public DensifyKernels(CudaContext cuda) {
        this.cuda = cuda;
    }

    public static List<KernelSpec> specs() {
        return List.of(ACCUMULATE, CANDIDATES, SELECT, CLASSIFY, SCAN_TILES, SCAN_TOP, MAP, GATHER, PLACE_CHILDREN,
                RESET_OPACITY);
    }

    /** Tiles of the scan for n rows. */
    public static int tiles(int n) {
        return Launch.blocks(n, SCAN_TILE);
    }

    /** Adds one iteration's screen gradients and radii (int) into the statistics (visible: radius > 0). */
    public void accumulate(int n, DeviceBuffer screenGradient, DeviceBuffer radii, DeviceBuffer gradientSum,
            DeviceBuffer visibleCount, DeviceBuffer maxRadius) {
        Launch.require(screenGradient, n, "screen gradient");
        Launch.require(radii, n, "radii");
        Launch.require(gradientSum, n, "gradient sum");
        Launch.require(visibleCount, n, "visible count");
        Launch.require(maxRadius, n, "max radius");
        if (n == 0) {
            return;
        }
        ACCUMULATE.launch(cuda, Launch.blocks(n, Launch.BLOCK), Launch.BLOCK, n, screenGradient, radii, gradientSum,
                visibleCount, maxRadius);
    }

    /**
     * Decides clone, split and prune for n surfels and builds the row map. Waits for the device once (the new row
     * count decides the sizes of the new tensors).
     */
    public Plan plan(int n, DeviceBuffer gradientSum, DeviceBuffer visibleCount, DeviceBuffer maxRadius,
            DeviceBuffer logScales, DeviceBuffer logits, Rules rules) {
        Launch.require(gradientSum, n, "gradient sum");
        Launch.require(visibleCount, n, "visible count");
        Launch.require(maxRadius, n, "max radius");
        Launch.require(logScales, 2L * n, "log-scales");
        Launch.require(logits, n, "opacity logits");
        int tiles = tiles(n);
        float opacityLogitMin = SurfelParameters.logit(rules.minOpacity());
        int budget = Math.max(0, rules.maxSurfels() - n);
        // totals: survivors, clones, children kept, splits (an int4), then the candidates selected
        int[] totals = new int[5];
        DeviceBuffer source;
        DeviceBuffer kind;
        try (DeviceBuffer mean = cuda.allocate(Math.max(1, n) * (long) Float.BYTES, "densify mean gradient");
                DeviceBuffer candidate = cuda.allocate(Math.max(1, n) * (long) Integer.BYTES, "densify candidates");
                DeviceBuffer counts = cuda.allocate(Math.max(1, n) * 4L * Integer.BYTES, "densify row counts");
                DeviceBuffer tileSums = cuda.allocate(tiles * 4L * Integer.BYTES, "densify tile sums");
                DeviceBuffer total = cuda.allocate(totals.length * (long) Integer.BYTES, "densify totals")) {
            total.zero();
            if (n > 0) {
                int grid = Launch.blocks(n, Launch.BLOCK);
                CANDIDATES.launch(cuda, grid, Launch.BLOCK, n, gradientSum, visibleCount, rules.gradThreshold(), mean,
                        candidate);
                SELECT.launch(cuda, 1, SELECT_THREADS, n, budget, mean, candidate,
                        total.pointer().withByteOffset(4L * Integer.BYTES));
                CLASSIFY.launch(cuda, grid, Launch.BLOCK, n, candidate, logScales, logits, maxRadius,
                        rules.percentDense() * rules.extent(), rules.extent(), opacityLogitMin,
                        rules.pruneLarge() ? 1 : 0, SPLIT_SHRINK, counts);
                SCAN_TILES.launch(cuda, tiles, SCAN_THREADS, n, counts, tileSums);
                SCAN_TOP.launch(cuda, 1, SCAN_THREADS, tiles, tileSums, total);
            }
            total.copyTo(totals);
            int rows = totals[0] + totals[1] + totals[2];
            source = cuda.allocate(Math.max(1, rows) * (long) Integer.BYTES, "densify row sources");
            kind = cuda.allocate(Math.max(1, rows) * (long) Integer.BYTES, "densify row kinds");
            if (n > 0) {
                MAP.launch(cuda, tiles, SCAN_THREADS, n, counts, tileSums, total, source, kind);
            }
            int split = totals[3];
            int cloned = totals[4] - split;
            return new Plan(n, rows, totals[0], totals[1], totals[2], cloned, split, source, kind);
        }
    }

    /**
     * A new tensor of plan.rows() rows of {@code width} values: row j = row source[j] of {@code src}; with
     * {@code zeroFresh} (Adam moments) rows that are not survivors are 0.
     */
    public DeviceBuffer gather(Plan plan, DeviceBuffer src, int width, boolean zeroFresh, String what) {
        Launch.require(src, (long) plan.oldCount() * width, what);
        DeviceBuffer dst = cuda.allocate((long) plan.rows() * width * Float.BYTES, what);
        if (plan.rows() > 0) {
            GATHER.launch(cuda, Launch.strideBlocks((long) plan.rows() * width, Launch.BLOCK), Launch.BLOCK,
                    plan.rows(), width, src, dst, plan.source(), plan.kind(), zeroFresh ? 1 : 0);
        }
        return dst;
    }

    /** Moves the split children of the gathered tensors and shrinks their scales (Densifier.placeSplitChildren). */
    public void placeChildren(Plan plan, long seed, DeviceBuffer positions, DeviceBuffer rotations,
            DeviceBuffer logScales) {
        int rows = plan.rows();
        Launch.require(positions, 3L * rows, "new positions");
        Launch.require(rotations, 4L * rows, "new rotations");
        Launch.require(logScales, 2L * rows, "new log-scales");
        if (plan.children() == 0) {
            return;
        }
        PLACE_CHILDREN.launch(cuda, Launch.blocks(rows, Launch.BLOCK), Launch.BLOCK, rows, plan.kind(), seed,
                SPLIT_SHRINK, positions, rotations, logScales);
    }

    /** Opacity reset: logits capped at logit(0.01), the opacity's Adam moments zeroed. */
    public void resetOpacity(int n, DeviceBuffer logits, DeviceBuffer m, DeviceBuffer v) {
        Launch.require(logits, n, "opacity logits");
        Launch.require(m, n, "opacity first moment");
        Launch.require(v, n, "opacity second moment");
        if (n == 0) {
            return;
        }
        RESET_OPACITY.launch(cuda, Launch.blocks(n, Launch.BLOCK), Launch.BLOCK, n, SurfelParameters.logit(0.01),
                logits, m, v);
    }
}
