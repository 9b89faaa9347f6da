package org.diff2dgs.inpaint.internal;

import java.util.Arrays;

/**
 * What the compositor needs of one direction's origins, and nothing more: for each composed pixel of a frame (its
 * restored region and the one-pixel ring around it, {@link Regions#composedPixels}) the source frame, the sub-pixel
 * position there and the candidate's weight, {@code quality * exp(-steps / 30) / (1 + (meanError / 0.5)^2)}; frame -1
 * where the chain found nothing or was too inconsistent. 16 bytes per composed pixel: the forward pass keeps one of
 * these per frame until the backward pass reaches it, instead of the full {@link Origins} of every traced pixel (the
 * band of visible tissue near the instruments is traced but never composed).
 */
final class Candidates {

    /** Frames after which a chain's weight falls by e. */
    static final float STEP_SCALE = 30f;
    /** Mean inconsistency (pixels per step) at which a chain's weight halves. */
    static final float ERROR_SCALE = 0.5f;

    final int[] frame;
    final float[] x;
    final float[] y;
    final float[] weight;

    private Candidates(int n) {
        frame = new int[n];
        Arrays.fill(frame, -1);
        x = new float[n];
        y = new float[n];
        weight = new float[n];
    }

    int size() {
        return frame.length;
    }

    boolean found(int i) {
        return frame[i] >= 0;
    }

    /**
     * The candidates of {@code composed} (ascending pixel indices, a subset of {@code o.pixels}) from origins;
     * chains whose mean inconsistency exceeds {@code maxError} are dropped.
     */
    static Candidates of(Origins o, int[] composed, double maxError) {
        Candidates c = new Candidates(composed.length);
        int j = 0;
        for (int i = 0; i < composed.length; i++) {
            int p = composed[i];
            while (o.pixels[j] != p) {
                j++;
            }
            if (!o.found(j)) {
                continue;
            }
            float meanError = o.error[j] / o.steps[j];
            if (meanError > maxError) {
                continue;
            }
            float e = meanError / ERROR_SCALE;
            c.frame[i] = o.frame[j];
            c.x[i] = o.x[j];
            c.y[i] = o.y[j];
            c.weight[i] = Math.max(0.05f, o.quality[j]) * (float) Math.exp(-o.steps[j] / STEP_SCALE) / (1 + e * e);
        }
        return c;
    }

    /** Bytes held, for the memory test. */
    long bytes() {
        return 16L * frame.length;
    }
}
