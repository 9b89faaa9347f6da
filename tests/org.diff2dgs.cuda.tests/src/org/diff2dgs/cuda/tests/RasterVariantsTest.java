package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diff2dgs.cuda.internal.raster.DeviceRasterizer.DepthOrder;
import org.diff2dgs.cuda.internal.raster.DeviceRasterizer.EntryCount;
import org.diff2dgs.cuda.internal.raster.ExpMode;
import org.diff2dgs.cuda.internal.raster.RasterBench.Variant;
import org.diff2dgs.cuda.internal.raster.RenderTuning;
import org.junit.jupiter.api.Test;

/** The system properties that select rasterizer variants for one device run (docs/rasterizer-cuda.md). */
class RasterVariantsTest {

    @Test
    void expModesNameTheirKernelsAndParseCaseInsensitively() {
        assertEquals(ExpMode.DOUBLE, ExpMode.parse("double"));
        assertEquals(ExpMode.FLOAT, ExpMode.parse(" Float "));
        assertEquals(ExpMode.FAST, ExpMode.parse("FAST"));
        assertEquals("fwd_render", ExpMode.DOUBLE.forwardKernel());
        assertEquals("bwd_render_expf", ExpMode.FLOAT.backwardKernel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpMode.parse("half"));
        assertTrue(e.getMessage().contains(ExpMode.PROPERTY), e.getMessage());
    }

    @Test
    void variantListStartsWithTheDefaultAndKeepsTheOrderGiven() {
        List<Variant> v = Variant.parse("exp=float, entryCount=sync,exp=fast");
        assertEquals(4, v.size());
        assertEquals("default", v.get(0).label());
        assertEquals(ExpMode.FLOAT, v.get(1).exp());
        assertEquals("exp=float", v.get(1).label());
        assertEquals(EntryCount.SYNC, v.get(2).entryCount());
        assertEquals(v.get(0).exp(), v.get(2).exp(), "a variant changes only what it names");
        assertEquals(ExpMode.FAST, v.get(3).exp());
        Variant graph = Variant.parse("graph=off").get(1);
        assertFalse(graph.graphs());
        assertEquals(v.get(0).entryCount(), graph.entryCount());
    }

    @Test
    void plusJoinsChangesIntoOneVariant() {
        List<Variant> v = Variant.parse("graph=on+exp=float, entryCount=sync + exp=fast");
        assertEquals(3, v.size());
        assertEquals("graph=on+exp=float", v.get(1).label());
        assertTrue(v.get(1).graphs());
        assertEquals(ExpMode.FLOAT, v.get(1).exp());
        assertEquals(EntryCount.SYNC, v.get(2).entryCount());
        assertEquals(ExpMode.FAST, v.get(2).exp());
    }

