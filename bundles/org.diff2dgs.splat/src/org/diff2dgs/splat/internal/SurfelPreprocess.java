package org.diff2dgs.splat.internal;

/**
 * Stage 1 of a render: per surfel, the splat-to-pixel transform and everything the tile kernels read (2DGS Sec. 4.1).
 * Runs on a range of surfels; surfels are independent, so ranges run in parallel.
 */
final class SurfelPreprocess {

    private SurfelPreprocess() {
    }

    static void run(Workspace ws, int from, int to, TileScratch scratch) {
        CameraModel cam = ws.camera;
        SurfelGeometry g = scratch.geometry;
        float[] p = ws.positions;
        float[] q = ws.rotations;
        float[] s = ws.scales;
        double[] rec = ws.records;
        for (int i = from; i < to; i++) {
            g.project(cam, p[3 * i], p[3 * i + 1], p[3 * i + 2], q[4 * i], q[4 * i + 1], q[4 * i + 2], q[4 * i + 3],
                    s[2 * i], s[2 * i + 1], ws.near);
            int tiles = g.visible ? g.tileRect(cam, ws.rects, 4 * i) : 0;
            ws.touched[i] = tiles;
            ws.radii[i] = tiles > 0 ? g.radius : 0;
            if (tiles == 0) {
                continue;
            }
            double[] h = g.h;
            int o = i * Workspace.REC_STRIDE;
            // adj(H) columns: A = Tv x Tw, B = Tw x Tu, C = Tu x Tv (see TileGather).
            cross(h, 3, h, 6, rec, o + Workspace.REC_A);
            cross(h, 6, h, 0, rec, o + Workspace.REC_B);
            cross(h, 0, h, 3, rec, o + Workspace.REC_C);
            rec[o + Workspace.REC_TW] = h[6];
            rec[o + Workspace.REC_TW + 1] = h[7];
            rec[o + Workspace.REC_TW + 2] = h[8];
            rec[o + Workspace.REC_CENTRE] = g.centreX;
            rec[o + Workspace.REC_CENTRE + 1] = g.centreY;
            rec[o + Workspace.REC_OPACITY] = ws.opacities[i];
            rec[o + Workspace.REC_NORMAL] = g.nx;
            rec[o + Workspace.REC_NORMAL + 1] = g.ny;
            rec[o + Workspace.REC_NORMAL + 2] = g.nz;
            rec[o + Workspace.REC_COLOR] = ws.colors[3 * i];
            rec[o + Workspace.REC_COLOR + 1] = ws.colors[3 * i + 1];
            rec[o + Workspace.REC_COLOR + 2] = ws.colors[3 * i + 2];
            float cut = rhoCut(ws.opacities[i]);
            rec[o + Workspace.REC_RHO_CUT] = cut;
            // Box slightly beyond the cut so float rounding of rho near the boundary cannot lose a pixel.
            g.pixelBox(cut + 1e-2, scratch.box);
            for (int k = 0; k < 4; k++) {
                double margin = k < 2 ? -1e-2 : 1e-2;
                rec[o + Workspace.REC_BOX + k] = Math.max(-1e30, Math.min(1e30, scratch.box[k] + margin));
            }
            ws.depth[i] = (float) g.pcz;
        }
    }

    /**
     * Beyond this rho, opacity * exp(-rho / 2) < 1/255, so the pixel skips the surfel without evaluating exp. A small
     * margin keeps the exact test in charge near the boundary.
     */
    static float rhoCut(float opacity) {
        if (!(opacity * 255.0 > 1.0)) {
            return -1f;
        }
        return (float) (2.0 * Math.log(255.0 * opacity) + 1e-2);
    }

    static void cross(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        out[oo] = a[ao + 1] * b[bo + 2] - a[ao + 2] * b[bo + 1];
        out[oo + 1] = a[ao + 2] * b[bo] - a[ao] * b[bo + 2];
        out[oo + 2] = a[ao] * b[bo + 1] - a[ao + 1] * b[bo];
    }
}
