package org.diff2dgs.cuda.internal.parity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.raster.CudaRasterizer;
import org.diff2dgs.cuda.internal.raster.DeviceRasterizer;
import org.diff2dgs.cuda.internal.raster.DeviceRasterizer.DepthOrder;
import org.diff2dgs.cuda.internal.raster.DeviceRasterizer.Intermediates;
import org.diff2dgs.cuda.internal.raster.ExpMode;
import org.diff2dgs.cuda.internal.raster.FootprintCases;
import org.diff2dgs.cuda.internal.raster.FootprintProbe;
import org.diff2dgs.cuda.internal.raster.LaunchGeometry;
import org.diff2dgs.cuda.internal.raster.RenderTuning;
import org.diff2dgs.cuda.internal.raster.TileOrder;
import org.diff2dgs.cuda.internal.raster.TissueScene;
import org.diff2dgs.splat.internal.CpuRasterizer;
import org.diff2dgs.splat.internal.CpuStages;

/**
 * The CUDA rasterizer (project.cu, binning.cu, rasterize_forward.cu, rasterize_backward.cu) against its Java twin,
 * CpuRasterizer and its stages, stage by stage on random tissue scenes seen by random cameras (off-centre principal
 * points, unequal focal lengths, image sizes that are not multiples of the 16-pixel tile):
 * <ul>
 * <li>preprocess: radii and tile rectangles exact, every record field (adj(H), Tw, box centre, normal, opacity, rho
 * cut, colour, pixel box, anchor) within 1e-5;</li>
 * <li>binning: depth order and every tile's list of surfels exact;</li>
 * <li>forward: colour and each AUX plane within 1e-4, radii exact;</li>
 * <li>backward: every gradient array and the screen-space gradient within 1e-3, with and without AUX upstream.</li>
 * <li>the float-exp render kernels (ExpMode FLOAT, FAST): forward within 1e-4 away from the cuts, flips at the cuts
 * counted ({@link NearCutComparison}); backward with ExpMode FLOAT within 1e-3;</li>
 * <li>the deferred entry count: a rasterizer sized by a small scene renders a larger one (its entries outgrow the
 * buffers: one overflow redo) and the small one again, both against the twin.</li>
 * </ul>
 * Relative error as {@link RelativeError} (floor 1e-3 of the reference's largest magnitude).
 */
final class RasterKernelChecks {

    static final double RECORD_TOLERANCE = 1e-5;
    static final double FORWARD_TOLERANCE = 1e-4;
    static final double GRADIENT_TOLERANCE = 1e-3;

