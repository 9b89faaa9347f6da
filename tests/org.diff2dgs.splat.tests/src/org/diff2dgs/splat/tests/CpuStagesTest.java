package org.diff2dgs.splat.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.splat.internal.CpuRasterizer;
import org.diff2dgs.splat.internal.CpuStages;
import org.junit.jupiter.api.Test;

/** The stage view other backends are checked against is the rasterizer's own binning: consistent and complete. */
class CpuStagesTest {

    @Test
    void tileListsAreTheRenderedSurfelsInDepthOrder() {
        Camera cam = TestScenes.camera(50, 37, 4);
        SurfelBatch batch = TestScenes.scene(8, 120, cam, 0.9).toBatch();
        CpuStages.Result s = CpuStages.run(batch, cam, TestScenes.SETTINGS);
        try (CpuRasterizer r = new CpuRasterizer(1)) {
            RenderOutput out = r.forward(batch, cam, TestScenes.SETTINGS);
            assertArrayEquals(out.radii(), s.radii(), "radii as the rasterizer reports them");
        }
        int n = batch.count();
        int tilesX = (50 + 15) / 16;
        int tiles = tilesX * ((37 + 15) / 16);
        assertEquals(tiles + 1, s.tileStart().length);
        int[] seen = new int[n];
        int visible = 0;
        int entries = 0;
        for (int i = 0; i < n; i++) {
            if (s.touched()[i] > 0) {
                visible++;
                entries += area(s.rects(), i);
                assertTrue(area(s.rects(), i) <= s.touched()[i], "the binning rectangle lies in the 3-sigma one");
                assertTrue(s.radii()[i] > 0);
            }
        }
        assertTrue(visible > n / 2, visible + " visible");
        assertEquals(visible, s.depthOrder().length);
        assertEquals(entries, s.tileSurfels().length);
        for (int k = 1; k < visible; k++) {
            float a = s.depth()[s.depthOrder()[k - 1]];
            float b = s.depth()[s.depthOrder()[k]];
            assertTrue(a < b || a == b && s.depthOrder()[k - 1] < s.depthOrder()[k], "depth order at " + k);
        }
        for (int t = 0; t < tiles; t++) {
            int tx = t % tilesX;
            int ty = t / tilesX;
            for (int p = s.tileStart()[t]; p < s.tileStart()[t + 1]; p++) {
                int i = s.tileSurfels()[p];
                seen[i]++;
                int[] r = s.rects();
                assertTrue(tx >= r[4 * i] && tx < r[4 * i + 2] && ty >= r[4 * i + 1] && ty < r[4 * i + 3],
                        "surfel " + i + " listed in tile " + t + " outside its rectangle");
                if (p > s.tileStart()[t]) {
                    int prev = s.tileSurfels()[p - 1];
                    assertTrue(s.depth()[prev] < s.depth()[i] || s.depth()[prev] == s.depth()[i] && prev < i,
                            "tile " + t + " out of depth order");
                }
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(s.touched()[i] > 0 ? area(s.rects(), i) : 0, seen[i], "surfel " + i
                    + " listed once per tile of its binning rectangle");
        }
    }

    /**
     * The binning rectangle is the 3-sigma one narrowed to the tiles the pixel box reaches: every column and row of
     * it holds a pixel centre of the box (the test the tile loops make), and on a scene of mixed opacities the
     * narrowing leaves out entries.
     */
    @Test
    void binningRectanglesKeepOnlyTilesTheBoxReaches() {
        Camera cam = TestScenes.camera(96, 80, 3);
        SurfelBatch batch = TestScenes.scene(17, 400, cam, 0.9).toBatch();
        CpuStages.Result s = CpuStages.run(batch, cam, TestScenes.SETTINGS);
        int[] r = s.rects();
        float[] rec = s.records();
        long touched = 0;
        long binned = 0;
        for (int i = 0; i < batch.count(); i++) {
            if (s.touched()[i] == 0) {
                continue;
            }
            touched += s.touched()[i];
            binned += area(r, i);
            int o = i * CpuStages.RECORD_FLOATS;
            float ax = rec[o + CpuStages.REC_ANCHOR];
            float ay = rec[o + CpuStages.REC_ANCHOR + 1];
            for (int tx = r[4 * i]; tx < r[4 * i + 2]; tx++) {
                assertTrue(boxReaches(tx, rec[o + CpuStages.REC_BOX], rec[o + CpuStages.REC_BOX + 2], ax),
                        "surfel " + i + ": column " + tx + " holds no pixel of its box");
            }
            for (int ty = r[4 * i + 1]; ty < r[4 * i + 3]; ty++) {
                assertTrue(boxReaches(ty, rec[o + CpuStages.REC_BOX + 1], rec[o + CpuStages.REC_BOX + 3], ay),
                        "surfel " + i + ": row " + ty + " holds no pixel of its box");
            }
        }
        assertTrue(binned < touched, binned + " entries of " + touched + " 3-sigma tiles");
    }

    /** Whether tile column (or row) t holds a pixel centre index + 0.5 of [lo, hi] (anchor-relative, float). */
    private static boolean boxReaches(int t, float lo, float hi, float anchor) {
        float d = (float) (16.0 * t - anchor);
        return Math.max(0, Math.ceil((lo - d) - 0.5)) <= Math.min(15, Math.floor((hi - d) - 0.5));
    }

    private static int area(int[] r, int i) {
        return (r[4 * i + 2] - r[4 * i]) * (r[4 * i + 3] - r[4 * i + 1]);
    }
}
