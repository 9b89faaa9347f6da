package org.diff2dgs.inpaint.internal.flow;

/**
 * Fills unknown pixels with a low-order polynomial surface fitted to the known pixels around each hole, plus the
 * harmonic fill of what the polynomial leaves over on the hole's border.
 * <p>
 * Why: the harmonic (membrane) fill has a zero normal derivative where a hole meets the image border, so a surface
 * that slopes towards the border is continued flat there (depth of tissue no frame shows, at the border of a moving
 * camera's view). Here each 4-connected hole gets its own least-squares plane or quadratic, fitted to the known pixels
 * within {@code ring} steps of it; the residual (known minus polynomial) is then filled harmonically over the hole and
 * its ring, so that the fill still meets every known pixel exactly. A surface the polynomial describes is reproduced
 * exactly whatever the hole's shape, border included; away from the border the result differs from the harmonic fill
 * only by the polynomial's deviation from a harmonic function.
 * <p>
 * Cost: one pass to label holes, a breadth-first ring per hole, one small normal-equation solve per hole, and the
 * harmonic fill restricted to each hole's box. Memory: a few arrays of the image size.
 */
public final class TrendFill {

    /** Polynomial degree of the trend: 1 = plane, 2 = quadratic. */
    public enum Degree {
        PLANE(3), QUADRATIC(6);

        final int terms;

        Degree(int terms) {
            this.terms = terms;
        }
    }

    /** Robust standard deviations (1.4826 x median absolute residual) past which a doubtful pixel is an outlier. */
    static final double OUTLIER_SIGMAS = 4;
    /** Smallest residual, as a fraction of the ring's median value, that makes a doubtful pixel an outlier. */
    static final double OUTLIER_FRACTION = 0.1;

    private TrendFill() {
    }

    /**
     * Fills the pixels of {@code domain} (null = every pixel) where {@code known} is false, in place. Pixels outside the
     * domain are neither filled nor used.
     *
     * @param ring width in pixels (4-connected steps) of the band of known pixels each hole's trend is fitted to
     * @throws IllegalArgumentException when no pixel of the domain is known
     */
    public static void fill(float[] values, boolean[] known, boolean[] domain, int w, int h, Degree degree, int ring) {
        fill(values, known, domain, null, w, h, degree, ring);
    }

    /**
     * The same, where known pixels marked {@code doubtful} (null = none) that lie in a hole's ring and disagree with
     * its trend (residual beyond {@link #OUTLIER_SIGMAS} robust standard deviations and beyond
     * {@link #OUTLIER_FRACTION} of the ring's median value) are left out of the fit and filled with the hole.
     * <p>
     * Why: a propagated depth that carries the instrument's own depth (tens of percent nearer than the tissue around
     * it) would otherwise be a boundary value of the fill and pull the restored surface towards the instrument.
     */
    public static void fill(float[] values, boolean[] known, boolean[] domain, boolean[] doubtful, int w, int h,
            Degree degree, int ring) {
        int n = w * h;
        int[] label = new int[n]; // 0 = not a hole pixel, k + 1 = hole k
        int holes = 0;
        if (HarmonicFill.unknownInDomain(known, domain, "trend fill") == 0) {
            return;
        }
        int[] queue = new int[n];
        int[] stamp = new int[n]; // last hole whose ring search visited the pixel (k + 1)
        int[] dist = new int[n];
        boolean[] leftOver = null;
        for (int seed = 0; seed < n; seed++) {
            if (label[seed] != 0 || known[seed] || !(domain == null || domain[seed])) {
                continue;
            }
            holes++;
            // the hole: flood fill over unknown domain pixels
            int count = 0;
            queue[count++] = seed;
            label[seed] = holes;
            int x0 = w;
            int y0 = h;
            int x1 = -1;
            int y1 = -1;
            for (int q = 0; q < count; q++) {
                int p = queue[q];
                int x = p % w;
                int y = p / w;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
                for (int d = 0; d < 4; d++) {
                    int j = neighbour(p, x, y, d, w, h);
                    if (j >= 0 && label[j] == 0 && !known[j] && (domain == null || domain[j])) {
                        label[j] = holes;
                        queue[count++] = j;
                    }
                }
            }
            int holeSize = count;
            // its ring: known domain pixels within `ring` steps, reached through known pixels
            for (int q = 0; q < holeSize; q++) {
                stamp[queue[q]] = holes;
                dist[queue[q]] = 0;
            }
            for (int q = 0; q < count; q++) {
                int p = queue[q];
                if (dist[p] >= ring) {
                    continue;
                }
                int x = p % w;
                int y = p / w;
                for (int d = 0; d < 4; d++) {
                    int j = neighbour(p, x, y, d, w, h);
                    if (j >= 0 && stamp[j] != holes && known[j] && (domain == null || domain[j])) {
                        stamp[j] = holes;
                        dist[j] = dist[p] + 1;
                        queue[count++] = j;
                    }
                }
            }
            int ringSize = count - holeSize;
            if (ringSize == 0) {
                // a domain island with nothing known: left to the plain harmonic fill below
                if (leftOver == null) {
                    leftOver = new boolean[n];
                }
                for (int q = 0; q < holeSize; q++) {
                    leftOver[queue[q]] = true;
                }
                continue;
            }
            fillHole(values, queue, holeSize, count, w, x0, y0, x1, y1, ring, degree, doubtful);
        }
        if (leftOver != null) {
            boolean[] nowKnown = new boolean[n];
            for (int i = 0; i < n; i++) {
                nowKnown[i] = (domain == null || domain[i]) && !leftOver[i];
            }
            HarmonicFill.fill(new float[][] {values}, nowKnown, domain, w, h);
        }
    }

