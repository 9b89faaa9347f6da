package org.diff2dgs.splat.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.splat.internal.CpuRasterizer;
import org.diff2dgs.splat.internal.ReferenceRasterizer;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Gradients;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Image;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Mode;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Scene;
import org.junit.jupiter.api.Test;

/**
 * The densification statistic is |dL/d(projected centre)| in NDC units, the centre moving parallel to the image plane
 * at fixed depth: checked by moving each surfel's centre by h NDC units along the image axes (h W/2 pixels, i.e.
 * h W/2 z / fx in camera x) and differencing the loss.
 */
class ScreenGradientTest {

    @Test
    void screenGradientIsTheNdcGradientOfTheCentreAtFixedDepth() {
        int w = 24;
        int h = 20;
        Camera cam = TestScenes.camera(w, h, 5);
        Scene scene = TestScenes.scene(300, 12, cam, 0.9);
        double[] dColor = TestScenes.gaussian(11, 3 * w * h);
        double[] dOthers = TestScenes.gaussian(12, RenderOutput.AUX_CHANNELS * w * h);
        Gradients g = ReferenceRasterizer.gradients(scene, cam, TestScenes.SETTINGS, dColor, dOthers, Mode.EXACT);
        long base = ReferenceRasterizer.render(scene, cam, TestScenes.SETTINGS).decisions();
        Intrinsics k = cam.intrinsics();
        double[] r = cam.pose().rotation();
        double step = 1e-7;
        double[] analytic = new double[scene.count()];
        double[] numeric = new double[scene.count()];
        int kept = 0;
        double[] pc = new double[3];
        for (int i = 0; i < scene.count(); i++) {
            double[] p = scene.positions();
            cam.pose().toCamera(p[3 * i], p[3 * i + 1], p[3 * i + 2], pc);
            // world directions of camera x and y (rows of R), scaled to one NDC unit at this depth
            double ux = 0.5 * w * pc[2] / k.fx();
            double vy = 0.5 * h * pc[2] / k.fy();
            double gu = difference(scene, cam, dColor, dOthers, i, new double[] {r[0] * ux, r[1] * ux, r[2] * ux},
                    step, base);
            double gv = difference(scene, cam, dColor, dOthers, i, new double[] {r[3] * vy, r[4] * vy, r[5] * vy},
                    step, base);
            if (Double.isNaN(gu) || Double.isNaN(gv)) {
                continue;
            }
            analytic[kept] = g.screen()[i];
            numeric[kept] = Math.hypot(gu, gv);
            kept++;
        }
        assertTrue(kept >= scene.count() - 1, "too many surfels on a kink: " + kept);
        double rel = TestScenes.relError(java.util.Arrays.copyOf(analytic, kept),
                java.util.Arrays.copyOf(numeric, kept));
        assertTrue(rel < 1e-3, "screen gradient vs finite differences, relative error " + rel);

        // the fast path reports the same statistic
        try (CpuRasterizer fast = new CpuRasterizer(2)) {
            RenderOutput out = fast.forward(scene.toBatch(), cam, TestScenes.SETTINGS);
            SurfelGradients fg = fast.backward(out, TestScenes.toFloat(dColor), TestScenes.toFloat(dOthers));
            assertEquals(0, TestScenes.relError(fg.screenGradient(), g.screen()), 1e-3);
        }
    }

    private static double difference(Scene scene, Camera cam, double[] dColor, double[] dOthers, int i, double[] dir,
            double step, long base) {
        double[] p = scene.positions();
        double[] orig = {p[3 * i], p[3 * i + 1], p[3 * i + 2]};
        for (int c = 0; c < 3; c++) {
            p[3 * i + c] = orig[c] + step * dir[c];
        }
        Image plus = ReferenceRasterizer.render(scene, cam, TestScenes.SETTINGS);
        for (int c = 0; c < 3; c++) {
            p[3 * i + c] = orig[c] - step * dir[c];
        }
        Image minus = ReferenceRasterizer.render(scene, cam, TestScenes.SETTINGS);
        System.arraycopy(orig, 0, p, 3 * i, 3);
        if (plus.decisions() != base || minus.decisions() != base) {
            return Double.NaN;
        }
        return (ReferenceRasterizer.loss(plus, dColor, dOthers) - ReferenceRasterizer.loss(minus, dColor, dOthers))
                / (2 * step);
    }
}
