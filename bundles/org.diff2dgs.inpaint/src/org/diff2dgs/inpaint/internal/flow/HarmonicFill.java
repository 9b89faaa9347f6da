package org.diff2dgs.inpaint.internal.flow;

/**
 * Fills unknown pixels with the harmonic (membrane) interpolation of the known ones: the solution of Laplace's
 * equation inside the unknown region with the known pixels as boundary values. The smoothest fill there is, which suits
 * optical flow and depth of smooth tissue (flow completion, depth completion) and is a stable fallback for colour.
 * <p>
 * Solved coarse to fine: known pixels are averaged into a half-size problem, solved recursively, upsampled as the
 * starting guess, then relaxed with a few Gauss-Seidel sweeps on the unknown pixels only. The cost is a few passes
 * over the unknown pixels, independent of the region's size.
 */
public final class HarmonicFill {

    private static final int SWEEPS = 8;

    private HarmonicFill() {
    }

    /**
     * Fills every channel where {@code known} is false, in place.
     *
     * @throws IllegalArgumentException when no pixel is known
     */
    public static void fill(float[][] channels, boolean[] known, int w, int h) {
        fill(channels, known, null, w, h);
    }

    /**
     * The pixels of the domain (all when {@code domain} is null) that are not known.
     *
     * @throws IllegalArgumentException naming {@code fill} when the domain has unknown pixels but no known one
     */
    static int unknownInDomain(boolean[] known, boolean[] domain, String fill) {
        int unknown = 0;
        int inDomain = 0;
        for (int i = 0; i < known.length; i++) {
            if (domain == null || domain[i]) {
                inDomain++;
                if (!known[i]) {
                    unknown++;
                }
            }
        }
        if (unknown > 0 && unknown == inDomain) {
            throw new IllegalArgumentException(fill + " needs at least one known pixel");
        }
        return unknown;
    }

    /**
     * Fills the pixels of {@code domain} (null = every pixel) where {@code known} is false, in place. Pixels outside
     * the domain are ignored: neither filled nor used as boundary values.
     *
     * @throws IllegalArgumentException when no pixel of the domain is known
     */
    public static void fill(float[][] channels, boolean[] known, boolean[] domain, int w, int h) {
        int unknown = unknownInDomain(known, domain, "harmonic fill");
        if (unknown == 0) {
            return;
        }
        int[] todo = new int[unknown];
        int n = 0;
        for (int i = 0; i < known.length; i++) {
            if (!known[i] && (domain == null || domain[i])) {
                todo[n++] = i;
            }
        }
        if (w > 4 || h > 4) {
            int cw = Pyramids.half(w);
            int ch = Pyramids.half(h);
            float[][] coarse = new float[channels.length][cw * ch];
            boolean[] coarseKnown = new boolean[cw * ch];
            boolean[] coarseDomain = domain == null ? null : new boolean[cw * ch];
            int[] count = new int[cw * ch];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (coarseDomain != null && domain[i]) {
                        coarseDomain[(y / 2) * cw + x / 2] = true;
                    }
                    if (known[i] && (domain == null || domain[i])) {
                        int c = (y / 2) * cw + x / 2;
                        count[c]++;
                        for (int k = 0; k < channels.length; k++) {
                            coarse[k][c] += channels[k][i];
                        }
                    }
                }
            }
            for (int c = 0; c < count.length; c++) {
                if (count[c] > 0) {
                    coarseKnown[c] = true;
                    for (float[] plane : coarse) {
                        plane[c] /= count[c];
                    }
                }
            }
            fill(coarse, coarseKnown, coarseDomain, cw, ch);
            for (int i : todo) {
                int x = i % w;
                int y = i / w;
                float cx = (x + 0.5f) / 2 - 0.5f;
                float cy = (y + 0.5f) / 2 - 0.5f;
                int parent = (y / 2) * cw + x / 2;
                for (int k = 0; k < channels.length; k++) {
                    // with a domain, cells outside it hold no value: start from the parent cell instead
                    channels[k][i] = domain == null ? Bilinear.sample(coarse[k], cw, ch, cx, cy) : coarse[k][parent];
                }
            }
        } else {
            for (int k = 0; k < channels.length; k++) {
                double sum = 0;
                int m = 0;
                for (int i = 0; i < known.length; i++) {
                    if (known[i] && (domain == null || domain[i])) {
                        sum += channels[k][i];
                        m++;
                    }
                }
                for (int i : todo) {
                    channels[k][i] = (float) (sum / m);
                }
            }
        }
        relax(channels, todo, domain, w, h, SWEEPS);
    }

    /** Gauss-Seidel sweeps: each unknown pixel becomes the mean of its in-image 4-neighbours. */
    private static void relax(float[][] channels, int[] todo, boolean[] domain, int w, int h, int sweeps) {
        for (int s = 0; s < sweeps; s++) {
            for (int i : todo) {
                int x = i % w;
                int y = i / w;
                for (float[] a : channels) {
                    float sum = 0;
                    int m = 0;
                    if (x > 0 && (domain == null || domain[i - 1])) {
                        sum += a[i - 1];
                        m++;
                    }
                    if (x < w - 1 && (domain == null || domain[i + 1])) {
                        sum += a[i + 1];
                        m++;
                    }
                    if (y > 0 && (domain == null || domain[i - w])) {
                        sum += a[i - w];
                        m++;
                    }
                    if (y < h - 1 && (domain == null || domain[i + w])) {
                        sum += a[i + w];
                        m++;
                    }
                    if (m > 0) {
                        a[i] = sum / m;
                    }
                }
            }
        }
    }
}
