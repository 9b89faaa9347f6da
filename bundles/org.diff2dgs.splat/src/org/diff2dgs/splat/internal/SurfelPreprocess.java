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
        float[] rec = ws.records;
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
            double[] adj = scratch.adjugate;
            // adj(H) columns: A = Tv x Tw, B = Tw x Tu, C = Tu x Tv (see TileGather).
            cross(h, 3, h, 6, adj, 0);
            cross(h, 6, h, 0, adj, 3);
            cross(h, 0, h, 3, adj, 6);
            double anchorX = Math.rint(Math.max(-1e6, Math.min(1e6, g.centreX)));
            double anchorY = Math.rint(Math.max(-1e6, Math.min(1e6, g.centreY)));
            int o = i * Workspace.REC_STRIDE;
            for (int k = 0; k < 3; k++) {
                rec[o + Workspace.REC_A + k] = (float) adj[k];
                rec[o + Workspace.REC_B + k] = (float) adj[3 + k];
                rec[o + Workspace.REC_C + k] = (float) (adj[6 + k] + anchorX * adj[k] + anchorY * adj[3 + k]);
                rec[o + Workspace.REC_TW + k] = (float) h[6 + k];
                rec[o + Workspace.REC_COLOR + k] = ws.colors[3 * i + k];
            }
            rec[o + Workspace.REC_NORMAL] = (float) g.nx;
            rec[o + Workspace.REC_NORMAL + 1] = (float) g.ny;
            rec[o + Workspace.REC_NORMAL + 2] = (float) g.nz;
            rec[o + Workspace.REC_CENTRE] = (float) (g.centreX - anchorX);
            rec[o + Workspace.REC_CENTRE + 1] = (float) (g.centreY - anchorY);
            rec[o + Workspace.REC_OPACITY] = ws.opacities[i];
            float cut = rhoCut(ws.opacities[i]);
            rec[o + Workspace.REC_RHO_CUT] = cut;
            // Box slightly beyond the cut so float rounding of rho near the boundary cannot lose a pixel.
            g.pixelBox(cut + 1e-2, scratch.box);
            for (int k = 0; k < 4; k++) {
                double margin = k < 2 ? -1e-2 : 1e-2;
                double anchor = k % 2 == 0 ? anchorX : anchorY;
                rec[o + Workspace.REC_BOX + k] = (float) (Math.max(-1e30, Math.min(1e30, scratch.box[k] + margin))
                        - anchor);
            }
            rec[o + Workspace.REC_ANCHOR] = (float) anchorX;
            rec[o + Workspace.REC_ANCHOR + 1] = (float) anchorY;
            narrowRect(rec, o, ws.rects, 4 * i);
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

    /**
     * Narrows the binning rectangle at {@code ro}: the 3-sigma rectangle (it sets the radius and visibility, as in the
     * original) keeps only the tiles in which the record's pixel box holds a pixel centre. In any other tile the box
     * test fails for every pixel, so an entry there would change no output; dropping it saves binning and the tile
     * loops a fifth of their entries on the benchmark scene. The tile test is TileGather's, on the same float values.
     * An empty result is (x0, y0, x0, y0).
     */
    static void narrowRect(float[] rec, int o, int[] rect, int ro) {
        int x0 = rect[ro + 2];
        int x1 = rect[ro];
        int y0 = rect[ro + 3];
        int y1 = rect[ro + 1];
        for (int t = rect[ro]; t < rect[ro + 2]; t++) {
            if (tileKeepsBox(t, rec[o + Workspace.REC_BOX], rec[o + Workspace.REC_BOX + 2],
                    rec[o + Workspace.REC_ANCHOR])) {
                x0 = Math.min(x0, t);
                x1 = t + 1;
            }
        }
        for (int t = rect[ro + 1]; t < rect[ro + 3]; t++) {
            if (tileKeepsBox(t, rec[o + Workspace.REC_BOX + 1], rec[o + Workspace.REC_BOX + 3],
                    rec[o + Workspace.REC_ANCHOR + 1])) {
                y0 = Math.min(y0, t);
                y1 = t + 1;
            }
        }
        if (x0 >= x1 || y0 >= y1) {
            rect[ro + 2] = rect[ro];
            rect[ro + 3] = rect[ro + 1];
            return;
        }
        rect[ro] = x0;
        rect[ro + 1] = y0;
        rect[ro + 2] = x1;
        rect[ro + 3] = y1;
    }

    /** Whether tile column (or row) t keeps a pixel centre of the box [lo, hi] of a record anchored at anchor. */
    private static boolean tileKeepsBox(int t, float lo, float hi, float anchor) {
        float d = (float) ((double) t * SplatConstants.TILE - anchor);
        return TileGather.firstPixel(lo - d) <= TileGather.lastPixel(hi - d, SplatConstants.TILE);
    }

    static void cross(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        out[oo] = a[ao + 1] * b[bo + 2] - a[ao + 2] * b[bo + 1];
        out[oo + 1] = a[ao + 2] * b[bo] - a[ao] * b[bo + 2];
        out[oo + 2] = a[ao] * b[bo + 1] - a[ao + 1] * b[bo];
    }
}
