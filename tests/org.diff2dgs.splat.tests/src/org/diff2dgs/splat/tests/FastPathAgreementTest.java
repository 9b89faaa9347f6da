package org.diff2dgs.splat.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.splat.internal.CpuRasterizer;
import org.diff2dgs.splat.internal.ReferenceRasterizer;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Gradients;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Image;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Mode;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Scene;
import org.junit.jupiter.api.Test;

/**
 * The float fast path (adjugate intersection, per-surfel pixel boxes, per-tile partial gradients) against the double
 * reference (per-pixel plane cross products, no culling beyond the tile rectangles): forward outputs and all
 * gradients, on random scenes of 60 surfels at 50x37 pixels (4x3 tiles, partial tiles at the border).
 */
class FastPathAgreementTest {

    private static final int W = 50;
    private static final int H = 37;

    @Test
    void forwardAndGradientsAgreeWithTheDoubleReference() {
        for (long seed = 1; seed <= 3; seed++) {
            compare(seed, false, true);
        }
    }

    @Test
    void agreesWithoutAuxiliaryGradientsAndAtTheAlphaClamp() {
        compare(4, true, false);
        compare(5, true, true);
    }

    private static void compare(long seed, boolean opaqueStack, boolean withAux) {
        Camera cam = TestScenes.camera(W, H, seed);
        // the reference gets the float-rounded inputs the fast path sees: grazing surfels amplify input rounding
        Scene exact = TestScenes.scene(40 + seed, 60, cam, 0.9);
        if (opaqueStack) {
            TestScenes.addOpaqueStack(exact, cam, 0, 4, 15.55, 22.53);
        }
        Scene scene = Scene.of(exact.toBatch());
        double[] dColor = TestScenes.gaussian(seed * 3, 3 * W * H);
        double[] dOthers = withAux ? TestScenes.gaussian(seed * 3 + 1, RenderOutput.AUX_CHANNELS * W * H) : null;
        Image ref = ReferenceRasterizer.render(scene, cam, TestScenes.SETTINGS);
        if (opaqueStack) {
            assertTrue(ref.clampedContributions() > 0 && ref.terminatedPixels() > 0,
                    "the scene must reach the clamp and stop pixels early: " + ref.clampedContributions() + ", "
                            + ref.terminatedPixels());
        }
        Gradients refGrad = ReferenceRasterizer.gradients(scene, cam, TestScenes.SETTINGS, dColor, dOthers,
                Mode.EXACT);
        String what = "seed " + seed;
        try (CpuRasterizer fast = new CpuRasterizer(2)) {
            RenderOutput out = fast.forward(scene.toBatch(), cam, TestScenes.SETTINGS);
            int hw = W * H;
            assertArrayEquals(ref.radii(), out.radii(), what + " radii");
            assertClose(what + " color", TestScenes.maxAbs(out.color(), ref.color(), 0, 3 * hw), 1e-4);
            double[] tol = {1e-3, 1e-4, 1e-4, 1e-4, 1e-4, 1e-3, 1e-5};
            for (int c = 0; c < RenderOutput.AUX_CHANNELS; c++) {
                assertClose(what + " aux channel " + c,
                        TestScenes.maxAbs(out.others(), ref.others(), c * hw, (c + 1) * hw), tol[c]);
            }
            SurfelGradients g = fast.backward(out, TestScenes.toFloat(dColor),
                    dOthers == null ? null : TestScenes.toFloat(dOthers));
            assertClose(what + " d/d positions", TestScenes.relError(g.positions(), refGrad.positions()), 1e-3);
            assertClose(what + " d/d rotations", TestScenes.relError(g.rotations(), refGrad.rotations()), 1e-3);
            assertClose(what + " d/d scales", TestScenes.relError(g.scales(), refGrad.scales()), 1e-3);
            assertClose(what + " d/d opacities", TestScenes.relError(g.opacities(), refGrad.opacities()), 1e-3);
            assertClose(what + " d/d colors", TestScenes.relError(g.colors(), refGrad.colors()), 1e-3);
            assertClose(what + " screen gradient", TestScenes.relError(g.screenGradient(), refGrad.screen()), 1e-3);
        }
    }

    private static void assertClose(String what, double error, double tol) {
        assertTrue(error <= tol, what + ": error " + error + " above " + tol);
    }
}
