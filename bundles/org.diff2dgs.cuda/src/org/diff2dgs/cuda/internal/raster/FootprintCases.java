package org.diff2dgs.cuda.internal.raster;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.diff2dgs.splat.internal.CpuStages;

/**
 * (surfel, rectangle) pairs for the footprint test's checks, taken from a CPU binning as the render kernels see
 * them: every (tile, surfel) entry made tile-relative as load_tile_surfel / TileGather do (C' folded in double, centre
 * and box shifted in float), its pixel box clamped to the tile, and the box intersected with each warp rectangle it
 * meets (16x2 strips and 8x4 blocks) and with a random sub-rectangle of the tile. Also the pixel's own rho test
 * (evaluate_pixel up to the rho cut, in its float order), so that a check can ask whether some pixel centre passes.
 */
public final class FootprintCases {

    /**
     * @param surfels {@link FootprintBound#SURFEL_FLOATS} floats per case
     * @param rects   4 ints per case: ix0, iy0, ix1, iy1 (never empty)
     */
    public record Cases(int count, float[] surfels, int[] rects) {
    }

    private static final int TILE = LaunchGeometry.TILE;

    private FootprintCases() {
    }

    /** Up to {@code max} cases from the entries of {@code cpu} (tiles of a {@code width}-pixel-wide image). */
    public static Cases fromBinning(CpuStages.Result cpu, int width, int max, SplittableRandom random) {
        int tilesX = LaunchGeometry.tilesX(width);
        int tiles = cpu.tileStart().length - 1;
        float[] s = new float[Math.max(1, max) * FootprintBound.SURFEL_FLOATS];
        int[] r = new int[Math.max(1, max) * 4];
        int n = 0;
        float[] one = new float[FootprintBound.SURFEL_FLOATS];
        int[] box = new int[4];
        for (int tile = 0; tile < tiles && n < max; tile++) {
            int x0 = tile % tilesX * TILE;
            int y0 = tile / tilesX * TILE;
            for (int p = cpu.tileStart()[tile]; p < cpu.tileStart()[tile + 1] && n < max; p++) {
                gather(cpu.records(), cpu.tileSurfels()[p], x0, y0, one, box);
                if (box[0] > box[2] || box[1] > box[3]) {
                    continue;
                }
                for (int w = 0; w < 17 && n < max; w++) {
                    int[] rect = w < 8 ? new int[] {0, 2 * w, TILE - 1, 2 * w + 1}
                            : w < 16 ? new int[] {(w & 1) * 8, ((w - 8) >> 1) * 4, (w & 1) * 8 + 7,
                                ((w - 8) >> 1) * 4 + 3}
                            : randomRect(random);
                    int ix0 = Math.max(box[0], rect[0]);
                    int iy0 = Math.max(box[1], rect[1]);
                    int ix1 = Math.min(box[2], rect[2]);
                    int iy1 = Math.min(box[3], rect[3]);
                    if (ix0 > ix1 || iy0 > iy1) {
                        continue;
                    }
                    System.arraycopy(one, 0, s, n * FootprintBound.SURFEL_FLOATS, FootprintBound.SURFEL_FLOATS);
                    r[4 * n] = ix0;
                    r[4 * n + 1] = iy0;
                    r[4 * n + 2] = ix1;
                    r[4 * n + 3] = iy1;
                    n++;
                }
            }
        }
        return new Cases(n, Arrays.copyOf(s, n * FootprintBound.SURFEL_FLOATS), Arrays.copyOf(r, 4 * n));
    }

