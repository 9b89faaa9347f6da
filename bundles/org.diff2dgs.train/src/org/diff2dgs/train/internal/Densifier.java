package org.diff2dgs.train.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.train.optim.Adam;

/**
 * Adaptive density control of 3DGS (Kerbl et al. 2023, Sec. 5.2) as 2DGS uses it: surfels whose mean screen-space
 * gradient exceeds the threshold are cloned when small and split in their tangent plane when large; transparent,
 * oversized or screen-filling surfels are pruned. New rows start with zero Adam moments; the deformation of a new
 * surfel starts as a copy of its source's.
 */
public final class Densifier {

    /** Screen radius in pixels above which surfels are pruned after the first opacity reset (3DGS). */
    static final int MAX_SCREEN_RADIUS = 20;
    /** Split children per surfel and their scale shrink, as in the reference code. */
    static final int SPLIT_CHILDREN = 2;
    static final double SPLIT_SHRINK = 0.8 * SPLIT_CHILDREN;

    /** Accumulated statistics between densifications. */
    public static final class Statistics {
        public float[] gradientSum;
        public int[] visibleCount;
        public int[] maxRadius;

        public Statistics(int n) {
            reset(n);
        }

        void reset(int n) {
            gradientSum = new float[n];
            visibleCount = new int[n];
            maxRadius = new int[n];
        }

        public void add(float[] screenGradient, int[] radii, int n) {
            for (int i = 0; i < n; i++) {
                if (radii[i] > 0) {
                    gradientSum[i] += screenGradient[i];
                    visibleCount[i]++;
                    maxRadius[i] = Math.max(maxRadius[i], radii[i]);
                }
            }
        }
    }

    /**
     * What density control did; {@code surfels} and {@code field} are null when it would prune every surfel, and then
     * the inputs are left as they were (a run cannot go on without surfels: the Trainer stops it with the reason).
     */
    public record Result(SurfelParameters surfels, DeformationField field, int cloned, int split, int pruned) {

        public boolean prunedAll() {
            return surfels == null;
        }
    }

    private Densifier() {
    }

    public static Result densifyAndPrune(SurfelParameters s, DeformationField field, Adam adam, Statistics stats,
            double gradThreshold, double minOpacity, double percentDense, double extent, boolean pruneLarge,
            int maxSurfels, long seed) {
        int n = s.count();
        float[] logScale = s.model().logScales();
        float[] logit = s.model().opacityLogits();
        float opacityLogitMin = SurfelParameters.logit(minOpacity);
        boolean[] clone = new boolean[n];
        boolean[] split = new boolean[n];
        int budget = Math.max(0, maxSurfels - n);
        Integer[] candidates = candidates(stats, gradThreshold, n);
        int cloned = 0;
        int splitCount = 0;
        for (int idx : candidates) {
            double maxScale = Math.exp(Math.max(logScale[2 * idx], logScale[2 * idx + 1]));
            // larger than percentDense x extent: split, else clone (3DGS percent_dense)
            if (maxScale <= percentDense * extent) {
                if (budget < 1) {
                    continue;
                }
                clone[idx] = true;
                budget--;
                cloned++;
            } else {
                if (budget < SPLIT_CHILDREN - 1) {
                    continue;
                }
                split[idx] = true;
                budget -= SPLIT_CHILDREN - 1;
                splitCount++;
            }
        }
        // rows of the new set: survivors, clones, split children; then prune on the new rows
        int[] source = new int[n + cloned + SPLIT_CHILDREN * splitCount];
        boolean[] fresh = new boolean[source.length];
        int rows = 0;
        for (int i = 0; i < n; i++) {
            if (!split[i]) {
                source[rows++] = i;
            }
        }
        for (int i = 0; i < n; i++) {
            if (clone[i]) {
                fresh[rows] = true;
                source[rows++] = i;
            }
        }
        int firstChild = rows;
        for (int i = 0; i < n; i++) {
            if (split[i]) {
                for (int c = 0; c < SPLIT_CHILDREN; c++) {
                    fresh[rows] = true;
                    source[rows++] = i;
                }
            }
        }
        SurfelParameters grown = s.reindex(source);
        placeSplitChildren(grown, firstChild, rows, seed);
        // prune: transparent everywhere; oversized in the world or on screen once opacities have been reset
        boolean[] keep = new boolean[rows];
        int kept = 0;
        float[] gLogScale = grown.model().logScales();
        for (int j = 0; j < rows; j++) {
            boolean drop = grown.model().opacityLogits()[j] < opacityLogitMin;
            if (pruneLarge) {
                double maxScale = Math.exp(Math.max(gLogScale[2 * j], gLogScale[2 * j + 1]));
                boolean original = j < firstChild && !fresh[j];
                drop |= maxScale > 0.1 * extent;
                drop |= original && stats.maxRadius[source[j]] > MAX_SCREEN_RADIUS;
            }
            keep[j] = !drop;
            if (keep[j]) {
                kept++;
            }
        }
        if (kept == 0) {
            // nothing to reindex to (no tensor can hold zero rows); the Adam state and statistics stay untouched
            return new Result(null, null, cloned, splitCount, rows);
        }
        int[] select = new int[kept];
        int[] finalSource = new int[kept];
        int[] adamSource = new int[kept];
        for (int j = 0, k = 0; j < rows; j++) {
            if (keep[j]) {
                select[k] = j;
                finalSource[k] = source[j];
                adamSource[k] = fresh[j] ? -1 : source[j];
                k++;
            }
        }
        SurfelParameters result = grown.reindex(select);
        for (Parameter p : result.all()) {
            adam.reindex(p, adamSource);
        }
        DeformationField newField = field.reindex(finalSource);
        for (Parameter p : newField.parameters()) {
            if (p.perSurfel()) {
                adam.reindex(p, adamSource);
            } else {
                adam.rebind(p);
            }
        }
        stats.reset(kept);
        return new Result(result, newField, cloned, splitCount, rows - kept);
    }

