package org.diff2dgs.splat.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.splat.internal.ReferenceRasterizer;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Gradients;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Image;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Mode;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Scene;
import org.junit.jupiter.api.Test;

/**
 * Every input gradient of the double-precision reference against central finite differences, on small random scenes
 * (12 surfels, 24x20 pixels = 2x2 tiles, tilted camera, off-centre principal point, quaternions not of unit length)
 * with random upstream gradients on colour and all 7 auxiliary channels.
 */
class ReferenceGradientTest {

    private static final int W = 24;
    private static final int H = 20;
    private static final double STEP = 1e-6;
    private static final double TOL = 1e-3;
    /** At most this fraction of parameters may sit within a step of a kink and be left out. */
    private static final double MAX_EXCLUDED = 0.1;

    @Test
    void everyGradientMatchesFiniteDifferences() {
        for (long seed = 1; seed <= 3; seed++) {
            Camera cam = TestScenes.camera(W, H, seed);
            Scene scene = TestScenes.scene(100 + seed, 12, cam, 0.9);
            Image im = ReferenceRasterizer.render(scene, cam, TestScenes.SETTINGS);
            assertTrue(im.lowPassContributions() > 0 && im.contributions() > im.lowPassContributions(),
                    "scene " + seed + " must exercise both rho branches, low-pass " + im.lowPassContributions()
                            + " of " + im.contributions());
            checkAll(scene, cam, seed, "seed " + seed);
        }
    }

    /**
     * A stack of nearly opaque surfels: some pixels sit on the 0.99 clamp, where alpha no longer depends on opacity or
     * G, and some stop early.
     */
    @Test
    void clampedAlphaHasZeroGradientAsFiniteDifferencesSay() {
        long seed = 7;
        Camera cam = TestScenes.camera(W, H, seed);
        Scene scene = TestScenes.scene(200, 12, cam, 0.9);
        TestScenes.addOpaqueStack(scene, cam, 0, 4, 9.55, 10.53);
        TestScenes.addOpaqueStack(scene, cam, 4, 1, 16.46, 5.54);
        Image im = ReferenceRasterizer.render(scene, cam, TestScenes.SETTINGS);
        assertTrue(im.clampedContributions() >= 1,
                "the scene must reach the alpha clamp, got " + im.clampedContributions() + " contributions there");
        assertTrue(im.terminatedPixels() > 0, "some pixels must stop early (T < 1e-4)");
        checkAll(scene, cam, seed, "clamped scene");

        // The original passes gradients through the clamp: finite differences disagree with it here.
        double[] dColor = TestScenes.gaussian(seed, 3 * W * H);
        double[] dOthers = TestScenes.gaussian(seed + 1, RenderOutput.AUX_CHANNELS * W * H);
        Gradients original = ReferenceRasterizer.gradients(scene, cam, TestScenes.SETTINGS, dColor, dOthers,
                Mode.ORIGINAL_CUDA);
        FiniteDifferences.Result fd = FiniteDifferences.check(scene, cam, TestScenes.SETTINGS, dColor, dOthers,
                Scene::opacities, original.opacities(), STEP, null);
        assertTrue(fd.relError() > 10 * TOL, "the original's opacity gradient should differ at the clamp, rel "
                + fd.relError());
    }

    private static void checkAll(Scene scene, Camera cam, long seed, String what) {
        double[] dColor = TestScenes.gaussian(seed, 3 * W * H);
        double[] dOthers = TestScenes.gaussian(seed + 1, RenderOutput.AUX_CHANNELS * W * H);
        Gradients g = ReferenceRasterizer.gradients(scene, cam, TestScenes.SETTINGS, dColor, dOthers, Mode.EXACT);
        check(what + " positions", scene, cam, dColor, dOthers, Scene::positions, g.positions());
        check(what + " rotations", scene, cam, dColor, dOthers, Scene::rotations, g.rotations());
        check(what + " scales", scene, cam, dColor, dOthers, Scene::scales, g.scales());
        check(what + " opacities", scene, cam, dColor, dOthers, Scene::opacities, g.opacities());
        check(what + " colors", scene, cam, dColor, dOthers, Scene::colors, g.colors());
    }

    private static void check(String what, Scene scene, Camera cam, double[] dColor, double[] dOthers,
            Function<Scene, double[]> params, double[] analytic) {
        FiniteDifferences.Result r = FiniteDifferences.check(scene, cam, TestScenes.SETTINGS, dColor, dOthers, params,
                analytic, STEP, null);
        int total = r.checked() + r.excluded();
        assertTrue(r.excluded() <= MAX_EXCLUDED * total, what + ": " + r.excluded() + " of " + total
                + " parameters sit on a kink; the scene is too degenerate for this test");
        assertTrue(r.relError() < TOL, what + ": relative error " + r.relError() + " over " + r.checked()
                + " parameters (" + r.excluded() + " excluded at kinks)");
    }
}
