package org.diff2dgs.inpaint.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;

import org.diff2dgs.inpaint.internal.flow.HarmonicFill;
import org.diff2dgs.inpaint.internal.flow.TrendFill;
import org.diff2dgs.inpaint.internal.flow.TrendFill.Degree;
import org.junit.jupiter.api.Test;

/**
 * The trend fill continues a surface's slope into holes that reach the image border, where the harmonic fill goes
 * flat: a plane (both degrees) and a quadratic bowl (degree 2) come back exactly up to float rounding.
 */
class TrendFillTest {

    private static final int W = 83;
    private static final int H = 61;

    private static final DoubleBinaryOperator PLANE = (x, y) -> 40 + 0.31 * x - 0.17 * y;
    private static final DoubleBinaryOperator BOWL = (x, y) -> 60 + 0.004 * (x - 30) * (x - 30)
            + 0.006 * (y - 25) * (y - 25) - 0.002 * (x - 30) * (y - 25);

    @Test
    void planeComesBackInHolesAtTheBorderWhereTheHarmonicFillGoesFlat() {
        for (long seed = 1; seed <= 5; seed++) {
            boolean[] known = holes(seed);
            assertTrue(worst(PLANE, known, Degree.PLANE) < 1e-3, "plane, seed " + seed);
            assertTrue(worst(PLANE, known, Degree.QUADRATIC) < 1e-3, "plane with degree 2, seed " + seed);
            assertTrue(worst(PLANE, known, null) > 1, "the harmonic fill misses the plane, seed " + seed);
        }
    }

    @Test
    void quadraticBowlComesBackWithDegreeTwo() {
        for (long seed = 1; seed <= 5; seed++) {
            boolean[] known = holes(seed);
            double trend = worst(BOWL, known, Degree.QUADRATIC);
            double harmonic = worst(BOWL, known, null);
            assertTrue(trend < 1e-3, "bowl, seed " + seed + ": " + trend);
            assertTrue(harmonic > 0.5, "the harmonic fill misses the bowl, seed " + seed + ": " + harmonic);
            assertTrue(worst(BOWL, known, Degree.PLANE) < harmonic, "a plane trend is still closer, seed " + seed);
        }
    }

    @Test
    void pixelsOutsideTheDomainStayAndAreNotUsed() {
        boolean[] known = holes(3);
        boolean[] domain = new boolean[W * H];
        float[] a = new float[W * H];
        Random r = new Random(8);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                domain[i] = x != 20; // a column cut out of the domain, holding garbage
                a[i] = domain[i] ? (float) PLANE.applyAsDouble(x, y) : 1000 + (float) r.nextGaussian() * 100;
                if (!known[i] && domain[i]) {
                    a[i] = (float) r.nextGaussian() * 50;
                }
            }
        }
        float[] before = a.clone();
        TrendFill.fill(a, known, domain, W, H, Degree.PLANE, 6);
        for (int i = 0; i < a.length; i++) {
            if (domain[i]) {
                assertEquals(PLANE.applyAsDouble(i % W, i / W), a[i], 1e-3, "pixel " + i);
            } else {
                assertEquals(before[i], a[i], "outside the domain: untouched");
            }
        }
    }

    @Test
    void doubtfulOutliersNextToAHoleAreRefilledAndOthersStay() {
        boolean[] known = holes(4);
        Random r = new Random(31);
        float[] a = new float[W * H];
        boolean[] doubtful = new boolean[W * H];
        boolean[] outlier = new boolean[W * H];
        int outliers = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                a[i] = (float) PLANE.applyAsDouble(x, y);
                if (!known[i]) {
                    a[i] = (float) r.nextGaussian() * 50;
                    continue;
                }
                // pixels beside the holes: some doubtful, a few of them carrying a far nearer value (an instrument's)
                boolean besideHole = (x > 0 && !known[i - 1]) || (y > 0 && !known[i - W]);
                doubtful[i] = besideHole && r.nextInt(3) > 0;
                if (doubtful[i] && r.nextInt(4) == 0) {
                    a[i] = (float) (0.5 * PLANE.applyAsDouble(x, y));
                    outlier[i] = true;
                    outliers++;
                }
            }
        }
        assertTrue(outliers > 10, "the case has outliers: " + outliers);
        float[] plain = a.clone();
        float[] given = a.clone();
        TrendFill.fill(plain, known, null, W, H, Degree.PLANE, 8);
        TrendFill.fill(a, known, null, doubtful, W, H, Degree.PLANE, 8);
        double worstPlain = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double truth = PLANE.applyAsDouble(i % W, i / W);
            if (outlier[i]) {
                // not doubtful (observed), the same value stays: the fill never overrules what was seen
                assertEquals(given[i], plain[i], "outlier pixel " + i + " not marked doubtful");
            }
            if (!known[i] || outlier[i]) {
                worst = Math.max(worst, Math.abs(a[i] - truth));
                worstPlain = Math.max(worstPlain, Math.abs(plain[i] - truth));
            } else {
                assertEquals(truth, a[i], 1e-3, "known pixel " + i + " that agrees with the trend stays");
            }
        }
        assertTrue(worst < 0.05, "holes and rejected outliers back on the plane: " + worst);
        assertTrue(worstPlain > 5, "without doubt, the outliers pull the fill: " + worstPlain);
    }

    @Test
    void nothingKnownIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TrendFill.fill(new float[W * H], new boolean[W * H], null,
                W, H, Degree.QUADRATIC, 8));
    }

    /** Largest error inside the holes; degree null = the harmonic fill. */
    private static double worst(DoubleBinaryOperator f, boolean[] known, Degree degree) {
        float[] a = new float[W * H];
        Random r = new Random(99);
        for (int i = 0; i < a.length; i++) {
            // garbage that must be replaced inside the holes
            a[i] = known[i] ? (float) f.applyAsDouble(i % W, i / W) : (float) r.nextGaussian() * 50;
        }
        if (degree == null) {
            HarmonicFill.fill(new float[][] {a}, known, W, H);
        } else {
            TrendFill.fill(a, known, null, W, H, degree, 8);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (!known[i]) {
                worst = Math.max(worst, Math.abs(a[i] - f.applyAsDouble(i % W, i / W)));
            }
        }
        return worst;
    }

    /**
     * Three random discs and a random box, the box and one disc touching the border (one of them in the top-right
     * corner, like tissue a moving camera never showed), so several separate holes of different shapes.
     */
    private static boolean[] holes(long seed) {
        Random r = new Random(seed);
        boolean[] known = new boolean[W * H];
        java.util.Arrays.fill(known, true);
        // a box in the top-right corner
        int bw = 10 + r.nextInt(12);
        int bh = 8 + r.nextInt(10);
        for (int y = 0; y < bh; y++) {
            for (int x = W - bw; x < W; x++) {
                known[y * W + x] = false;
            }
        }
        // a disc cut by the left or bottom border, and two inside
        double[][] discs = {
            r.nextBoolean() ? new double[] {0, 15 + r.nextInt(30), 7 + r.nextInt(6)}
                    : new double[] {10 + r.nextInt(30), H - 1, 7 + r.nextInt(6)},
            {25 + r.nextInt(15), 15 + r.nextInt(10), 4 + r.nextInt(4)},
            {50 + r.nextInt(10), 35 + r.nextInt(10), 5 + r.nextInt(5)}};
        for (double[] d : discs) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= d[2] * d[2]) {
                        known[y * W + x] = false;
                    }
                }
            }
        }
        return known;
    }
}