    /** queue[0, holeSize) = hole pixels, queue[holeSize, count) = its ring; fits, subtracts, fills, adds back. */
    private static void fillHole(float[] values, int[] queue, int holeSize, int count, int w, int x0, int y0, int x1,
            int y1, int ring, Degree degree, boolean[] doubtful) {
        // coordinates centred on the hole's box and scaled to about [-1, 1], for well-conditioned normal equations
        double cx = (x0 + x1) / 2.0;
        double cy = (y0 + y1) / 2.0;
        double scale = Math.max(1, Math.max(x1 - x0, y1 - y0) / 2.0 + ring);
        boolean[] used = new boolean[count]; // ring pixels the fit uses (index into queue)
        java.util.Arrays.fill(used, holeSize, count, true);
        double[] coef = fitWithFallback(values, queue, used, holeSize, count, w, cx, cy, scale, degree);
        if (doubtful != null) {
            // two rounds: reject doubtful outliers against the fit, refit without them
            for (int round = 0; round < 2; round++) {
                if (!rejectOutliers(values, queue, used, holeSize, count, w, cx, cy, scale, coef, doubtful)) {
                    break;
                }
                coef = fitWithFallback(values, queue, used, holeSize, count, w, cx, cy, scale, degree);
            }
        }
        double[] phi = new double[6];
        // the residual problem on the hole's box grown by the ring
        int bx0 = Math.max(0, x0 - ring);
        int by0 = Math.max(0, y0 - ring);
        int bx1 = x1 + ring;
        int by1 = y1 + ring;
        int h = values.length / w;
        bx1 = Math.min(w - 1, bx1);
        by1 = Math.min(h - 1, by1);
        int bw = bx1 - bx0 + 1;
        int bh = by1 - by0 + 1;
        float[] residual = new float[bw * bh];
        boolean[] subKnown = new boolean[bw * bh];
        boolean[] subDomain = new boolean[bw * bh];
        float[] trend = new float[count];
        for (int q = 0; q < count; q++) {
            int p = queue[q];
            int x = p % w;
            int y = p / w;
            basis((x - cx) / scale, (y - cy) / scale, phi);
            double t = 0;
            for (int k = 0; k < coef.length; k++) {
                t += coef[k] * phi[k];
            }
            int s = (y - by0) * bw + (x - bx0);
            subDomain[s] = true;
            trend[q] = (float) t;
            if (q >= holeSize && used[q]) {
                subKnown[s] = true;
                residual[s] = (float) (values[p] - t);
            }
        }
        HarmonicFill.fill(new float[][] {residual}, subKnown, subDomain, bw, bh);
        for (int q = 0; q < count; q++) {
            if (q < holeSize || !used[q]) {
                int p = queue[q];
                int s = (p / w - by0) * bw + (p % w - bx0);
                values[p] = trend[q] + residual[s];
            }
        }
    }