    /** Candidates by decreasing mean gradient, so a full budget keeps the most under-reconstructed regions. */
    private static Integer[] candidates(Statistics stats, double threshold, int n) {
        Integer[] idx = new Integer[n];
        int m = 0;
        float[] mean = new float[n];
        for (int i = 0; i < n; i++) {
            mean[i] = stats.visibleCount[i] == 0 ? 0 : stats.gradientSum[i] / stats.visibleCount[i];
            if (mean[i] >= threshold) {
                idx[m++] = i;
            }
        }
        Integer[] c = Arrays.copyOf(idx, m);
        Arrays.sort(c, (a, b) -> a.equals(b) ? 0 : (mean[b] != mean[a] ? Float.compare(mean[b], mean[a]) : a - b));
        return c;
    }

    /**
     * Split children: centres sampled from the parent's 2D Gaussian in its tangent plane, scales shrunk by 1/(0.8 N)
     * (3DGS densify_and_split, with the third axis of 2DGS set to zero).
     */
    private static void placeSplitChildren(SurfelParameters g, int from, int to, long seed) {
        float[] pos = g.model().positions();
        float[] rot = g.model().rotations();
        float[] ls = g.model().logScales();
        SplittableRandom rnd = new SplittableRandom(seed);
        double shrink = Math.log(SPLIT_SHRINK);
        for (int j = from; j < to; j++) {
            double su = Math.exp(ls[2 * j]);
            double sv = Math.exp(ls[2 * j + 1]);
            double a = gaussian(rnd) * su;
            double b = gaussian(rnd) * sv;
            double w = rot[4 * j];
            double x = rot[4 * j + 1];
            double y = rot[4 * j + 2];
            double z = rot[4 * j + 3];
            double norm = Math.sqrt(w * w + x * x + y * y + z * z);
            w /= norm;
            x /= norm;
            y /= norm;
            z /= norm;
            // first two columns of R(q)
            double tux = 1 - 2 * (y * y + z * z);
            double tuy = 2 * (x * y + w * z);
            double tuz = 2 * (x * z - w * y);
            double tvx = 2 * (x * y - w * z);
            double tvy = 1 - 2 * (x * x + z * z);
            double tvz = 2 * (y * z + w * x);
            pos[3 * j] += (float) (a * tux + b * tvx);
            pos[3 * j + 1] += (float) (a * tuy + b * tvy);
            pos[3 * j + 2] += (float) (a * tuz + b * tvz);
            ls[2 * j] -= (float) shrink;
            ls[2 * j + 1] -= (float) shrink;
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default, keep it explicit
        double u = Math.max(r.nextDouble(), 1e-300);
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** 3DGS opacity reset: opacities above 0.01 drop to 0.01 and their Adam moments restart. */
    public static void resetOpacity(SurfelParameters s, Adam adam) {
        float cap = SurfelParameters.logit(0.01);
        float[] logit = s.model().opacityLogits();
        for (int i = 0; i < logit.length; i++) {
            logit[i] = Math.min(logit[i], cap);
        }
        int[] freshRows = new int[s.count()];
        Arrays.fill(freshRows, -1);
        adam.reindex(s.opacityLogits, freshRows);
    }
}
