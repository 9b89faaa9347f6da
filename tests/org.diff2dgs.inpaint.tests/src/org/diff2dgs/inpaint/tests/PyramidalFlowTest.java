package org.diff2dgs.inpaint.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.inpaint.internal.flow.Bilinear;
import org.diff2dgs.inpaint.internal.flow.FlowField;
import org.diff2dgs.inpaint.internal.flow.FlowSettings;
import org.diff2dgs.inpaint.internal.flow.PyramidalFlow;
import org.junit.jupiter.api.Test;

/** The flow against known displacements of a smooth random texture. */
class PyramidalFlowTest {

    private static final int W = 96;
    private static final int H = 80;
    /** With the per-window brightness offset 0.044 px; without it 0.55 px. */
    private static final double LIGHT_CHANGE_TOLERANCE = 0.1;

    @Test
    void recoversATranslation() {
        SyntheticClip tex = new SyntheticClip(3, 0, 0);
        float[] g1 = gray(tex, 0, 0);
        float[] g2 = gray(tex, -2.6, 1.4); // content moves by (+2.6, -1.4)
        FlowField f = new PyramidalFlow(FlowSettings.defaults()).estimate(g1, g2, null, null, W, H);
        double epe = endPointError(f, (x, y) -> 2.6, (x, y) -> -1.4, 8);
        assertTrue(epe < 0.1, "rms end-point error " + epe);
    }

    @Test
    void recoversASmallMotionWhileTheLightChanges() {
        // breathing tissue moves a fraction of a pixel per frame and towards or away from the light at the tip: the
        // second frame is brighter by a gain that varies across the image
        SyntheticClip tex = new SyntheticClip(11, 0, 0);
        float[] g1 = gray(tex, 0, 0);
        float[] g2 = gray(tex, -0.4, 0.3);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                g2[y * W + x] *= (float) (1.01 + 0.02 * x / W - 0.01 * y / H);
            }
        }
        FlowField f = new PyramidalFlow(FlowSettings.defaults()).estimate(g1, g2, null, null, W, H);
        double epe = endPointError(f, (x, y) -> 0.4, (x, y) -> -0.3, 8);
        assertTrue(epe < LIGHT_CHANGE_TOLERANCE, "rms end-point error " + epe);
    }

    @Test
    void recoversASmoothField() {
        SyntheticClip tex = new SyntheticClip(5, 0, 0);
        float[] g1 = gray(tex, 0, 0);
        float[] g2 = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                // inverse warp: the pixel of image 2 at p shows image 1 at p - flow(p)
                g2[y * W + x] = (float) luma(tex, x - fu(x, y), y - fv(x, y));
            }
        }
        FlowField f = new PyramidalFlow(FlowSettings.defaults()).estimate(g1, g2, null, null, W, H);
        double epe = endPointError(f, PyramidalFlowTest::fu, PyramidalFlowTest::fv, 8);
        assertTrue(epe < 0.2, "rms end-point error " + epe);
    }

    @Test
    void completesTheFlowUnderAHiddenBlock() {
        SyntheticClip tex = new SyntheticClip(7, 0, 0);
        float[] g1 = gray(tex, 0, 0);
        float[] g2 = gray(tex, -1.7, -0.9);
        float[] vis1 = new float[W * H];
        float[] vis2 = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean block1 = x >= 30 && x < 55 && y >= 25 && y < 50;
                boolean block2 = x >= 40 && x < 65 && y >= 20 && y < 45;
                vis1[y * W + x] = block1 ? 0 : 1;
                vis2[y * W + x] = block2 ? 0 : 1;
                if (block1) {
                    g1[y * W + x] = 0.1f; // a dark instrument with its own (wrong) content
                }
                if (block2) {
                    g2[y * W + x] = 0.1f;
                }
            }
        }
        FlowField f = new PyramidalFlow(FlowSettings.defaults()).estimate(g1, g2, vis1, vis2, W, H);
        double se = 0;
        int n = 0;
        for (int y = 25; y < 50; y++) {
            for (int x = 30; x < 55; x++) {
                double du = f.u()[y * W + x] - 1.7;
                double dv = f.v()[y * W + x] - 0.9;
                se += du * du + dv * dv;
                n++;
            }
        }
        double epe = Math.sqrt(se / n);
        assertTrue(epe < 0.3, "rms end-point error under the hidden block " + epe);
    }

    private static double fu(double x, double y) {
        return 1.5 + 0.8 * Math.sin(2 * Math.PI * y / 70);
    }

    private static double fv(double x, double y) {
        return -0.7 + 0.5 * Math.cos(2 * Math.PI * x / 60);
    }

    private interface Field {
        double at(double x, double y);
    }

    private static double endPointError(FlowField f, Field u, Field v, int margin) {
        double se = 0;
        int n = 0;
        for (int y = margin; y < H - margin; y++) {
            for (int x = margin; x < W - margin; x++) {
                double du = f.u()[y * W + x] - u.at(x, y);
                double dv = f.v()[y * W + x] - v.at(x, y);
                se += du * du + dv * dv;
                n++;
            }
        }
        return Math.sqrt(se / n);
    }

    private static float[] gray(SyntheticClip tex, double sx, double sy) {
        float[] g = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                g[y * W + x] = (float) luma(tex, x + sx, y + sy);
            }
        }
        return g;
    }

    private static double luma(SyntheticClip tex, double x, double y) {
        return 0.299 * tex.colour(0, x, y, 0) + 0.587 * tex.colour(1, x, y, 0) + 0.114 * tex.colour(2, x, y, 0);
    }

    @Test
    void bilinearIsExactOnAPlane() {
        float[] a = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                a[y * W + x] = 0.3f * x - 0.2f * y + 1;
            }
        }
        float s = Bilinear.sample(a, W, H, 10.25f, 20.75f);
        assertTrue(Math.abs(s - (0.3f * 10.25f - 0.2f * 20.75f + 1)) < 1e-4, "sample " + s);
    }
}