    private static int[] randomRect(SplittableRandom random) {
        int ax = random.nextInt(TILE);
        int bx = random.nextInt(TILE);
        int ay = random.nextInt(TILE);
        int by = random.nextInt(TILE);
        return new int[] {Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)};
    }

    /**
     * Surfel {@code i}'s record made relative to the tile origin (x0, y0): A, B, C', centre, cut into {@code out}, its
     * pixel box clamped to the tile (first_pixel / last_pixel of raster_common.cuh) into {@code box}.
     */
    static void gather(float[] records, int i, int x0, int y0, float[] out, int[] box) {
        int o = i * CpuStages.RECORD_FLOATS;
        float dx = (float) ((double) x0 - (double) records[o + CpuStages.REC_ANCHOR]);
        float dy = (float) ((double) y0 - (double) records[o + CpuStages.REC_ANCHOR + 1]);
        for (int k = 0; k < 3; k++) {
            out[k] = records[o + CpuStages.REC_A + k];
            out[3 + k] = records[o + CpuStages.REC_B + k];
            out[6 + k] = (float) (records[o + CpuStages.REC_C + k] + (double) dx * records[o + CpuStages.REC_A + k]
                    + (double) dy * records[o + CpuStages.REC_B + k]);
        }
        out[9] = records[o + CpuStages.REC_CENTRE] - dx;
        out[10] = records[o + CpuStages.REC_CENTRE + 1] - dy;
        out[11] = records[o + CpuStages.REC_RHO_CUT];
        box[0] = firstPixel(records[o + CpuStages.REC_BOX] - dx);
        box[1] = firstPixel(records[o + CpuStages.REC_BOX + 1] - dy);
        box[2] = lastPixel(records[o + CpuStages.REC_BOX + 2] - dx);
        box[3] = lastPixel(records[o + CpuStages.REC_BOX + 3] - dy);
    }

    /** raster_common.cuh first_pixel: max(0, ceil(lo - 0.5)) in double, at most 16, NaN -> 0. */
    static int firstPixel(float lo) {
        double v = Math.ceil((double) lo - 0.5);
        if (Double.isNaN(v)) {
            return 0;
        }
        return (int) Math.min(TILE, Math.max(0.0, v));
    }

    /** raster_common.cuh last_pixel: min(15, floor(hi - 0.5)) in double, at least -1, NaN -> 0. */
    static int lastPixel(float hi) {
        double v = Math.floor((double) hi - 0.5);
        if (Double.isNaN(v)) {
            return 0;
        }
        return (int) Math.max(-1.0, Math.min(TILE - 1, v));
    }

    /**
     * Whether the pixel centre (lx + 0.5, ly + 0.5) passes the surfel's rho cut: evaluate_pixel (raster_common.cuh)
     * and TileForward up to the cut, in their float order without contraction.
     */
    public static boolean pixelPasses(float[] s, int o, int lx, int ly) {
        float fx = lx + 0.5f;
        float fy = ly + 0.5f;
        float rowZ = s[o + 5] * fy + s[o + 8];
        float rowX = s[o + 3] * fy + s[o + 6];
        float rowY = s[o + 4] * fy + s[o + 7];
        float pz = s[o + 2] * fx + rowZ;
        if (pz == 0f) {
            return false;
        }
        float inv = 1f / pz;
        float sx = (s[o] * fx + rowX) * inv;
        float sy = (s[o + 1] * fx + rowY) * inv;
        float rho3 = sx * sx + sy * sy;
        float dx = s[o + 9] - fx;
        float dy = s[o + 10] - fy;
        float rho2 = 2f * (dx * dx + dy * dy);
        float rho = rho3 <= rho2 ? rho3 : rho2;
        return !(rho > s[o + 11]);
    }

    /** Whether some pixel centre of case {@code k}'s rectangle passes its surfel's rho cut. */
    public static boolean somePixelPasses(Cases c, int k) {
        int o = k * FootprintBound.SURFEL_FLOATS;
        for (int ly = c.rects()[4 * k + 1]; ly <= c.rects()[4 * k + 3]; ly++) {
            for (int lx = c.rects()[4 * k]; lx <= c.rects()[4 * k + 2]; lx++) {
                if (pixelPasses(c.surfels(), o, lx, ly)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** FootprintBound's decision for case {@code k}. */
    public static boolean misses(Cases c, int k) {
        return FootprintBound.misses(c.surfels(), k * FootprintBound.SURFEL_FLOATS, c.rects()[4 * k],
                c.rects()[4 * k + 1], c.rects()[4 * k + 2], c.rects()[4 * k + 3]);
    }
}