    private record Size(int surfels, int width, int height) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dk surfels %dx%d", surfels / 1000, width, height);
        }
    }

    private static final Size SMALL = new Size(3000, 100, 75);
    private static final Size MEDIUM = new Size(40000, 333, 250);
    private static final Size LARGE = new Size(100000, 640, 512);
    /** 3,000 to 7,000 entries per tile: the per-tile depth sort's long lists (over 2,048 entries, several chunks). */
    private static final Size DENSE = new Size(150000, 100, 75);

    private RasterKernelChecks() {
    }

    static List<KernelCheck> all() {
        List<KernelCheck> checks = new ArrayList<>();
        for (Size s : List.of(SMALL, MEDIUM)) {
            checks.add(check("project_forward " + s, RECORD_TOLERANCE, (cuda, seed) -> preprocess(cuda, s, seed)));
            checks.add(check("binning tile lists " + s, 0, (cuda, seed) -> binning(cuda, s, seed,
                    DepthOrder.TILES)));
            checks.add(check("binning tile lists depthOrder=global " + s, 0, (cuda, seed) -> binning(cuda, s, seed,
                    DepthOrder.GLOBAL)));
        }
        checks.add(check("binning tile lists " + DENSE, 0, (cuda, seed) -> binning(cuda, DENSE, seed,
                DepthOrder.TILES)));
        for (Size s : List.of(SMALL, MEDIUM, LARGE)) {
            checks.add(check("fwd_render " + s, FORWARD_TOLERANCE, (cuda, seed) -> forward(cuda, s, seed)));
        }
        for (Size s : List.of(SMALL, LARGE)) {
            checks.add(check("fwd_render exp=float " + s, FORWARD_TOLERANCE,
                    (cuda, seed) -> forwardNearCuts(cuda, s, seed, ExpMode.FLOAT)));
        }
        checks.add(check("fwd_render exp=fast " + LARGE, FORWARD_TOLERANCE,
                (cuda, seed) -> forwardNearCuts(cuda, LARGE, seed, ExpMode.FAST)));
        // The rows above run the flagged (_cuts) builds; the render path runs the others.
        for (ExpMode m : ExpMode.values()) {
            checks.add(check("fwd_render exp=" + m.label() + " vs its _cuts build " + LARGE, 0,
                    (cuda, seed) -> forwardSameAsFlagged(cuda, LARGE, seed, m)));
        }
        checks.add(check("deferred entry count, overflow redo " + SMALL + " -> " + MEDIUM, FORWARD_TOLERANCE,
                RasterKernelChecks::deferredCount));
        checks.add(check("bwd_render + project_backward " + SMALL + " colour only", GRADIENT_TOLERANCE,
                (cuda, seed) -> backward(cuda, SMALL, seed, false)));
        for (Size s : List.of(SMALL, MEDIUM, LARGE)) {
            checks.add(check("bwd_render + project_backward " + s, GRADIENT_TOLERANCE,
                    (cuda, seed) -> backward(cuda, s, seed, true)));
        }
        checks.add(check("bwd_render + project_backward exp=float " + MEDIUM, GRADIENT_TOLERANCE,
                (cuda, seed) -> backward(cuda, MEDIUM, seed, true, ExpMode.FLOAT)));
        // The render kernels' other paths (RenderTuning; the bench compares their speed): every warp shape, list
        // and register budget must give the same images, and every reduction the same gradients.
        RenderTuning base = RenderTuning.fromSystem();
        RenderTuning blocksCulled = base.withWarpBlocks(true).withWarpCull(true).withForwardBlocks(4);
        RenderTuning stripsUnculled = base.withWarpBlocks(false).withWarpCull(false).withForwardBlocks(4)
                .withSparseLanes(0);
        checks.add(check("fwd_render " + blocksCulled.label() + " " + MEDIUM, FORWARD_TOLERANCE,
                (cuda, seed) -> forward(cuda, MEDIUM, seed, blocksCulled)));
        checks.add(check("fwd_render " + stripsUnculled.label() + " " + SMALL, FORWARD_TOLERANCE,
                (cuda, seed) -> forward(cuda, SMALL, seed, stripsUnculled)));
        // the backward's other builds ride along: 2 blocks per SM with the atomics only, no minimum with the
        // transpose only and no lists; without the warp tools compiled in (run 2's kernel) with no minimum and 2
        RenderTuning allAtomics = blocksCulled.withSparseLanes(32).withBackwardBlocks(2);
        RenderTuning noMinimum = stripsUnculled.withBackwardBlocks(0);
        RenderTuning plain = RenderTuning.fromSystem().withBackwardWarpTools(false);
        checks.add(check("bwd_render + project_backward " + allAtomics.label() + " " + MEDIUM, GRADIENT_TOLERANCE,
                (cuda, seed) -> backward(cuda, MEDIUM, seed, true, ExpMode.DOUBLE, allAtomics)));
        for (RenderTuning t : List.of(noMinimum, plain.withBackwardBlocks(0), plain.withBackwardBlocks(2))) {
            checks.add(check("bwd_render + project_backward " + t.label() + " " + SMALL, GRADIENT_TOLERANCE,
                    (cuda, seed) -> backward(cuda, SMALL, seed, true, ExpMode.DOUBLE, t)));
        }
        leverChecks(checks);
        return checks;
    }

    /**
     * The two exact levers of 2026-12-07 ("tiles"; RenderTuning.tileOrderHeavy, footprintCull) against the default
     * path on the same scene: forward images bit for bit (error 0, else infinite), the heavy-first order a permutation
     * by bucket, backward gradients within the gradient tolerance (only the order of sums may differ); and the
     * footprint bound's device decisions against its Java twin, bit for bit.
     */
    private static void leverChecks(List<KernelCheck> checks) {
        RenderTuning base = RenderTuning.fromSystem().withTileOrderHeavy(false).withFootprintCull(false);
        RenderTuning heavy = base.withTileOrderHeavy(true);
        RenderTuning footprint = base.withFootprintCull(true);
        RenderTuning blocksBoth = base.withWarpBlocks(true).withTileOrderHeavy(true).withFootprintCull(true);
        for (Size s : List.of(MEDIUM, LARGE)) {
            for (RenderTuning t : List.of(heavy, footprint)) {
                checks.add(check("fwd_render " + lever(t) + " vs default " + s, 0,
                        (cuda, seed) -> forwardSame(cuda, s, seed, base, t)));
            }
        }
        checks.add(check("fwd_render warp=8x4 " + lever(blocksBoth) + " vs warp=8x4 " + MEDIUM, 0,
                (cuda, seed) -> forwardSame(cuda, MEDIUM, seed, base.withWarpBlocks(true), blocksBoth)));
        for (RenderTuning t : List.of(heavy, footprint, blocksBoth)) {
            RenderTuning against = t == blocksBoth ? base.withWarpBlocks(true) : base;
            checks.add(check("bwd_render + project_backward " + lever(t) + (t == blocksBoth ? " warp=8x4" : "")
                    + " vs default " + MEDIUM, GRADIENT_TOLERANCE,
                    (cuda, seed) -> backwardSame(cuda, MEDIUM, seed, against, t)));
        }
        checks.add(check("fwd_footprint_probe vs FootprintBound (Java twin) " + MEDIUM, 0,
                (cuda, seed) -> footprintProbe(cuda, MEDIUM, seed)));
    }

    private static String lever(RenderTuning t) {
        return (t.tileOrderHeavy() ? "tileOrder=heavy" : "") + (t.tileOrderHeavy() && t.footprintCull() ? "+" : "")
                + (t.footprintCull() ? "fpcull=on" : "");
    }

    /** The lever's forward against the default's on the same scene: every output bit for bit; the order checked. */
    static Outcome forwardSame(CudaContext cuda, Size s, long seed, RenderTuning base, RenderTuning lever) {
        Scene sc = scene(s, seed);
        try (CudaRasterizer a = new CudaRasterizer(cuda, false); CudaRasterizer b = new CudaRasterizer(cuda, false)) {
            a.device().tuning(base);
            b.device().tuning(lever);
            RenderOutput ga = a.forward(sc.surfels(), sc.camera(), sc.settings());
            RenderOutput gb = b.forward(sc.surfels(), sc.camera(), sc.settings());
            int differ = bitsDiffer(ga.color(), gb.color()) + bitsDiffer(ga.others(), gb.others());
            for (int i = 0; i < ga.radii().length; i++) {
                differ += ga.radii()[i] != gb.radii()[i] ? 1 : 0;
            }
            String order = "raster order";
            boolean orderOk = true;
            if (lever.tileOrderHeavy()) {
                int tiles = LaunchGeometry.tilesX(s.width()) * LaunchGeometry.tilesY(s.height());
                int[] ranges = new int[2 * tiles];
                int[] got = new int[tiles];
                b.device().intermediates().ranges().copyTo(ranges, ranges.length);
                b.device().tileOrder().copyTo(got, tiles);
                String problem = TileOrder.problem(got, ranges, tiles);
                orderOk = problem == null;
                int[] counts = TileOrder.counts(ranges, tiles);
                order = orderOk ? String.format(Locale.ROOT, "heavy-first order valid (first tile %d entries, last %d)",
                        counts[got[0]], counts[got[tiles - 1]]) : "order wrong: " + problem;
            }
            boolean same = differ == 0 && orderOk;
            return new Outcome(same ? 0 : Double.POSITIVE_INFINITY, String.format(Locale.ROOT,
                    "%d entries, %d output values differ in their bits (%s), %s", b.device().pairs(), differ,
                    lever.label(), order));
        }
    }

    /**
     * The render kernel of {@code mode} against its _cuts build (the one the near-cut rows run) on the same scene: the
     * images bit for bit (error 0, else infinite). The flag bookkeeping must not change a value.
     */
    static Outcome forwardSameAsFlagged(CudaContext cuda, Size s, long seed, ExpMode mode) {
        Scene sc = scene(s, seed);
        try (CudaRasterizer a = new CudaRasterizer(cuda, false); CudaRasterizer b = new CudaRasterizer(cuda, false)) {
            a.device().expMode(mode);
            b.device().expMode(mode);
            b.device().flagNearCuts(true);
            RenderOutput ga = a.forward(sc.surfels(), sc.camera(), sc.settings());
            RenderOutput gb = b.forward(sc.surfels(), sc.camera(), sc.settings());
            int differ = bitsDiffer(ga.color(), gb.color()) + bitsDiffer(ga.others(), gb.others());
            return new Outcome(differ == 0 ? 0 : Double.POSITIVE_INFINITY, String.format(Locale.ROOT,
                    "%d entries, %d output values differ in their bits (%s)", b.device().pairs(), differ,
                    a.device().tuning().label()));
        }
    }

    private static int bitsDiffer(float[] x, float[] y) {
        int d = 0;
        for (int i = 0; i < x.length; i++) {
            d += Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i]) ? 1 : 0;
        }
        return d;
    }

    /** The lever's gradients against the default's on the same scene and upstream gradients. */
    static Outcome backwardSame(CudaContext cuda, Size s, long seed, RenderTuning base, RenderTuning lever) {
        Scene sc = scene(s, seed);
        float[] dColor = TissueScene.upstream(3, s.width(), s.height(), sc.random());
        float[] dOthers = TissueScene.upstream(RenderOutput.AUX_CHANNELS, s.width(), s.height(), sc.random());
        try (CudaRasterizer a = new CudaRasterizer(cuda, false); CudaRasterizer b = new CudaRasterizer(cuda, false)) {
            a.device().tuning(base);
            b.device().tuning(lever);
            RenderOutput ga = a.forward(sc.surfels(), sc.camera(), sc.settings());
            SurfelGradients da = a.backward(ga, dColor, dOthers);
            RenderOutput gb = b.forward(sc.surfels(), sc.camera(), sc.settings());
            SurfelGradients db = b.backward(gb, dColor, dOthers);
            Worst w = new Worst();
            w.take("positions", RelativeError.max(db.positions(), da.positions()));
            w.take("rotations", RelativeError.max(db.rotations(), da.rotations()));
            w.take("scales", RelativeError.max(db.scales(), da.scales()));
            w.take("opacities", RelativeError.max(db.opacities(), da.opacities()));
            w.take("colours", RelativeError.max(db.colors(), da.colors()));
            w.take("screen gradient", RelativeError.max(db.screenGradient(), da.screenGradient()));
            int differ = bitsDiffer(db.positions(), da.positions()) + bitsDiffer(db.rotations(), da.rotations())
                    + bitsDiffer(db.scales(), da.scales()) + bitsDiffer(db.opacities(), da.opacities())
                    + bitsDiffer(db.colors(), da.colors());
            return new Outcome(w.error, String.format(Locale.ROOT,
                    "%d entries, %s; %d gradient values differ in their bits, worst %s", b.device().pairs(),
                    lever.label(), differ, w.name));
        }
    }

    /**
     * fwd_footprint_probe on the (surfel, rectangle) pairs of a CPU binning (FootprintCases) against the Java twin:
     * every decision the same (error 0, else infinite); the detail also says how many pairs the bound rejects.
     */
    static Outcome footprintProbe(CudaContext cuda, Size s, long seed) {
        Scene sc = scene(s, seed);
        CpuStages.Result cpu = CpuStages.run(sc.surfels(), sc.camera(), sc.settings());
        FootprintCases.Cases c = FootprintCases.fromBinning(cpu, s.width(), 200_000, sc.random());
        int[] got = FootprintProbe.run(cuda, c);
        int differ = 0;
        int rejected = 0;
        for (int k = 0; k < c.count(); k++) {
            boolean twin = FootprintCases.misses(c, k);
            differ += (got[k] != 0) != twin ? 1 : 0;
            rejected += twin ? 1 : 0;
        }
        return new Outcome(differ == 0 && c.count() > 0 ? 0 : Double.POSITIVE_INFINITY, String.format(Locale.ROOT,
                "%d (surfel, rectangle) pairs, the twin rejects %d, device and twin differ at %d", c.count(), rejected,
                differ));
    }

    private record Scene(SurfelBatch surfels, Camera camera, RenderSettings settings, SplittableRandom random) {
    }

    private static Scene scene(Size s, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + s.surfels() + 31L * s.width());
        Camera camera = TissueScene.randomCamera(s.width(), s.height(), random);
        SurfelBatch surfels = TissueScene.surfels(s.surfels(), s.width(), s.height(), random);
        return new Scene(surfels, camera, TissueScene.settings(), random);
    }

    /** Radii and rectangles exact; record fields by group (box values beyond 1e29 are 'unbounded' on both sides). */
    static Outcome preprocess(CudaContext cuda, Size s, long seed) {
        Scene sc = scene(s, seed);
        int n = s.surfels();
        CpuStages.Result cpu = CpuStages.run(sc.surfels(), sc.camera(), sc.settings());
        try (CudaRasterizer gpu = new CudaRasterizer(cuda, false)) {
            RenderOutput out = gpu.forward(sc.surfels(), sc.camera(), sc.settings());
            Intermediates im = gpu.device().intermediates();
            int stride = LaunchGeometry.RECORD_FLOATS;
            float[] rec = new float[n * stride];
            im.records().copyTo(rec, rec.length);
            int radiiDiffer = 0;
            int rectsDiffer = 0;
            int visible = 0;
            int[][] groups = {{CpuStages.REC_A, 3}, {CpuStages.REC_B, 3}, {CpuStages.REC_C, 3},
                {CpuStages.REC_TW, 3}, {CpuStages.REC_CENTRE, 2}, {CpuStages.REC_OPACITY, 1},
                {CpuStages.REC_RHO_CUT, 1}, {CpuStages.REC_NORMAL, 3}, {CpuStages.REC_COLOR, 3},
                {CpuStages.REC_BOX, 4}, {CpuStages.REC_ANCHOR, 2}};
            String[] names = {"A", "B", "C", "Tw", "centre", "opacity", "rho cut", "normal", "colour", "box",
                "anchor"};
            float[][] g = new float[groups.length][];
            float[][] c = new float[groups.length][];
            for (int k = 0; k < groups.length; k++) {
                g[k] = new float[n * groups[k][1]];
                c[k] = new float[n * groups[k][1]];
            }
            for (int i = 0; i < n; i++) {
                if (out.radii()[i] != cpu.radii()[i]) {
                    radiiDiffer++;
                }
                if (cpu.touched()[i] == 0) {
                    continue;
                }
                visible++;
                for (int k = 0; k < 4; k++) {
                    if (Float.floatToRawIntBits(rec[i * stride + 28 + k]) != cpu.rects()[4 * i + k]) {
                        rectsDiffer++;
                        break;
                    }
                }
                for (int k = 0; k < groups.length; k++) {
                    for (int j = 0; j < groups[k][1]; j++) {
                        float gv = rec[i * stride + groups[k][0] + j];
                        float cv = cpu.records()[i * CpuStages.RECORD_FLOATS + groups[k][0] + j];
                        boolean unbounded = Math.abs(cv) > 1e29f && Math.abs(gv) > 1e29f && Math.signum(cv) == Math
                                .signum(gv);
                        g[k][i * groups[k][1] + j] = unbounded ? 0f : gv;
                        c[k][i * groups[k][1] + j] = unbounded ? 0f : cv;
                    }
                }
            }
            double worst = 0;
            String worstName = "";
            for (int k = 0; k < groups.length; k++) {
                double e = RelativeError.max(g[k], c[k]);
                if (e >= worst) {
                    worst = e;
                    worstName = names[k];
                }
            }
            if (radiiDiffer > 0 || rectsDiffer > 0) {
                worst = Double.POSITIVE_INFINITY;
            }
            return new Outcome(worst, String.format(Locale.ROOT,
                    "%d visible, radii differ %d, rectangles differ %d, worst field %s", visible, radiiDiffer,
                    rectsDiffer, worstName));
        }
    }

    /**
     * Every tile's list of surfel indices and (global depth order) the depth order after a second forward, compared
     * exactly (error 0 or infinite).
     */
    static Outcome binning(CudaContext cuda, Size s, long seed, DepthOrder depthOrder) {
        Scene sc = scene(s, seed);
        int n = s.surfels();
        CpuStages.Result cpu = CpuStages.run(sc.surfels(), sc.camera(), sc.settings());
        try (CudaRasterizer gpu = new CudaRasterizer(cuda, false)) {
            gpu.device().depthOrder(depthOrder);
            // twice: the first forward reads the entry count before binning, the second takes the default path
            // (deferred count, both graphs prepared before either is queued)
            gpu.forward(sc.surfels(), sc.camera(), sc.settings());
            gpu.forward(sc.surfels(), sc.camera(), sc.settings());
            Intermediates im = gpu.device().intermediates();
            int tiles = LaunchGeometry.tilesX(s.width()) * LaunchGeometry.tilesY(s.height());
            int pairs = im.pairs();
            int cpuPairs = cpu.tileSurfels().length;
            int visible = cpu.depthOrder().length;
            int orderDiffer = 0;
            if (im.depthOrder() != null) {
                int[] order = new int[n];
                im.depthOrder().copyTo(order, n);
                for (int k = 0; k < visible; k++) {
                    if (order[k] != cpu.depthOrder()[k]) {
                        orderDiffer++;
                    }
                }
            }
            int tilesDiffer = 0;
            if (pairs == cpuPairs) {
                int[] ranges = new int[2 * tiles];
                im.ranges().copyTo(ranges, ranges.length);
                int[] entries = new int[Math.max(1, pairs)];
                int[] surfel = new int[Math.max(1, pairs)];
                if (pairs > 0) {
                    im.tileEntries().copyTo(entries, pairs);
                    im.entrySurfel().copyTo(surfel, pairs);
                }
                for (int t = 0; t < tiles; t++) {
                    int[] want = Arrays.copyOfRange(cpu.tileSurfels(), cpu.tileStart()[t], cpu.tileStart()[t + 1]);
                    int start = ranges[2 * t];
                    int end = ranges[2 * t + 1];
                    int[] got = new int[Math.max(0, end - start)];
                    for (int j = 0; j < got.length; j++) {
                        got[j] = surfel[entries[start + j]];
                    }
                    if (!Arrays.equals(want, got)) {
                        tilesDiffer++;
                    }
                }
            }
            boolean same = pairs == cpuPairs && orderDiffer == 0 && tilesDiffer == 0;
            String order = im.depthOrder() != null ? String.format(Locale.ROOT, "depth order differs at %d of %d",
                    orderDiffer, visible) : "depth order per tile";
            return new Outcome(same ? 0 : Double.POSITIVE_INFINITY, String.format(Locale.ROOT,
                    "%d entries (cpu %d) in %d tiles, %s, %d tile lists differ", pairs, cpuPairs, tiles, order,
                    tilesDiffer));
        }
    }

    /** Colour and each AUX plane against CpuRasterizer; radii exact. */
    static Outcome forward(CudaContext cuda, Size s, long seed) {
        return forward(cuda, s, seed, RenderTuning.fromSystem());
    }

    /** As {@link #forward(CudaContext, Size, long)} with the render kernels' warp shape, lists and budget given. */
    static Outcome forward(CudaContext cuda, Size s, long seed, RenderTuning tuning) {
        Scene sc = scene(s, seed);
        try (CudaRasterizer gpu = new CudaRasterizer(cuda, false); CpuRasterizer cpu = new CpuRasterizer()) {
            gpu.device().tuning(tuning);
            // compared pixel for pixel, which only the double exp promises (-Dd2dgs.raster.exp may name another)
            gpu.device().expMode(ExpMode.DOUBLE);
            RenderOutput g = gpu.forward(sc.surfels(), sc.camera(), sc.settings());
            RenderOutput c = cpu.forward(sc.surfels(), sc.camera(), sc.settings());
            Worst w = new Worst();
            compareImages(g, c, w);
            int radiiDiffer = radiiDiffer(g, c);
            if (radiiDiffer > 0) {
                w.error = Double.POSITIVE_INFINITY;
            }
            return new Outcome(w.error, String.format(Locale.ROOT, "%d entries, radii differ %d, worst %s",
                    gpu.device().pairs(), radiiDiffer, w.name));
        }
    }

    /** Every gradient array and the screen gradient against CpuRasterizer, random upstream gradients. */
    static Outcome backward(CudaContext cuda, Size s, long seed, boolean aux) {
        return backward(cuda, s, seed, aux, ExpMode.DOUBLE);
    }

    static Outcome backward(CudaContext cuda, Size s, long seed, boolean aux, ExpMode exp) {
        return backward(cuda, s, seed, aux, exp, RenderTuning.fromSystem());
    }

    static Outcome backward(CudaContext cuda, Size s, long seed, boolean aux, ExpMode exp, RenderTuning tuning) {
        Scene sc = scene(s, seed);
        float[] dColor = TissueScene.upstream(3, s.width(), s.height(), sc.random());
        float[] dOthers = aux ? TissueScene.upstream(RenderOutput.AUX_CHANNELS, s.width(), s.height(), sc.random())
                : null;
        try (CudaRasterizer gpu = new CudaRasterizer(cuda, false); CpuRasterizer cpu = new CpuRasterizer()) {
            gpu.device().expMode(exp);
            gpu.device().tuning(tuning);
            RenderOutput g = gpu.forward(sc.surfels(), sc.camera(), sc.settings());
            RenderOutput c = cpu.forward(sc.surfels(), sc.camera(), sc.settings());
            SurfelGradients gg = gpu.backward(g, dColor, dOthers);
            SurfelGradients cg = cpu.backward(c, dColor, dOthers);
            Worst w = new Worst();
            w.take("positions", RelativeError.max(gg.positions(), cg.positions()));
            w.take("rotations", RelativeError.max(gg.rotations(), cg.rotations()));
            w.take("scales", RelativeError.max(gg.scales(), cg.scales()));
            w.take("opacities", RelativeError.max(gg.opacities(), cg.opacities()));
            w.take("colours", RelativeError.max(gg.colors(), cg.colors()));
            w.take("screen gradient", RelativeError.max(gg.screenGradient(), cg.screenGradient()));
            int radiiDiffer = radiiDiffer(g, c);
            if (radiiDiffer > 0) {
                w.error = Double.POSITIVE_INFINITY;
            }
            return new Outcome(w.error, String.format(Locale.ROOT, "%d entries, radii differ %d, worst %s",
                    gpu.device().pairs(), radiiDiffer, w.name));
        }
    }

    /**
     * The float-exp forward against the double twin: colour and AUX planes within the tolerance away from the cuts,
     * flips at the cuts counted (error +infinity when more than {@link NearCutComparison#MAX_FLIP_FRACTION} of the
     * pixels flip); radii exact.
     */
    static Outcome forwardNearCuts(CudaContext cuda, Size s, long seed, ExpMode exp) {
        Scene sc = scene(s, seed);
        try (CudaRasterizer gpu = new CudaRasterizer(cuda, false); CpuRasterizer cpu = new CpuRasterizer()) {
            gpu.device().expMode(exp);
            gpu.device().flagNearCuts(true);
            RenderOutput g = gpu.forward(sc.surfels(), sc.camera(), sc.settings());
            RenderOutput c = cpu.forward(sc.surfels(), sc.camera(), sc.settings());
            int hw = c.pixels();
            int[] flags = new int[hw];
            gpu.device().nearCutFlags().copyTo(flags, hw);
            NearCutComparison.Outcome o = NearCutComparison.compareRenders(g, c, flags, FORWARD_TOLERANCE);
            int radiiDiffer = radiiDiffer(g, c);
            boolean ok = radiiDiffer == 0 && o.flips() <= Math.floor(NearCutComparison.MAX_FLIP_FRACTION * hw);
            return new Outcome(ok ? o.maxRelError() : Double.POSITIVE_INFINITY, String.format(Locale.ROOT,
                    "%d entries, radii differ %d, %d of %d pixels near a cut, %d flipped there (worst %.2e, at most"
                    + " %d allowed), max rel error elsewhere %.2e (%s)", gpu.device().pairs(), radiiDiffer,
                    o.flagged(), hw, o.flips(), o.worstFlip(),
                    (int) Math.floor(NearCutComparison.MAX_FLIP_FRACTION * hw), o.maxRelError(),
                    NearCutComparison.renderPlaneName(o.worstPlane())));
        }
    }


    /**
     * The deferred entry count: one rasterizer renders the small scene (its first forward reads the count
     * synchronously and sizes the entry buffers), then the medium scene (more entries than the buffers hold: the
     * deferred count must see it and redo binning and render), then the small scene again (deferred, fits). Each
     * image against the twin; exactly one redo expected.
     */
    static Outcome deferredCount(CudaContext cuda, long seed) {
        Scene small = scene(SMALL, seed);
        Scene medium = scene(MEDIUM, seed);
        try (CudaRasterizer gpu = new CudaRasterizer(cuda, false); CpuRasterizer cpu = new CpuRasterizer()) {
            gpu.device().entryCount(DeviceRasterizer.EntryCount.DEFERRED);
            gpu.device().expMode(ExpMode.DOUBLE);
            Worst w = new Worst();
            int radiiDiffer = 0;
            int[] entries = new int[3];
            Scene[] order = {small, medium, small};
            for (int k = 0; k < order.length; k++) {
                Scene sc = order[k];
                RenderOutput g = gpu.forward(sc.surfels(), sc.camera(), sc.settings());
                RenderOutput c = cpu.forward(sc.surfels(), sc.camera(), sc.settings());
                entries[k] = gpu.device().pairs();
                compareImages(g, c, w);
                radiiDiffer += radiiDiffer(g, c);
            }
            int redos = gpu.device().overflowRedos();
            if (radiiDiffer > 0 || redos != 1) {
                w.error = Double.POSITIVE_INFINITY;
            }
            return new Outcome(w.error, String.format(Locale.ROOT,
                    "entries %d, %d, %d; overflow redos %d (1 expected), radii differ %d, worst %s", entries[0],
                    entries[1], entries[2], redos, radiiDiffer, w.name));
        }
    }

    private static void compareImages(RenderOutput g, RenderOutput c, Worst w) {
        int hw = c.pixels();
        w.take("colour", RelativeError.max(g.color(), c.color()));
        String[] names = {"depth sum", "alpha", "normal x", "normal y", "normal z", "median depth", "distortion"};
        for (int k = 0; k < RenderOutput.AUX_CHANNELS; k++) {
            w.take(names[k], RelativeError.max(Arrays.copyOfRange(g.others(), k * hw, (k + 1) * hw),
                    Arrays.copyOfRange(c.others(), k * hw, (k + 1) * hw)));
        }
    }

    private static int radiiDiffer(RenderOutput g, RenderOutput c) {
        int d = 0;
        for (int i = 0; i < c.radii().length; i++) {
            if (g.radii()[i] != c.radii()[i]) {
                d++;
            }
        }
        return d;
    }

    private static final class Worst {
        double error;
        String name = "";

        void take(String what, double e) {
            if (!(e <= error)) {
                error = e;
                name = String.format(Locale.ROOT, "%s %.2e", what, e);
            }
        }
    }

    record Outcome(double error, String detail) {
    }

    private interface Body {
        Outcome run(CudaContext cuda, long seed);
    }

    private static KernelCheck check(String name, double tolerance, Body body) {
        return new KernelCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run(CudaContext cuda, long seed) {
                Outcome o = body.run(cuda, seed);
                return CheckResult.of(name, o.error(), tolerance, o.detail());
            }
        };
    }
}
