package org.diff2dgs.splat.internal;

import org.diff2dgs.core.api.SurfelGradients;

/**
 * Stage 5 of the backward pass, per surfel: sums the surfel's per-tile partial gradients in double and in a fixed
 * order (its tiles row by row), turns dL/d adj(H) into dL/dH, and chains to the parameters with
 * {@link SurfelGeometry#backward}. Surfels are independent, so ranges run in parallel and the result is
 * deterministic whatever the thread count.
 */
final class GradientReduction {

    private GradientReduction() {
    }

    static void run(Workspace ws, int from, int to, TileScratch scratch, SurfelGradients out) {
        CameraModel cam = ws.camera;
        SurfelGeometry g = scratch.geometry;
        double[] sum = scratch.sums;
        double[] gH = scratch.gH;
        float[] pg = ws.pairGrad;
        int[] rects = ws.rects;
        double tile = SplatConstants.TILE;
        for (int i = from; i < to; i++) {
            if (ws.touched[i] == 0) {
                continue;
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] = 0;
            }
            int r = ws.surfelPairStart[i];
            for (int ty = rects[4 * i + 1]; ty < rects[4 * i + 3]; ty++) {
                for (int tx = rects[4 * i]; tx < rects[4 * i + 2]; tx++) {
                    int q = ws.surfelPairPos[r++] * Workspace.PG_STRIDE;
                    for (int k = 0; k < Workspace.PG_STRIDE; k++) {
                        sum[k] += pg[q + k];
                    }
                    // Undo the tile-relative coordinates: p = x A + y B + C with x = x0 + local x.
                    double x0 = tx * tile;
                    double y0 = ty * tile;
                    for (int k = 0; k < 3; k++) {
                        double c = pg[q + Workspace.PG_C + k];
                        sum[Workspace.PG_A + k] += x0 * c;
                        sum[Workspace.PG_B + k] += y0 * c;
                    }
                }
            }
            float[] p = ws.positions;
            float[] rot = ws.rotations;
            float[] s = ws.scales;
            g.project(cam, p[3 * i], p[3 * i + 1], p[3 * i + 2], rot[4 * i], rot[4 * i + 1], rot[4 * i + 2],
                    rot[4 * i + 3], s[2 * i], s[2 * i + 1], ws.near);
            adjugateToMatrix(g.h, sum, gH);
            g.backward(cam, gH, sum[Workspace.PG_CENTRE], sum[Workspace.PG_CENTRE + 1], sum[Workspace.PG_NORMAL],
                    sum[Workspace.PG_NORMAL + 1], sum[Workspace.PG_NORMAL + 2], true);
            for (int k = 0; k < 3; k++) {
                out.positions()[3 * i + k] = (float) g.gPosition[k];
                out.colors()[3 * i + k] = (float) sum[Workspace.PG_COLOR + k];
            }
            for (int k = 0; k < 4; k++) {
                out.rotations()[4 * i + k] = (float) g.gRotation[k];
            }
            out.scales()[2 * i] = (float) g.gScale[0];
            out.scales()[2 * i + 1] = (float) g.gScale[1];
            out.opacities()[i] = (float) sum[Workspace.PG_OPACITY];
            out.screenGradient()[i] = (float) g.screenGradient(cam);
        }
    }

    /**
     * A = Tv x Tw, B = Tw x Tu, C = Tu x Tv; for c = a x b, dL/da = b x gc and dL/db = gc x a. Adds the direct depth
     * gradient of Tw. Writes dL/dH rows (Tu, Tv, Tw) into {@code gH}.
     */
    static void adjugateToMatrix(double[] h, double[] sum, double[] gH) {
        for (int k = 0; k < 9; k++) {
            gH[k] = 0;
        }
        crossAdd(sum, Workspace.PG_B, h, 6, gH, 0); // dL/dTu = gB x Tw
        crossAdd(h, 3, sum, Workspace.PG_C, gH, 0); //        + Tv x gC
        crossAdd(h, 6, sum, Workspace.PG_A, gH, 3); // dL/dTv = Tw x gA
        crossAdd(sum, Workspace.PG_C, h, 0, gH, 3); //        + gC x Tu
        crossAdd(sum, Workspace.PG_A, h, 3, gH, 6); // dL/dTw = gA x Tv
        crossAdd(h, 0, sum, Workspace.PG_B, gH, 6); //        + Tu x gB
        for (int k = 0; k < 3; k++) {
            gH[6 + k] += sum[Workspace.PG_TW + k];
        }
    }

    private static void crossAdd(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        out[oo] += a[ao + 1] * b[bo + 2] - a[ao + 2] * b[bo + 1];
        out[oo + 1] += a[ao + 2] * b[bo] - a[ao] * b[bo + 2];
        out[oo + 2] += a[ao] * b[bo + 1] - a[ao + 1] * b[bo];
    }
}