    /** A ring too thin or too straight for the degree asked falls back to a plane, then to the ring's mean. */
    private static double[] fitWithFallback(float[] values, int[] queue, boolean[] used, int from, int to, int w,
            double cx, double cy, double scale, Degree degree) {
        double[] coef = fit(values, queue, used, from, to, w, cx, cy, scale, degree.terms);
        if (coef == null && degree != Degree.PLANE) {
            coef = fit(values, queue, used, from, to, w, cx, cy, scale, Degree.PLANE.terms);
        }
        if (coef == null) {
            coef = fit(values, queue, used, from, to, w, cx, cy, scale, 1);
        }
        return coef;
    }

    /** Marks doubtful ring pixels far off the trend as unused; true when any was newly rejected. */
    private static boolean rejectOutliers(float[] values, int[] queue, boolean[] used, int from, int to, int w,
            double cx, double cy, double scale, double[] coef, boolean[] doubtful) {
        double[] residual = new double[to - from];
        double[] absolute = new double[to - from];
        double[] level = new double[to - from];
        double[] phi = new double[6];
        int m = 0;
        for (int q = from; q < to; q++) {
            int p = queue[q];
            basis((p % w - cx) / scale, (p / w - cy) / scale, phi);
            double t = 0;
            for (int k = 0; k < coef.length; k++) {
                t += coef[k] * phi[k];
            }
            residual[q - from] = values[p] - t;
            if (used[q]) {
                absolute[m] = Math.abs(values[p] - t);
                level[m] = Math.abs(values[p]);
                m++;
            }
        }
        if (m == 0) {
            return false;
        }
        double sigma = 1.4826 * median(absolute, m);
        double limit = Math.max(OUTLIER_SIGMAS * sigma, OUTLIER_FRACTION * median(level, m));
        boolean any = false;
        int kept = m;
        for (int q = from; q < to; q++) {
            if (used[q] && doubtful[queue[q]] && Math.abs(residual[q - from]) > limit && kept > coef.length) {
                used[q] = false;
                kept--;
                any = true;
            }
        }
        return any;
    }

    private static double median(double[] a, int n) {
        double[] b = java.util.Arrays.copyOf(a, n);
        java.util.Arrays.sort(b);
        return n % 2 == 1 ? b[n / 2] : 0.5 * (b[n / 2 - 1] + b[n / 2]);
    }

    /** Least-squares coefficients over the ring, or null when the normal equations are (near) singular. */
    private static double[] fit(float[] values, int[] queue, boolean[] used, int from, int to, int w, double cx,
            double cy, double scale, int terms) {
        double[][] a = new double[terms][terms + 1];
        double[] phi = new double[6];
        for (int q = from; q < to; q++) {
            if (!used[q]) {
                continue;
            }
            int p = queue[q];
            basis((p % w - cx) / scale, (p / w - cy) / scale, phi);
            double v = values[p];
            for (int r = 0; r < terms; r++) {
                for (int c = 0; c < terms; c++) {
                    a[r][c] += phi[r] * phi[c];
                }
                a[r][terms] += phi[r] * v;
            }
        }
        return solve(a, terms);
    }

    /**
     * Gaussian elimination with partial pivoting; null when a pivot is tiny against its column's own scale (a basis
     * function the others almost explain on this ring: its coefficient would be noise).
     */
    private static double[] solve(double[][] a, int m) {
        double[] diag = new double[m];
        for (int c = 0; c < m; c++) {
            diag[c] = a[c][c];
        }
        for (int c = 0; c < m; c++) {
            int best = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[best][c])) {
                    best = r;
                }
            }
            if (!(Math.abs(a[best][c]) > 1e-6 * diag[c])) {
                return null;
            }
            double[] tmp = a[c];
            a[c] = a[best];
            a[best] = tmp;
            for (int r = c + 1; r < m; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= m; k++) {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
        double[] x = new double[m];
        for (int r = m - 1; r >= 0; r--) {
            double s = a[r][m];
            for (int k = r + 1; k < m; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    private static void basis(double u, double v, double[] phi) {
        phi[0] = 1;
        phi[1] = u;
        phi[2] = v;
        phi[3] = u * u;
        phi[4] = u * v;
        phi[5] = v * v;
    }

    /** The d-th 4-neighbour of p (0 left, 1 right, 2 up, 3 down), or -1 outside the image. */
    private static int neighbour(int p, int x, int y, int d, int w, int h) {
        switch (d) {
            case 0:
                return x > 0 ? p - 1 : -1;
            case 1:
                return x < w - 1 ? p + 1 : -1;
            case 2:
                return y > 0 ? p - w : -1;
            default:
                return y < h - 1 ? p + w : -1;
        }
    }
}