    @Test
    void depthOrderIsAVariantOfItsOwn() {
        List<Variant> v = Variant.parse("depthOrder=global, exp=float + depthOrder=TILES");
        assertEquals(DepthOrder.TILES, v.get(0).depthOrder(), "the per-tile order is the default");
        assertEquals(DepthOrder.GLOBAL, v.get(1).depthOrder());
        assertEquals(v.get(0).tuning(), v.get(1).tuning(), "a variant changes only what it names");
        assertEquals(DepthOrder.TILES, v.get(2).depthOrder());
        assertEquals(ExpMode.FLOAT, v.get(2).exp());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DepthOrder.parse("onesweep", "-D" + DepthOrder.PROPERTY));
        assertTrue(e.getMessage().contains("d2dgs.raster.depthOrder"), e.getMessage());
    }

    @Test
    void theDefaultVariantsParse() {
        assertEquals(14, Variant.parse(org.diff2dgs.cuda.internal.raster.RasterBench.DEFAULT_VARIANTS).size());
    }

    @Test
    void noneMeansTheDefaultOnly() {
        assertEquals(1, Variant.parse("none").size());
        assertEquals(1, Variant.parse(" ").size());
    }

    @Test
    void badVariantsNameTheProperty() {
        for (String bad : List.of("exp", "exp=half", "graph=maybe", "tiles=32", "entryCount=later", "warp=4x8",
                "sparse=33", "sparse=-1", "sparse=some", "blocks=2", "cull=maybe", "bwdBlocks=4", "bwdBlocks=1",
                "bwdBlocks=all", "bwdTools=maybe", "tileOrder=light", "fpcull=maybe", "depthOrder=onesweep")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse(bad), bad);
            assertTrue(e.getMessage().contains("d2dgs.bench.rasterVariants"), e.getMessage());
        }
    }

    @Test
    void warpShapeAndSparseLimitAreVariantsAndKernelFlags() {
        List<Variant> v = Variant.parse("warp=16x2+sparse=0+cull=off+blocks=4, sparse=8, warp=8x4");
        assertEquals(new RenderTuning(false, false, 0, 4, 3, true).withTileOrderHeavy(true), v.get(1).tuning());
        assertEquals(v.get(0).tuning().warpCull(), v.get(3).tuning().warpCull());
        assertEquals(v.get(0).tuning().warpBlocks(), v.get(2).tuning().warpBlocks(),
                "a variant changes only what it names");
        assertEquals(8, v.get(2).tuning().sparseLanes());
        assertTrue(v.get(3).tuning().warpBlocks());
        assertEquals(v.get(0).exp(), v.get(1).exp());
        // raster_common.cuh: RENDER_WARP_BLOCKS = 1, the sparse limit in bits 8..15
        // raster_common.cuh: RENDER_WARP_CULL = 2
        assertEquals(0, new RenderTuning(false, false, 0, 3, 3, true).flags());
        assertEquals(1 | 2 | (4 << 8), new RenderTuning(true, true, 4, 3, 3, true).flags());
        assertEquals(32 << 8, new RenderTuning(false, false, 32, 4, 3, true).flags());
        assertEquals("fwd_render_expf_b4", new RenderTuning(true, true, 4, 4, 3, true).forwardKernel(ExpMode.FLOAT));
        assertEquals("fwd_render", new RenderTuning(true, true, 4, 3, 3, true).forwardKernel(ExpMode.DOUBLE));
        assertThrows(IllegalArgumentException.class, () -> new RenderTuning(true, true, 33, 3, 3, true));
        assertThrows(IllegalArgumentException.class, () -> new RenderTuning(true, true, 4, 5, 3, true));
        assertThrows(IllegalArgumentException.class, () -> new RenderTuning(true, true, 4, 3, 4, true));
    }

    @Test
    void backwardRegisterBudgetIsAVariantAndNamesItsKernel() {
        List<Variant> v = Variant.parse("bwdBlocks=0+cull=off+sparse=0, bwdBlocks=2");
        assertEquals(new RenderTuning(v.get(0).tuning().warpBlocks(), false, 0, v.get(0).tuning().forwardBlocks(), 0,
                true).withTileOrderHeavy(v.get(0).tuning().tileOrderHeavy()), v.get(1).tuning());
        assertEquals(2, v.get(2).tuning().backwardBlocks());
        assertEquals(v.get(0).tuning().sparseLanes(), v.get(2).tuning().sparseLanes(),
                "a variant changes only what it names");
        // rasterize_backward.cu: 3 blocks per SM without suffix, _b2, _b0 (no minimum)
        RenderTuning t = new RenderTuning(false, true, 4, 3, 3, true);
        assertEquals("bwd_render", t.backwardKernel(ExpMode.DOUBLE));
        assertEquals("bwd_render_expf_b2", t.withBackwardBlocks(2).backwardKernel(ExpMode.FLOAT));
        assertEquals("bwd_render_fastexp_b0", t.withBackwardBlocks(0).backwardKernel(ExpMode.FAST));
        assertEquals("fwd_render", t.withBackwardBlocks(0).forwardKernel(ExpMode.DOUBLE),
                "the backward's budget leaves the forward kernel alone");
        assertTrue(t.withBackwardBlocks(0).label().endsWith("bwdBlocks=0 bwdTools=on"),
                t.withBackwardBlocks(0).label());
        // the build without warp tools (run 2's shape) exists for double exp only
        RenderTuning plain = t.withBackwardWarpTools(false);
        assertEquals("bwd_render_plain", plain.backwardKernel(ExpMode.DOUBLE));
        assertEquals("bwd_render_plain_b0", plain.withBackwardBlocks(0).backwardKernel(ExpMode.DOUBLE));
        assertEquals("bwd_render_plain_b2", plain.withBackwardBlocks(2).backwardKernel(ExpMode.DOUBLE));
        assertThrows(IllegalArgumentException.class, () -> plain.backwardKernel(ExpMode.FLOAT));
        Variant runTwo = Variant.parse("bwdTools=off+bwdBlocks=0+exp=double").get(1);
        assertEquals("bwd_render_plain_b0", runTwo.tuning().backwardKernel(runTwo.exp()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Variant.parse("bwdTools=off+exp=float"));
        assertTrue(e.getMessage().contains("d2dgs.bench.rasterVariants"), e.getMessage());
    }

    @Test
    void defaultVariantsSeparateTheCausesOfTheBackwardRegression() {
        // docs/benchmarks/gpu.md run 4: the sparse atomics were run 3's backward regression; run 5: scratch rows for
        // up to 4 lanes are the default; the bench keeps the transpose-only backward beside it, the register budgets
        // and the float render modes
        List<String> labels = Variant.parse(org.diff2dgs.cuda.internal.raster.RasterBench.DEFAULT_VARIANTS).stream()
                .map(Variant::label).toList();
        for (String needed : List.of("sparse=0", "bwdBlocks=0", "bwdBlocks=2", "exp=float", "exp=double",
                "graph=off", "warp=16x2", "blocks=3")) {
            assertTrue(labels.contains(needed), needed + " in " + labels);
        }
        assertEquals(4, RenderTuning.DEFAULT_SPARSE_LANES, "scratch rows for up to 4 lanes (run 5)");
        Variant runTwo = Variant.parse("bwdBlocks=0+cull=off+sparse=0").get(1);
        assertEquals(0, runTwo.tuning().backwardBlocks());
        assertEquals(false, runTwo.tuning().warpCull());
        assertEquals(0, runTwo.tuning().sparseLanes());
    }

    @Test
    void heavyTileOrderAndFootprintTestAreVariantsFlagsAndKernels() {
        List<Variant> v = Variant.parse("tileOrder=raster, fpcull=on, tileOrder=raster+fpcull=on+bwdBlocks=2,"
                + " fpcull=on+bwdTools=off+exp=double, tileOrder=heavy");
        RenderTuning d = v.get(0).tuning();
        assertEquals(true, d.tileOrderHeavy(), "default: heaviest tiles first (run 6)");
        assertEquals(false, d.footprintCull(), "default: no footprint test");
        assertEquals(d.withTileOrderHeavy(false), v.get(1).tuning(), "a variant changes only what it names");
        assertEquals(d.withFootprintCull(true), v.get(2).tuning());
        assertEquals(d.withTileOrderHeavy(false).withFootprintCull(true).withBackwardBlocks(2), v.get(3).tuning());
        assertEquals(d, v.get(5).tuning());
        assertEquals(ExpMode.DOUBLE, v.get(4).exp());
        // raster_common.cuh RENDER_FOOTPRINT_CULL = 4; the order is a kernel argument, not a flag
        assertEquals(d.flags() | 4, v.get(2).tuning().flags());
        assertEquals(d.flags(), v.get(1).tuning().flags());
        // rasterize_backward.cu: the footprint test is compiled into the _fp kernels (before the budget's suffix)
        assertEquals("bwd_render_fp", v.get(2).tuning().backwardKernel(ExpMode.DOUBLE));
        assertEquals("bwd_render_fp_b2", v.get(3).tuning().backwardKernel(ExpMode.DOUBLE));
        assertEquals("bwd_render_expf_fp_b0", d.withFootprintCull(true).withBackwardBlocks(0)
                .backwardKernel(ExpMode.FLOAT));
        assertEquals("bwd_render_plain", v.get(4).tuning().backwardKernel(ExpMode.DOUBLE),
                "without the warp tools the backward has no vote to test in");
        assertEquals("fwd_render_b4", v.get(2).tuning().forwardKernel(ExpMode.DOUBLE),
                "forward: a run-time option (4 blocks per SM by default)");
        assertTrue(v.get(2).tuning().label().endsWith("tileOrder=heavy fpcull=on"), v.get(2).tuning().label());
        assertTrue(v.get(3).tuning().label().endsWith("bwdTools=on fpcull=on"), v.get(3).tuning().label());
        String order = System.getProperty(RenderTuning.TILE_ORDER_PROPERTY);
        String footprint = System.getProperty(RenderTuning.FOOTPRINT_PROPERTY);
        try {
            System.setProperty(RenderTuning.TILE_ORDER_PROPERTY, " Heavy");
            System.setProperty(RenderTuning.FOOTPRINT_PROPERTY, "on");
            RenderTuning t = RenderTuning.fromSystem();
            assertTrue(t.tileOrderHeavy() && t.footprintCull());
            System.setProperty(RenderTuning.TILE_ORDER_PROPERTY, "random");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, RenderTuning::fromSystem);
            assertTrue(e.getMessage().contains(RenderTuning.TILE_ORDER_PROPERTY), e.getMessage());
        } finally {
            restore(RenderTuning.TILE_ORDER_PROPERTY, order);
            restore(RenderTuning.FOOTPRINT_PROPERTY, footprint);
        }
    }

    @Test
    void tuningPropertiesHaveDefaultsAndClearErrors() {
        String warp = System.getProperty(RenderTuning.WARP_PROPERTY);
        String sparse = System.getProperty(RenderTuning.SPARSE_PROPERTY);
        String bwd = System.getProperty(RenderTuning.BACKWARD_BLOCKS_PROPERTY);
        try {
            System.clearProperty(RenderTuning.WARP_PROPERTY);
            System.clearProperty(RenderTuning.SPARSE_PROPERTY);
            System.clearProperty(RenderTuning.BACKWARD_BLOCKS_PROPERTY);
            assertEquals(new RenderTuning(true, true, RenderTuning.DEFAULT_SPARSE_LANES, 4, 3, true, true, false),
                    RenderTuning.fromSystem(), "8x4 warps, forward for 4 blocks per SM, heavy tiles first (run 6)");
            System.setProperty(RenderTuning.WARP_PROPERTY, "16X2");
            System.setProperty(RenderTuning.SPARSE_PROPERTY, " 0 ");
            assertEquals(new RenderTuning(false, true, 0, 4, 3, true, true, false), RenderTuning.fromSystem());
            System.setProperty(RenderTuning.BACKWARD_BLOCKS_PROPERTY, "0");
            assertEquals(new RenderTuning(false, true, 0, 4, 0, true, true, false), RenderTuning.fromSystem());
            System.setProperty(RenderTuning.BACKWARD_BLOCKS_PROPERTY, "4");
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class, RenderTuning::fromSystem);
            assertTrue(b.getMessage().contains(RenderTuning.BACKWARD_BLOCKS_PROPERTY), b.getMessage());
            System.clearProperty(RenderTuning.BACKWARD_BLOCKS_PROPERTY);
            System.setProperty(RenderTuning.SPARSE_PROPERTY, "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, RenderTuning::fromSystem);
            assertTrue(e.getMessage().contains(RenderTuning.SPARSE_PROPERTY), e.getMessage());
        } finally {
            restore(RenderTuning.WARP_PROPERTY, warp);
            restore(RenderTuning.SPARSE_PROPERTY, sparse);
            restore(RenderTuning.BACKWARD_BLOCKS_PROPERTY, bwd);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** The float render modes pass their parity rows on the H100 (run 4): offered like double; a typo is refused. */
    @Test
    void floatExpModesAreOfferedAndATypoIsRefused() {
        String exp = ExpMode.PROPERTY;
        try {
            System.clearProperty(exp);
            assertEquals(ExpMode.FAST, ExpMode.fromSystem(), "fast by default (run 6)");
            System.setProperty(exp, "double");
            assertEquals(ExpMode.DOUBLE, ExpMode.fromSystem());
            System.setProperty(exp, "float");
            assertEquals(ExpMode.FLOAT, ExpMode.fromSystem());
            System.setProperty(exp, " FAST ");
            assertEquals(ExpMode.FAST, ExpMode.fromSystem());
            System.setProperty(exp, "half");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ExpMode::fromSystem);
            assertTrue(e.getMessage().contains(exp) && e.getMessage().contains("double, float or fast"),
                    e.getMessage());
        } finally {
            System.clearProperty(exp);
        }
    }
}
