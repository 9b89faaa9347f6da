package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.raster.FootprintBound;
import org.diff2dgs.cuda.internal.raster.FootprintCases;
import org.diff2dgs.cuda.internal.raster.TissueScene;
import org.diff2dgs.splat.internal.CpuStages;
import org.junit.jupiter.api.Test;

/**
 * The warp-level footprint bound (footprint.cuh, Java twin FootprintBound) is conservative: it never rejects a
 * (surfel, rectangle) pair in which some pixel centre passes the rho cut, checked pixel by pixel with the kernel's own
 * float test, on binned scenes with oblique, elongated and edge-on surfels and on random adjoint matrices whose Pz
 * changes sign; and it rejects a good share of the pairs whose box meets the rectangle but whose footprint misses it.
 */
class FootprintBoundTest {

    private static final int WIDTH = 160;
    private static final int HEIGHT = 128;

    /** Tissue surfels, a third turned to random orientations and stretched, a third (nearly) edge-on to their ray. */
    static SurfelBatch obliqueScene(int n, SplittableRandom random) {
        SurfelBatch b = TissueScene.surfels(n, WIDTH, HEIGHT, 1.0, random);
        float[] p = b.positions();
        float[] q = b.rotations();
        float[] s = b.scales();
        for (int i = 0; i < n; i++) {
            int kind = i % 3;
            if (kind == 0) {
                continue;
            }
            double[] normal;
            if (kind == 1) {
                normal = unit(random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
            } else {
                // perpendicular to the ray from the camera (at the origin) to the centre, tilted by up to 0.02 rad
                double[] ray = unit(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
                double[] side = unit(cross(ray, unit(random.nextGaussian(), random.nextGaussian(),
                        random.nextGaussian())));
                double tilt = random.nextDouble() < 0.3 ? 0 : (random.nextDouble() - 0.5) * 0.04;
                normal = unit(side[0] + tilt * ray[0], side[1] + tilt * ray[1], side[2] + tilt * ray[2]);
            }
            double[] quat = alignZ(normal, random.nextDouble() * 2 * Math.PI);
            for (int k = 0; k < 4; k++) {
                q[4 * i + k] = (float) quat[k];
            }
            s[2 * i] *= (float) (1 + 7 * random.nextDouble());
        }
        return b;
    }

    @Test
    void neverRejectsAPairWithAPassingPixelAndRejectsMostMisses() {
        long cases = 0;
        long missing = 0;
        long rejected = 0;
        long passing = 0;
        for (long seed = 1; seed <= 3; seed++) {
            long scene = seed;
            SplittableRandom random = new SplittableRandom(1000 + seed);
            SurfelBatch b = obliqueScene(3000, random);
            Camera cam = TissueScene.frontCamera(WIDTH, HEIGHT);
            CpuStages.Result cpu = CpuStages.run(b, cam, TissueScene.settings());
            FootprintCases.Cases c = FootprintCases.fromBinning(cpu, WIDTH, 400_000, random);
            for (int k = 0; k < c.count(); k++) {
                boolean passes = FootprintCases.somePixelPasses(c, k);
                boolean misses = FootprintCases.misses(c, k);
                if (passes) {
                    passing++;
                    assertFalse(misses, () -> "scene seed " + scene + ": rejected a pair with a passing pixel");
                } else {
                    missing++;
                    rejected += misses ? 1 : 0;
                }
            }
            cases += c.count();
        }
        double share = (double) rejected / missing;
        System.out.printf(Locale.ROOT, "footprint bound: %d pairs, %d with a passing pixel, %d box-meeting but "
                + "footprint-missing, %d of those rejected (%.1f%%)%n", cases, passing, missing, rejected, 100 * share);
        assertTrue(cases > 50_000 && passing > 10_000 && missing > 10_000, cases + " " + passing + " " + missing);
        assertTrue(share > 0.5, "rejected share " + share);
    }

    /**
     * Random tile-relative adjoint columns (Pz crossing 0 included), centres and cuts, random rectangles; magnitudes
     * from 1e-3 to 1e3, and in every third case from 1e-25 to 1e25 (squares in the subnormal range and near overflow).
     */
    @Test
    void neverRejectsAPassingPixelOnRandomAdjoints() {
        SplittableRandom random = new SplittableRandom(77);
        float[] s = new float[FootprintBound.SURFEL_FLOATS];
        int rejected = 0;
        int passing = 0;
        for (int t = 0; t < 60_000; t++) {
            double scale = t % 3 == 0 ? Math.pow(10, random.nextDouble() * 50 - 25)
                    : Math.pow(10, random.nextDouble() * 6 - 3);
            for (int k = 0; k < 9; k++) {
                s[k] = (float) (random.nextGaussian() * scale * (k >= 6 ? 8 : 1));
            }
            if (t % 4 == 0) {
                // Pz = 0 on a line through the tile: C'z = -(Az x + Bz y) at a random point of it
                s[8] = (float) -(s[2] * random.nextDouble() * 16 + s[5] * random.nextDouble() * 16);
            }
            s[9] = (float) (random.nextDouble() * 40 - 12);
            s[10] = (float) (random.nextDouble() * 40 - 12);
            s[11] = t % 50 == 0 ? -1f : (float) (0.01 + random.nextDouble() * 11.1);
            int ax = random.nextInt(16);
            int bx = random.nextInt(16);
            int ay = random.nextInt(16);
            int by = random.nextInt(16);
            int ix0 = Math.min(ax, bx);
            int ix1 = Math.max(ax, bx);
            int iy0 = Math.min(ay, by);
            int iy1 = Math.max(ay, by);
            boolean passes = false;
            for (int ly = iy0; ly <= iy1 && !passes; ly++) {
                for (int lx = ix0; lx <= ix1 && !passes; lx++) {
                    passes = FootprintCases.pixelPasses(s, 0, lx, ly);
                }
            }
            boolean misses = FootprintBound.misses(s, 0, ix0, iy0, ix1, iy1);
            if (passes) {
                passing++;
                assertFalse(misses, "case " + t + " rejected with a passing pixel");
            }
            rejected += misses ? 1 : 0;
        }
        assertTrue(passing > 5_000 && rejected > 5_000, passing + " passing, " + rejected + " rejected");
    }

    /**
     * Squares in the subnormal range round with an absolute, not a relative error, so the pads prove nothing there: the
     * bound must not reject (review case: A = B = 0, C' = (sqrt(12 u), 0, sqrt(1.45 u)), u = 2^-149, whose pixel
     * (0, 0) has rho3 = 8.28 under a cut of 10). The same surfel scaled by 1e30 keeps its footprint and is kept too.
     */
    @Test
    void neverRejectsWhenTheSquaresAreSubnormal() {
        float u = Float.MIN_VALUE;
        float[] s = {0, 0, 0, 0, 0, 0, (float) Math.sqrt(12.0 * u), 0, (float) Math.sqrt(1.45 * u), 100f, 100f, 10f};
        assertTrue(FootprintCases.pixelPasses(s, 0, 0, 0), "the pixel passes the rho cut");
        assertFalse(FootprintBound.misses(s, 0, 0, 0, 0, 0), "subnormal squares: never rejected");
        float[] scaled = s.clone();
        for (int k = 0; k < 9; k++) {
            scaled[k] *= 1e30f;
        }
        assertTrue(FootprintCases.pixelPasses(scaled, 0, 0, 0));
        assertFalse(FootprintBound.misses(scaled, 0, 0, 0, 0, 0));
    }

    @Test
    void nanAndNonPositiveCutsAreHandledSafely() {
        // P = (fx - 40, fy - 40, 1): rho3 = |f - (40, 40)|^2, the footprint a disc of radius 2 around (40, 40)
        float[] s = {1f, 0, 0, 0, 1f, 0, -40f, -40f, 1f, 40f, 40f, 4f};
        assertTrue(FootprintBound.misses(s, 0, 0, 0, 15, 1), "a surfel far from the strip is rejected");
        float[] nan = s.clone();
        nan[9] = Float.NaN;
        assertFalse(FootprintBound.misses(nan, 0, 0, 0, 15, 1), "NaN centre: never rejected");
        float[] nanCut = s.clone();
        nanCut[11] = Float.NaN;
        assertFalse(FootprintBound.misses(nanCut, 0, 0, 0, 15, 1), "NaN cut: every pixel passes, never rejected");
        assertTrue(FootprintCases.pixelPasses(nanCut, 0, 3, 1));
        float[] edge = s.clone();
        edge[2] = 0.1f;
        edge[8] = -0.85f;  // Pz = 0.1 fx - 0.85 changes sign at fx = 8.5
        assertFalse(FootprintBound.misses(edge, 0, 0, 0, 15, 1), "Pz changes sign over the strip: never rejected");
        // the same disc around (8, 8) inside the tile: the whole tile is not rejected, a far corner strip is
        float[] inside = s.clone();
        inside[6] = -8f;
        inside[7] = -8f;
        inside[9] = 8f;
        inside[10] = 8f;
        assertFalse(FootprintBound.misses(inside, 0, 0, 0, 15, 15));
        assertTrue(FootprintBound.misses(inside, 0, 0, 0, 3, 1));
        assertTrue(FootprintCases.pixelPasses(inside, 0, 8, 8));
        assertEquals(0x1p-16f, FootprintBound.PAD);
    }

    private static double[] unit(double x, double y, double z) {
        double l = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / l, y / l, z / l};
    }

    private static double[] unit(double[] v) {
        return unit(v[0], v[1], v[2]);
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    /** Unit quaternion (w, x, y, z) turning the local z axis to {@code n}, after a turn by {@code spin} about z. */
    private static double[] alignZ(double[] n, double spin) {
        double[] z = {0, 0, 1};
        double[] axis = cross(z, n);
        double sin = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double angle = Math.atan2(sin, n[2]);
        double[] a = sin < 1e-12 ? new double[] {1, 0, 0} : new double[] {axis[0] / sin, axis[1] / sin, axis[2] / sin};
        double h = angle / 2;
        double[] align = {Math.cos(h), a[0] * Math.sin(h), a[1] * Math.sin(h), a[2] * Math.sin(h)};
        double[] turn = {Math.cos(spin / 2), 0, 0, Math.sin(spin / 2)};
        return new double[] {
            align[0] * turn[0] - align[3] * turn[3],
            align[1] * turn[0] + align[2] * turn[3],
            align[2] * turn[0] - align[1] * turn[3],
            align[3] * turn[0] + align[0] * turn[3]};
    }
}
