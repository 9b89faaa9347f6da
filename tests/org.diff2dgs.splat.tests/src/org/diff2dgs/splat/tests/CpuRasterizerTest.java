package org.diff2dgs.splat.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.splat.internal.CpuBackend;
import org.diff2dgs.splat.internal.CpuRasterizer;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Scene;
import org.junit.jupiter.api.Test;

/** Contract of the CPU rasterizer: determinism, buffer reuse, misuse errors, edge cases, the DS backend. */
class CpuRasterizerTest {

    private static final int W = 40;
    private static final int H = 33;

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Camera cam = TestScenes.camera(W, H, 1);
        SurfelBatch batch = TestScenes.scene(5, 80, cam, 0.95).toBatch();
        float[] dColor = TestScenes.toFloat(TestScenes.gaussian(1, 3 * W * H));
        float[] dOthers = TestScenes.toFloat(TestScenes.gaussian(2, RenderOutput.AUX_CHANNELS * W * H));
        RenderOutput first = null;
        SurfelGradients firstGrad = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (CpuRasterizer r = new CpuRasterizer(threads)) {
                RenderOutput out = r.forward(batch, cam, TestScenes.SETTINGS);
                SurfelGradients g = r.backward(out, dColor, dOthers);
                if (first == null) {
                    first = out;
                    firstGrad = g;
                    continue;
                }
                assertArrayEquals(first.color(), out.color(), "color, threads " + threads);
                assertArrayEquals(first.others(), out.others(), "others, threads " + threads);
                assertArrayEquals(firstGrad.positions(), g.positions(), "positions, threads " + threads);
                assertArrayEquals(firstGrad.rotations(), g.rotations(), "rotations, threads " + threads);
                assertArrayEquals(firstGrad.scales(), g.scales(), "scales, threads " + threads);
                assertArrayEquals(firstGrad.opacities(), g.opacities(), "opacities, threads " + threads);
                assertArrayEquals(firstGrad.colors(), g.colors(), "colors, threads " + threads);
                assertArrayEquals(firstGrad.screenGradient(), g.screenGradient(), "screen, threads " + threads);
            }
        }
    }

    @Test
    void reusedBuffersGiveTheSameResultAsAFreshRasterizer() {
        Camera big = TestScenes.camera(64, 48, 2);
        Camera small = TestScenes.camera(W, H, 3);
        SurfelBatch many = TestScenes.scene(6, 150, big, 0.9).toBatch();
        SurfelBatch few = TestScenes.scene(7, 30, small, 0.9).toBatch();
        float[] dColor = TestScenes.toFloat(TestScenes.gaussian(3, 3 * W * H));
        try (CpuRasterizer reused = new CpuRasterizer(2); CpuRasterizer fresh = new CpuRasterizer(2)) {
            RenderOutput a = reused.forward(many, big, TestScenes.SETTINGS);
            reused.backward(a, TestScenes.toFloat(TestScenes.gaussian(4, 3 * 64 * 48)), null);
            RenderOutput b = reused.forward(few, small, TestScenes.SETTINGS);
            RenderOutput c = fresh.forward(few, small, TestScenes.SETTINGS);
            assertArrayEquals(c.color(), b.color());
            assertArrayEquals(c.others(), b.others());
            assertArrayEquals(c.radii(), b.radii());
            assertArrayEquals(fresh.backward(c, dColor, null).positions(), reused.backward(b, dColor, null).positions());
        }
    }

    @Test
    void backwardUsesTheInputsAsTheyWereAtForward() {
        Camera cam = TestScenes.camera(W, H, 4);
        SurfelBatch batch = TestScenes.scene(8, 40, cam, 0.9).toBatch();
        float[] dColor = TestScenes.toFloat(TestScenes.gaussian(5, 3 * W * H));
        try (CpuRasterizer r = new CpuRasterizer(2)) {
            RenderOutput out = r.forward(batch, cam, TestScenes.SETTINGS);
            SurfelGradients before = r.backward(out, dColor, null);
            RenderOutput again = r.forward(batch, cam, TestScenes.SETTINGS);
            java.util.Arrays.fill(batch.positions(), 0f); // the optimizer may update in place after forward
            SurfelGradients after = r.backward(again, dColor, null);
            assertArrayEquals(before.positions(), after.positions());
        }
    }

    @Test
    void misuseIsRejectedWithAClearMessage() {
        Camera cam = TestScenes.camera(W, H, 5);
        SurfelBatch batch = TestScenes.scene(9, 20, cam, 0.9).toBatch();
        try (CpuRasterizer r = new CpuRasterizer(1); CpuRasterizer other = new CpuRasterizer(1)) {
            RenderOutput first = r.forward(batch, cam, TestScenes.SETTINGS);
            r.forward(batch, cam, TestScenes.SETTINGS);
            float[] dColor = new float[3 * W * H];
            IllegalStateException stale = assertThrows(IllegalStateException.class,
                    () -> r.backward(first, dColor, null));
            assertTrue(stale.getMessage().contains("stale"), stale.getMessage());
            RenderOutput current = r.forward(batch, cam, TestScenes.SETTINGS);
            assertThrows(IllegalArgumentException.class, () -> other.backward(current, dColor, null));
            IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                    () -> r.backward(current, new float[5], null));
            assertTrue(len.getMessage().contains("dColor"), len.getMessage());
            assertThrows(IllegalArgumentException.class, () -> r.backward(current, dColor, new float[7]));
        }
        assertThrows(IllegalArgumentException.class, () -> new CpuRasterizer(0));
    }

    @Test
    void emptySceneShowsTheBackground() {
        Camera cam = TestScenes.camera(W, H, 6);
        try (CpuRasterizer r = new CpuRasterizer(2)) {
            RenderOutput out = r.forward(SurfelBatch.allocate(0), cam, TestScenes.SETTINGS);
            int hw = W * H;
            for (int c = 0; c < 3; c++) {
                assertEquals(TestScenes.SETTINGS.background()[c], out.color()[c * hw + hw / 2]);
            }
            for (float v : out.others()) {
                assertEquals(0f, v);
            }
            SurfelGradients g = r.backward(out, new float[3 * hw], new float[RenderOutput.AUX_CHANNELS * hw]);
            assertEquals(0, g.positions().length);
        }
    }

    @Test
    void surfelsAtOrBeforeTheNearPlaneAreCulled() {
        Camera cam = TestScenes.camera(W, H, 7);
        Scene scene = TestScenes.scene(10, 10, cam, 0.9);
        double[] pc = new double[3];
        double[] world = new double[3];
        // move surfel 0 to depth 0.1 (< near 0.2) on the optical axis
        cam.pose().toWorld(0, 0, 0.1, world);
        System.arraycopy(world, 0, scene.positions(), 0, 3);
        cam.pose().toCamera(world[0], world[1], world[2], pc);
        assertEquals(0.1, pc[2], 1e-12);
        try (CpuRasterizer r = new CpuRasterizer(2)) {
            RenderOutput out = r.forward(scene.toBatch(), cam, TestScenes.SETTINGS);
            assertEquals(0, out.radii()[0]);
            assertTrue(out.radii()[1] > 0 || out.radii()[2] > 0);
            SurfelGradients g = r.backward(out, TestScenes.toFloat(TestScenes.gaussian(6, 3 * W * H)), null);
            for (int k = 0; k < 3; k++) {
                assertEquals(0f, g.positions()[k]);
            }
            assertEquals(0f, g.opacities()[0]);
        }
    }

    @Test
    void cpuBackendIsAlwaysAvailableWithLowestPriority() {
        ComputeBackend b = new CpuBackend();
        assertEquals("cpu", b.name());
        assertEquals(0, b.priority());
        assertNull(b.unavailableReason());
        assertTrue(b.isAvailable());
        assertTrue(b.device().startsWith("CPU, ") && b.device().contains("cores, Java "), b.device());
        Camera cam = TestScenes.camera(W, H, 8);
        try (Rasterizer r = b.createRasterizer()) {
            assertInstanceOf(CpuRasterizer.class, r);
            RenderOutput out = r.forward(TestScenes.scene(11, 20, cam, 0.9).toBatch(), cam, TestScenes.SETTINGS);
            assertEquals(W, out.width());
            assertEquals(H, out.height());
        }
    }
}
