package org.diff2dgs.inpaint.internal.flow;

/**
 * Dense optical flow by pyramidal Lucas-Kanade with per-pixel windows (Lucas and Kanade 1981; coarse-to-fine as in
 * Bouguet's pyramidal implementation): at each level, starting from the upsampled flow of the coarser level, the
 * brightness-constancy residual of the warped second image is linearized and the normal equations pooled over a
 * square window are solved for an update, a few times. Each window also has its own brightness offset, eliminated
 * from the equations (a 3x3 system reduced to 2x2): tissue that breathes moves towards and away from the light at the
 * endoscope's tip and changes brightness between frames, which plain brightness constancy turns into a displacement.
 * Measured against the true motion of the synthetic scene (docs/benchmarks/inpainting.md), the offset lowers the
 * end-point error of 16 chained steps inside the instrument masks by 14 to 17% with a static camera (no change with
 * a moving one).
 * <p>
 * Pixels hidden by an instrument carry no weight, in the first image or at their target in the second, so the
 * instrument's own motion never leaks into the tissue's flow; windows with too little visible tissue are then
 * completed by {@link HarmonicFill} from their surroundings (flow completion), before the flow is passed to the next
 * finer level.
 * <p>
 * One call is single-threaded and allocates its own buffers: callers run many pairs in parallel.
 */
public final class PyramidalFlow {

    /** Windows with less visible weight than this fraction are completed from their neighbours. */
    private static final float MIN_SUPPORT = 0.3f;
    /** Largest update per iteration, in pixels of the level: keeps a step on a flat window from jumping away. */
    private static final float MAX_STEP = 2f;

    private final FlowSettings settings;

    public PyramidalFlow(FlowSettings settings) {
        this.settings = settings;
    }

    /**
     * Flow from image 1 to image 2 at pyramid level {@code settings.finestLevel()}.
     *
     * @param gray1    first image, one intensity plane w x h
     * @param gray2    second image
     * @param visible1 1 where image 1 shows tissue, 0 where hidden (fractions allowed), or null
     * @param visible2 the same for image 2, or null
     */
    public FlowField estimate(float[] gray1, float[] gray2, float[] visible1, float[] visible2, int w, int h) {
        int levels = 1;
        while (levels < 12 && Math.min(levelSize(w, levels), levelSize(h, levels)) >= settings.coarsest()) {
            levels++;
        }
        int finest = Math.min(settings.finestLevel(), levels - 1);
        float[][] g1 = new float[levels][];
        float[][] g2 = new float[levels][];
        float[][] v1 = new float[levels][];
        float[][] v2 = new float[levels][];
        int[] ws = new int[levels];
        int[] hs = new int[levels];
        g1[0] = smoothOver(gray1, visible1, w, h);
        g2[0] = smoothOver(gray2, visible2, w, h);
        v1[0] = visible1 != null ? visible1 : ones(w * h);
        v2[0] = visible2 != null ? visible2 : ones(w * h);
        ws[0] = w;
        hs[0] = h;
        for (int l = 1; l < levels; l++) {
            g1[l] = Pyramids.halve(g1[l - 1], ws[l - 1], hs[l - 1]);
            g2[l] = Pyramids.halve(g2[l - 1], ws[l - 1], hs[l - 1]);
            v1[l] = Pyramids.halve(v1[l - 1], ws[l - 1], hs[l - 1]);
            v2[l] = Pyramids.halve(v2[l - 1], ws[l - 1], hs[l - 1]);
            ws[l] = Pyramids.half(ws[l - 1]);
            hs[l] = Pyramids.half(hs[l - 1]);
        }
        float[] u = new float[ws[levels - 1] * hs[levels - 1]];
        float[] v = new float[u.length];
        for (int l = levels - 1; l >= finest; l--) {
            if (l < levels - 1) {
                u = Pyramids.upsample(u, ws[l + 1], hs[l + 1], ws[l], hs[l], 2f);
                v = Pyramids.upsample(v, ws[l + 1], hs[l + 1], ws[l], hs[l], 2f);
            }
            refine(g1[l], g2[l], v1[l], v2[l], ws[l], hs[l], u, v);
        }
        return new FlowField(ws[finest], hs[finest], u, v);
    }

    private static int levelSize(int n, int level) {
        for (int i = 0; i < level; i++) {
            n = Pyramids.half(n);
        }
        return n;
    }

