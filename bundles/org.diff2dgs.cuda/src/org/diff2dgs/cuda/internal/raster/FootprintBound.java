package org.diff2dgs.cuda.internal.raster;

/**
 * Java twin of footprint.cuh: whether a conservative bound proves that no pixel centre of a rectangle passes a
 * tile-relative surfel's rho cut (2DGS Eq. 10 through adj(H) columns A, B, C', and the screen-space filter), the test
 * of the render kernels' list vote with {@link RenderTuning#footprintCull}. The same float operations in the same
 * order (fused multiply-adds where the kernel has them), so the decisions are the kernel's bit for bit; the derivation
 * and its rounding pads are in footprint.cuh and docs/rasterizer-cuda.md.
 */
public final class FootprintBound {

    /** footprint.cuh FOOTPRINT_PAD (2^-16), FOOTPRINT_NEAR_ZERO (2^-12), FOOTPRINT_MARGIN (1 + 2^-10). */
    public static final float PAD = 0x1p-16f;
    public static final float NEAR_ZERO = 0x1p-12f;
    public static final float MARGIN = 1f + 0x1p-10f;
    public static final float CUT_FLOOR = 0x1p-40f;
    /** footprint.cuh FOOTPRINT_SQUARE_FLOOR: below it cut Pz^2 could leave the normal range (no rejection then). */
    public static final float SQUARE_FLOOR = 0x1p-80f;
    static final float TILE_SPAN = 16f;

    /** Floats per surfel in the probe layout: A (3), B (3), C' (3), centre x, y, rho cut. */
    public static final int SURFEL_FLOATS = 12;

    private FootprintBound() {
    }

    /** max(0, v) keeping NaN, as fp_clamp_low. */
    private static float clampLow(float v) {
        return v < 0f ? 0f : v;
    }

    private static float componentLow(float a, float b, float c, float xc, float yc, float hx, float hy) {
        float aa = Math.abs(a);
        float bb = Math.abs(b);
        float pc = Math.abs(Math.fma(a, xc, Math.fma(b, yc, c)));
        float r = Math.fma(aa, hx, bb * hy);
        float s = Math.fma(aa + bb, TILE_SPAN, Math.abs(c));
        return clampLow(Math.fma(s, -PAD, pc - r));
    }

    /**
     * footprint_misses: true when no pixel centre (lx + 0.5, ly + 0.5), lx in [ix0, ix1], ly in [iy0, iy1], passes the
     * rho cut of the surfel {@code s} ({@link #SURFEL_FLOATS} floats from {@code o}); the rectangle must not be empty.
     */
    public static boolean misses(float[] s, int o, int ix0, int iy0, int ix1, int iy1) {
        float ax = s[o];
        float ay = s[o + 1];
        float az = s[o + 2];
        float bx = s[o + 3];
        float by = s[o + 4];
        float bz = s[o + 5];
        float cx = s[o + 6];
        float cy = s[o + 7];
        float cz = s[o + 8];
        float ux = s[o + 9];
        float uy = s[o + 10];
        float cut = s[o + 11];
        float xc = (float) (ix0 + ix1 + 1) * 0.5f;
        float yc = (float) (iy0 + iy1 + 1) * 0.5f;
        float hx = (float) (ix1 - ix0) * 0.5f;
        float hy = (float) (iy1 - iy0) * 0.5f;
        float cutM = (cut < CUT_FLOOR ? CUT_FLOOR : cut) * MARGIN;
        float tx = Math.abs(ux - xc);
        float ty = Math.abs(uy - yc);
        float dx = clampLow(Math.fma(tx, -PAD, tx - hx));
        float dy = clampLow(Math.fma(ty, -PAD, ty - hy));
        float d2 = Math.fma(dx, dx, dy * dy);
        if (!(d2 + d2 > cutM)) {
            return false;
        }
        float lx = componentLow(ax, bx, cx, xc, yc, hx, hy);
        float ly = componentLow(ay, by, cy, xc, yc, hx, hy);
        float aa = Math.abs(az);
        float bb = Math.abs(bz);
        float pz = Math.abs(Math.fma(az, xc, Math.fma(bz, yc, cz)));
        float rz = Math.fma(aa, hx, bb * hy);
        float sz = Math.fma(aa + bb, TILE_SPAN, Math.abs(cz));
        float zLow = Math.fma(sz, -NEAR_ZERO, pz - rz);
        float zHigh = Math.fma(sz, PAD, pz + rz);
        float z2 = zHigh * zHigh;
        float l2 = Math.fma(lx, lx, ly * ly);
        return zLow > 0f && z2 >= SQUARE_FLOOR && l2 > cutM * z2;
    }
}
