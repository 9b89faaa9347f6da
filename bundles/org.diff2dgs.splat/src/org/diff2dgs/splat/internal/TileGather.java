package org.diff2dgs.splat.internal;

/**
 * Copies one tile's depth-sorted surfels into a contiguous float block so the per-pixel loops stream through memory.
 * Forward and backward both gather with this code, so they see bit-identical values and make identical decisions.
 *
 * <p>
 * The intersection is evaluated as p = x A + y B + C with A, B, C the columns of adj(H) (A = Tv x Tw, B = Tw x Tu,
 * C = Tu x Tv): expanding the cross product k x l of 2DGS Eq. 10 gives exactly this. Pixel coordinates are taken
 * relative to the tile origin (x0, y0), folding C' = C + x0 A + y0 B in double, which keeps the float products small.
 * The layout is the per-surfel record's, with C', the centre and the pixel box made tile-relative.
 */
final class TileGather {

    static final int A = Workspace.REC_A;
    static final int B = Workspace.REC_B;
    static final int C = Workspace.REC_C;
    static final int TW = Workspace.REC_TW;
    static final int CENTRE = Workspace.REC_CENTRE;
    static final int OPACITY = Workspace.REC_OPACITY;
    static final int RHO_CUT = Workspace.REC_RHO_CUT;
    static final int NORMAL = Workspace.REC_NORMAL;
    static final int COLOR = Workspace.REC_COLOR;
    static final int BOX = Workspace.REC_BOX;
    static final int STRIDE = Workspace.REC_ANCHOR;

    private TileGather() {
    }

    /** Gathers tile {@code tile} (origin x0, y0) into {@code buf}; returns the number of surfels. */
    static int gather(Workspace ws, int tile, double x0, double y0, float[] buf) {
        int start = ws.tileStart[tile];
        int count = ws.tileStart[tile + 1] - start;
        float[] rec = ws.sortedRecords;
        for (int j = 0; j < count; j++) {
            int r = ws.pairSurfel[start + j] * Workspace.REC_STRIDE;
            int o = j * STRIDE;
            System.arraycopy(rec, r, buf, o, STRIDE);
            // from anchor-relative to tile-relative coordinates: both are integers, so dx, dy are exact
            float dx = (float) (x0 - rec[r + Workspace.REC_ANCHOR]);
            float dy = (float) (y0 - rec[r + Workspace.REC_ANCHOR + 1]);
            for (int k = 0; k < 3; k++) {
                buf[o + C + k] = (float) (rec[r + C + k] + (double) dx * rec[r + A + k] + (double) dy * rec[r + B + k]);
            }
            buf[o + CENTRE] -= dx;
            buf[o + CENTRE + 1] -= dy;
            buf[o + BOX] -= dx;
            buf[o + BOX + 1] -= dy;
            buf[o + BOX + 2] -= dx;
            buf[o + BOX + 3] -= dy;
        }
        return count;
    }

    /** First local pixel index whose centre (index + 0.5) is at or after {@code lo}. */
    static int firstPixel(float lo) {
        return (int) Math.max(0, Math.ceil(lo - 0.5));
    }

    /** Last local pixel index (below {@code size}) whose centre is at or before {@code hi}. */
    static int lastPixel(float hi, int size) {
        return (int) Math.min(size - 1, Math.floor(hi - 0.5));
    }
}
