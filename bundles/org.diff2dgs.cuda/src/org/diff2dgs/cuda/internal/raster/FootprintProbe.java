package org.diff2dgs.cuda.internal.raster;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/** Runs fwd_footprint_probe (rasterize_forward.cu) on a set of (surfel, rectangle) pairs: 1 where the bound rejects. */
public final class FootprintProbe {

    private FootprintProbe() {
    }

    public static int[] run(CudaContext cuda, FootprintCases.Cases c) {
        int n = c.count();
        int[] out = new int[Math.max(1, n)];
        if (n == 0) {
            return new int[0];
        }
        try (DeviceBuffer s = cuda.upload(c.surfels(), "footprint probe surfels");
                DeviceBuffer r = cuda.upload(c.rects(), "footprint probe rectangles");
                DeviceBuffer m = cuda.allocate(4L * n, "footprint probe decisions")) {
            cuda.kernel("fwd_footprint_probe").launch(LaunchGeometry.blocks(n, LaunchGeometry.ITEM_THREADS), 1, 1,
                    LaunchGeometry.ITEM_THREADS, 1, 1, 0, RasterKernelArgs.footprintProbe(n, s, r, m));
            m.copyTo(out);
        }
        return out;
    }
}
