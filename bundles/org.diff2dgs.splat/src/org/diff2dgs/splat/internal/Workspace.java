package org.diff2dgs.splat.internal;

/**
 * Every buffer one render needs, grown on demand and reused by the next render of the same rasterizer, so the
 * training loop does not allocate per iteration. Struct-of-arrays, indexed by surfel, tile, pair (a surfel in one
 * tile's list) or pixel.
 */
final class Workspace {

    /**
     * Per-surfel float record in {@link #records}: everything a tile kernel reads, in one contiguous block (tile lists
     * visit surfels in depth order, i.e. at random addresses, so each record should cost few cache lines). Positions
     * are relative to an integer anchor pixel near the surfel's centre so that floats keep their precision:
     * adjugate columns A, B and C~ = C + anchor_x A + anchor_y B of H, its third row Tw, box centre, opacity, rho
     * cut-off, camera-facing normal, colour, pixel box, and the anchor itself.
     */
    static final int REC_A = 0;
    static final int REC_B = 3;
    static final int REC_C = 6;
    static final int REC_TW = 9;
    static final int REC_CENTRE = 12;
    static final int REC_OPACITY = 14;
    static final int REC_RHO_CUT = 15;
    static final int REC_NORMAL = 16;
    static final int REC_COLOR = 19;
    static final int REC_BOX = 22;
    static final int REC_ANCHOR = 26;
    static final int REC_STRIDE = 28;

    /** Per-pair float partial gradients in {@link #pairGrad}, see {@link TileBackward}. */
    static final int PG_A = 0;
    static final int PG_B = 3;
    static final int PG_C = 6;
    static final int PG_TW = 9;
    static final int PG_CENTRE = 12;
    static final int PG_OPACITY = 14;
    static final int PG_COLOR = 15;
    static final int PG_NORMAL = 18;
    static final int PG_STRIDE = 21;

    /** Bumped by every forward: a RenderOutput whose stamp differs has had its buffers overwritten. */
    long generation;

    int count;
    CameraModel camera;
    float near;
    float far;
    final float[] background = new float[3];

    // inputs, copied so the caller may change its arrays between forward and backward
    float[] positions = new float[0];
    float[] rotations = new float[0];
    float[] scales = new float[0];
    float[] opacities = new float[0];
    float[] colors = new float[0];

    // per surfel
    float[] records = new float[0];
    /** The records of the visible surfels in depth order: tile lists then read memory front to back. */
    float[] sortedRecords = new float[0];
    float[] depth = new float[0];
    int[] radii = new int[0];
    int[] rects = new int[0];
    int[] touched = new int[0];
    int[] surfelPairStart = new int[1];
    long[] sortKeys = new long[0];

    // per tile
    int[] tileStart = new int[1];
    int[] tileCursor = new int[0];

    // per pair; pairSurfel holds the depth rank (index into sortedRecords), surfelPairPos is indexed by surfel
    int pairs;
    int[] pairSurfel = new int[0];
    int[] surfelPairPos = new int[0];
    float[] pairGrad = new float[0];

    // per pixel, saved for the backward pass
    float[] finalT = new float[0];
    float[] finalM1 = new float[0];
    float[] finalM2 = new float[0];
    int[] lastContributor = new int[0];
    int[] medianContributor = new int[0];

    void ensureSurfels(int n) {
        if (radii.length < n) {
            int c = Math.max(n, radii.length + radii.length / 2);
            positions = new float[3 * c];
            rotations = new float[4 * c];
            scales = new float[2 * c];
            opacities = new float[c];
            colors = new float[3 * c];
            records = new float[REC_STRIDE * c];
            sortedRecords = new float[REC_STRIDE * c];
            depth = new float[c];
            radii = new int[c];
            rects = new int[4 * c];
            touched = new int[c];
            surfelPairStart = new int[c + 1];
            sortKeys = new long[c];
        }
    }

    void ensureTiles(int tiles) {
        if (tileCursor.length < tiles) {
            tileStart = new int[tiles + 1];
            tileCursor = new int[tiles];
        }
    }

    void ensurePairs(int p) {
        if (pairSurfel.length < p) {
            int c = Math.max(p, pairSurfel.length + pairSurfel.length / 2);
            pairSurfel = new int[c];
            surfelPairPos = new int[c];
            pairGrad = new float[0]; // sized lazily by the first backward
        }
    }

    void ensurePairGradients() {
        if (pairGrad.length < PG_STRIDE * pairSurfel.length) {
            pairGrad = new float[PG_STRIDE * pairSurfel.length];
        }
    }

    void ensurePixels(int hw) {
        if (finalT.length < hw) {
            finalT = new float[hw];
            finalM1 = new float[hw];
            finalM2 = new float[hw];
            lastContributor = new int[hw];
            medianContributor = new int[hw];
        }
    }
}
