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
                entries += s.touched()[i];
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
            assertEquals(s.touched()[i], seen[i], "surfel " + i + " listed once per touched tile");
        }
    }
}