    /** Gauss-Newton iterations at one level, then completion of the unsupported windows. */
    private void refine(float[] i1, float[] i2, float[] vis1, float[] vis2, int w, int h, float[] u, float[] v) {
        int n = w * h;
        float[] gx1 = new float[n];
        float[] gy1 = new float[n];
        float[] gx2 = new float[n];
        float[] gy2 = new float[n];
        gradients(i1, w, h, gx1, gy1);
        gradients(i2, w, h, gx2, gy2);
        float[][] terms = new float[12][n];
        float[] tmp = new float[n];
        int r = settings.radius();
        float area = (2 * r + 1) * (2 * r + 1);
        float lambda = (float) settings.regularization();
        boolean[] supported = new boolean[n];
        for (int it = 0; it < settings.iterations(); it++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    float tx = x + u[p];
                    float ty = y + v[p];
                    float wt = vis1[p];
                    if (wt <= 0 || !Bilinear.inside(w, h, tx, ty)) {
                        for (float[] t : terms) {
                            t[p] = 0;
                        }
                        continue;
                    }
                    wt *= Bilinear.sample(vis2, w, h, tx, ty);
                    // a visibility below one means a mixed (partly hidden) pixel: trust it much less
                    wt = wt * wt;
                    float ix = 0.5f * (gx1[p] + Bilinear.sample(gx2, w, h, tx, ty));
                    float iy = 0.5f * (gy1[p] + Bilinear.sample(gy2, w, h, tx, ty));
                    float itv = Bilinear.sample(i2, w, h, tx, ty) - i1[p];
                    terms[0][p] = wt * ix * ix;
                    terms[1][p] = wt * ix * iy;
                    terms[2][p] = wt * iy * iy;
                    terms[3][p] = wt * ix * itv;
                    terms[4][p] = wt * iy * itv;
                    terms[5][p] = wt;
                    // each window pixel's residual was linearized at its own flow: these sums move it to the flow of
                    // the window's centre (first order), so that the pooled equations describe one displacement
                    terms[6][p] = wt * (ix * ix * u[p] + ix * iy * v[p]);
                    terms[7][p] = wt * (ix * iy * u[p] + iy * iy * v[p]);
                    // for the window's brightness offset: the residual's and the gradients' weighted sums
                    terms[8][p] = wt * ix;
                    terms[9][p] = wt * iy;
                    terms[10][p] = wt * itv;
                    terms[11][p] = wt * (ix * u[p] + iy * v[p]);
                }
            }
            for (float[] t : terms) {
                boxSum(t, tmp, w, h, r);
            }
            for (int p = 0; p < n; p++) {
                float weight = terms[5][p];
                supported[p] = weight >= MIN_SUPPORT * area;
                if (weight <= 0) {
                    continue;
                }
                // minimizing over the offset first leaves the gradients and residuals centred on their window means
                float sx = terms[8][p];
                float sy = terms[9][p];
                float sr = terms[10][p] + u[p] * sx + v[p] * sy - terms[11][p];
                float gu = terms[3][p] + terms[0][p] * u[p] + terms[1][p] * v[p] - terms[6][p] - sx * sr / weight;
                float gv = terms[4][p] + terms[1][p] * u[p] + terms[2][p] * v[p] - terms[7][p] - sy * sr / weight;
                float a = terms[0][p] - sx * sx / weight + lambda * weight;
                float b = terms[1][p] - sx * sy / weight;
                float c = terms[2][p] - sy * sy / weight + lambda * weight;
                float det = a * c - b * b;
                if (det <= 0) {
                    continue;
                }
                float du = -(c * gu - b * gv) / det;
                float dv = -(a * gv - b * gu) / det;
                u[p] += Math.max(-MAX_STEP, Math.min(MAX_STEP, du));
                v[p] += Math.max(-MAX_STEP, Math.min(MAX_STEP, dv));
            }
        }
        boolean any = false;
        boolean all = true;
        for (boolean s : supported) {
            any |= s;
            all &= s;
        }
        if (any && !all) {
            HarmonicFill.fill(new float[][] {u, v}, supported, w, h);
        }
    }

    /** Central differences (one-sided at the border). */
    static void gradients(float[] a, int w, int h, float[] gx, float[] gy) {
        for (int y = 0; y < h; y++) {
            int ym = Math.max(0, y - 1);
            int yp = Math.min(h - 1, y + 1);
            float sy = yp - ym == 2 ? 0.5f : 1f;
            for (int x = 0; x < w; x++) {
                int xm = Math.max(0, x - 1);
                int xp = Math.min(w - 1, x + 1);
                float sx = xp - xm == 2 ? 0.5f : 1f;
                gx[y * w + x] = sx * (a[y * w + xp] - a[y * w + xm]);
                gy[y * w + x] = sy * (a[yp * w + x] - a[ym * w + x]);
            }
        }
    }

    /** In-place sum over the (2r+1)^2 window clipped to the image, separable running sums. */
    static void boxSum(float[] a, float[] tmp, int w, int h, int r) {
        for (int y = 0; y < h; y++) {
            int row = y * w;
            float s = 0;
            for (int x = 0; x <= Math.min(r, w - 1); x++) {
                s += a[row + x];
            }
            for (int x = 0; x < w; x++) {
                tmp[row + x] = s;
                int add = x + r + 1;
                int drop = x - r;
                if (add < w) {
                    s += a[row + add];
                }
                if (drop >= 0) {
                    s -= a[row + drop];
                }
            }
        }
        for (int x = 0; x < w; x++) {
            float s = 0;
            for (int y = 0; y <= Math.min(r, h - 1); y++) {
                s += tmp[y * w + x];
            }
            for (int y = 0; y < h; y++) {
                a[y * w + x] = s;
                int add = y + r + 1;
                int drop = y - r;
                if (add < h) {
                    s += tmp[add * w + x];
                }
                if (drop >= 0) {
                    s -= tmp[drop * w + x];
                }
            }
        }
    }

    /**
     * The image with its hidden pixels replaced by the harmonic fill of the visible ones: the instrument's own edges
     * would otherwise dominate the gradients next to it and, after averaging, at every coarser level.
     */
    private static float[] smoothOver(float[] gray, float[] visible, int w, int h) {
        if (visible == null) {
            return gray;
        }
        boolean[] known = new boolean[gray.length];
        boolean anyHidden = false;
        boolean anyVisible = false;
        for (int i = 0; i < known.length; i++) {
            known[i] = visible[i] >= 0.5f;
            anyHidden |= !known[i];
            anyVisible |= known[i];
        }
        if (!anyHidden || !anyVisible) {
            return gray;
        }
        float[] out = gray.clone();
        HarmonicFill.fill(new float[][] {out}, known, w, h);
        return out;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
