package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.raster.TissueScene;
import org.diff2dgs.splat.internal.CpuRasterizer;
import org.junit.jupiter.api.Test;

/** The benchmark and parity scene is what its documentation says: dense, in view, varied, reproducible. */
class TissueSceneTest {

    @Test
    void sameSeedSameScene() {
        SurfelBatch a = TissueScene.surfels(500, 64, 48, new SplittableRandom(5));
        SurfelBatch b = TissueScene.surfels(500, 64, 48, new SplittableRandom(5));
        assertArrayEquals(a.positions(), b.positions());
        assertArrayEquals(a.rotations(), b.rotations());
        assertArrayEquals(a.colors(), b.colors());
    }

    @Test
    void benchmarkSurfelsAreNearlyAllInTheFrontView() {
        int n = 4000;
        SurfelBatch s = TissueScene.surfels(n, 80, 64, 1.0, new SplittableRandom(3));
        try (CpuRasterizer r = new CpuRasterizer(1)) {
            RenderOutput out = r.forward(s, TissueScene.frontCamera(80, 64), TissueScene.settings());
            int culled = 0;
            for (int i = 0; i < n; i++) {
                culled += out.radii()[i] == 0 ? 1 : 0;
            }
            assertTrue(culled >= n / 89 - 2 && culled < n / 20, culled + " culled");
        }
    }

    @Test
    void coversTheViewAndExercisesCulling() {
        int n = 6000;
        SplittableRandom random = new SplittableRandom(11);
        SurfelBatch s = TissueScene.surfels(n, 96, 80, random);
        Camera camera = TissueScene.randomCamera(96, 80, random);
        try (CpuRasterizer r = new CpuRasterizer(1)) {
            RenderOutput out = r.forward(s, camera, TissueScene.settings());
            int hw = out.pixels();
            double alpha = 0;
            for (int i = 0; i < hw; i++) {
                alpha += out.others()[RenderOutput.AUX_ALPHA * hw + i];
            }
            alpha /= hw;
            assertTrue(alpha > 0.9, "mean alpha " + alpha);
            int culled = 0;
            for (int i = 0; i < n; i++) {
                culled += out.radii()[i] == 0 ? 1 : 0;
            }
            assertTrue(culled >= n / 89 - 2, culled + " culled");  // at least those behind the camera
            assertTrue(culled < n / 2, culled + " culled");
        }
        double minNorm = Double.MAX_VALUE;
        double maxNorm = 0;
        float minOpacity = 1;
        float maxOpacity = 0;
        for (int i = 0; i < n; i++) {
            float[] q = s.rotations();
            double norm = Math.sqrt(q[4 * i] * q[4 * i] + q[4 * i + 1] * q[4 * i + 1] + q[4 * i + 2] * q[4 * i + 2]
                    + q[4 * i + 3] * q[4 * i + 3]);
            minNorm = Math.min(minNorm, norm);
            maxNorm = Math.max(maxNorm, norm);
            minOpacity = Math.min(minOpacity, s.opacities()[i]);
            maxOpacity = Math.max(maxOpacity, s.opacities()[i]);
        }
        assertTrue(minNorm < 0.6 && maxNorm > 1.9, "quaternion norms " + minNorm + ".." + maxNorm);
        assertTrue(minOpacity < 0.03 && maxOpacity > 0.98, "opacities " + minOpacity + ".." + maxOpacity);
    }
}
