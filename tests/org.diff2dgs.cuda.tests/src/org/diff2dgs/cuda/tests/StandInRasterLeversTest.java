package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.FatbinSource;
import org.diff2dgs.cuda.internal.parity.CheckResult;
import org.diff2dgs.cuda.internal.parity.KernelCheck;
import org.diff2dgs.cuda.internal.parity.KernelCheckRunner;
import org.diff2dgs.cuda.internal.parity.KernelChecks;
import org.diff2dgs.cuda.internal.raster.FootprintBound;
import org.diff2dgs.cuda.internal.raster.FootprintCases;
import org.diff2dgs.cuda.internal.raster.FootprintProbe;
import org.diff2dgs.cuda.internal.raster.LaunchGeometry;
import org.diff2dgs.cuda.internal.raster.RasterKernelArgs;
import org.diff2dgs.cuda.internal.raster.TileOrder;
import org.diff2dgs.cuda.internal.raster.TissueScene;
import org.diff2dgs.splat.internal.CpuStages;
import org.junit.jupiter.api.Test;

/**
 * The rasterizer levers' kernels that the CPU stand-in runs from their own headers (binning_tile_order from
 * tile_order.cuh, fwd_footprint_probe from footprint.cuh) through the whole host path, against the Java twins
 * TileOrder and FootprintBound; and the footprint probe's parity row of d2dgs selftest. Stand-in JVM only.
 */
class StandInRasterLeversTest {

    private static void requireStandIn() {
        assumeTrue(System.getenv("D2DGS_CUDA_STAND_IN") != null, "runs in the stand-in driver's test JVM only");
    }

    private static FatbinSource kernels() {
        return CudaContext.class.getResource("/fatbin/modules.txt") != null ? FatbinSource.bundled()
                : FatbinSource.folder(CudaBundleFiles.bundle().resolve("fatbin"));
    }

    @Test
    void tileOrderKernelIsTheTwinsOrder() {
        requireStandIn();
        SplittableRandom random = new SplittableRandom(5);
        int tiles = 1280;
        int[] ranges = new int[2 * tiles];
        int at = 0;
        for (int t = 0; t < tiles; t++) {
            // empty tiles, a few entries, and a heavy tail up to 5000
            int n = random.nextInt(10) == 0 ? 0 : (int) Math.exp(random.nextDouble() * Math.log(5000));
            ranges[2 * t] = at;
            ranges[2 * t + 1] = at + n;
            at += n;
        }
        try (CudaContext cuda = CudaContext.open(kernels());
                DeviceBuffer r = cuda.upload(ranges, "ranges");
                DeviceBuffer o = cuda.allocate(4L * tiles, "order")) {
            cuda.kernel("binning_tile_order").launch(1, 1, 1, LaunchGeometry.TILE_ORDER_THREADS, 1, 1, 0,
                    RasterKernelArgs.tileOrder(tiles, r, o));
            int[] got = new int[tiles];
            o.copyTo(got);
            assertArrayEquals(TileOrder.order(ranges, tiles), got);
            assertNull(TileOrder.problem(got, ranges, tiles));
            int[] counts = TileOrder.counts(ranges, tiles);
            assertTrue(counts[got[0]] >= counts[got[tiles / 2]] && counts[got[tiles - 1]] == 0);
        }
    }

    @Test
    void footprintProbeIsTheTwinBitForBit() {
        requireStandIn();
        SplittableRandom random = new SplittableRandom(9);
        CpuStages.Result cpu = CpuStages.run(FootprintBoundTest.obliqueScene(2000, random),
                TissueScene.frontCamera(160, 128), TissueScene.settings());
        FootprintCases.Cases c = FootprintCases.fromBinning(cpu, 160, 100_000, random);
        try (CudaContext cuda = CudaContext.open(kernels())) {
            int[] got = FootprintProbe.run(cuda, c);
            int rejected = 0;
            for (int k = 0; k < c.count(); k++) {
                assertEquals(FootprintCases.misses(c, k) ? 1 : 0, got[k], "case " + k);
                rejected += got[k];
            }
            assertTrue(c.count() > 10_000 && rejected > 1000, c.count() + " cases, " + rejected + " rejected");
            assertEquals(FootprintBound.SURFEL_FLOATS * c.count(), c.surfels().length);
        }
    }

    @Test
    void footprintParityRowRunsOnTheStandIn() {
        requireStandIn();
        try (CudaContext cuda = CudaContext.open(kernels())) {
            List<KernelCheck> rows = KernelChecks.all().stream().filter(c -> c.name().startsWith("fwd_footprint_probe"))
                    .toList();
            assertEquals(1, rows.size());
            List<CheckResult> results = KernelCheckRunner.runAll(cuda, rows, 1);
            for (CheckResult r : results) {
                assertTrue(r.passed(), r.toString());
            }
        }
    }
}
