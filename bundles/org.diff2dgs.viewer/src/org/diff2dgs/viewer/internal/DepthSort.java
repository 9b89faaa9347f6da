package org.diff2dgs.viewer.internal;

/**
 * Orders splats back to front along the viewing direction, as alpha blending needs (the same order 3DGS/2DGS
 * rasterizers get from their per-tile depth sort). A two-pass 16-bit radix sort on the float keys: linear time, so
 * 200k splats sort in a few milliseconds on one core.
 */
final class DepthSort {

    private int[] keys = new int[0];
    private int[] tmpKeys = new int[0];
    private int[] tmpIndex = new int[0];
    private final int[] counts = new int[1 << 16];

    /**
     * Fills {@code order} with the splat indices, farthest first.
     *
     * @param centres 3 per splat
     * @param eye     eye position
     * @param forward unit view direction
     */
    void backToFront(float[] centres, int n, double[] eye, double[] forward, int[] order) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            double d = (centres[3 * i] - eye[0]) * forward[0] + (centres[3 * i + 1] - eye[1]) * forward[1]
                    + (centres[3 * i + 2] - eye[2]) * forward[2];
            // descending distance = ascending -distance; map the float's bits to an order-preserving unsigned int
            int bits = Float.floatToRawIntBits((float) -d);
            keys[i] = bits ^ ((bits >> 31) | 0x80000000);
            order[i] = i;
        }
        pass(keys, order, tmpKeys, tmpIndex, n, 0);
        pass(tmpKeys, tmpIndex, keys, order, n, 16);
    }

    private void pass(int[] srcKeys, int[] srcIndex, int[] dstKeys, int[] dstIndex, int n, int shift) {
        java.util.Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            counts[(srcKeys[i] >>> shift) & 0xFFFF]++;
        }
        int sum = 0;
        for (int b = 0; b < counts.length; b++) {
            int c = counts[b];
            counts[b] = sum;
            sum += c;
        }
        for (int i = 0; i < n; i++) {
            int slot = counts[(srcKeys[i] >>> shift) & 0xFFFF]++;
            dstKeys[slot] = srcKeys[i];
            dstIndex[slot] = srcIndex[i];
        }
    }

    private void ensure(int n) {
        if (keys.length < n) {
            keys = new int[n];
            tmpKeys = new int[n];
            tmpIndex = new int[n];
        }
    }
}
