package org.diff2dgs.deform.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.deform.internal.GaussianBasisField;
import org.diff2dgs.deform.internal.GaussianBasisModel;
import org.diff2dgs.deform.internal.SmoothGaussianBasisModel;
import org.junit.jupiter.api.Test;

class GaussianBasisFieldTest {

    private static final int B = 17;
    private static final int ROW = 9 * 3 * B;

    /** sum over surfels and channels of upstream * delta_c(t), in double, straight from the formula. */
    static double reference(double[] coefs, int count, double t, boolean squared, float[] upstream) {
        double total = 0;
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 9; c++) {
                int base = i * ROW + c * 3 * B;
                double delta = 0;
                for (int b = 0; b < B; b++) {
                    double d = t - coefs[base + B + b];
                    double sigma = coefs[base + 2 * B + b];
                    double e = d * d / (sigma * sigma + 1e-4);
                    delta += coefs[base + b] * Math.exp(-(squared ? e * e : e));
                }
                total += upstream[i * 9 + c] * delta;
            }
        }
        return total;
    }

    private static void randomize(float[] v, int count, SplittableRandom rnd) {
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 9; c++) {
                int base = i * ROW + c * 3 * B;
                for (int b = 0; b < B; b++) {
                    v[base + b] = (float) (0.3 * rnd.nextGaussian());
                    v[base + B + b] = (float) rnd.nextDouble();
                    // mostly wide enough to matter, a few at the narrow initial width (exercises the cut-off)
                    v[base + 2 * B + b] = (float) (b % 5 == 0 ? 0.01 : 0.05 + 0.3 * rnd.nextDouble());
                }
            }
        }
    }

    /** Upstream gradients in the layout of deform's outputs, and the same per surfel x channel. */
    private static float[][] upstream(int count, SplittableRandom rnd) {
        float[] dp = Gradients.randomArray(rnd, 3 * count);
        float[] dr = Gradients.randomArray(rnd, 4 * count);
        float[] ds = Gradients.randomArray(rnd, 2 * count);
        float[] flat = new float[9 * count];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 9; c++) {
                flat[i * 9 + c] = c < 3 ? dp[3 * i + c] : c < 7 ? dr[4 * i + c - 3] : ds[2 * i + c - 7];
            }
        }
        return new float[][] {dp, dr, ds, flat};
    }

    @Test
    void isTheIdentityAtCreation() {
        GaussianModel m = Gradients.randomModel(50, 1);
        DeformationField f = new GaussianBasisModel().create(m, 1);
        assertEquals("gaussian-basis", f.modelName());
        List<Parameter> params = f.parameters();
        assertEquals(1, params.size());
        Parameter p = params.get(0);
        assertEquals(50, p.rows());
        assertEquals(ROW, p.width());
        assertEquals(0.5f, p.value()[B + 8], 1e-7f); // centre 8 of channel 0 on linspace(0, 1, 17)
        assertEquals(0.01f, p.value()[2 * B + 3], 0f);
        float[] pos = new float[150];
        float[] rot = new float[200];
        float[] sc = new float[100];
        for (double t : new double[] {0, 0.03125, 0.5, 0.77, 1}) {
            f.deform(t, m, pos, rot, sc);
            assertArrayEquals(m.positions(), pos);
            assertArrayEquals(m.rotations(), rot);
            assertArrayEquals(m.logScales(), sc);
        }
    }

    @Test
    void forwardAndGradientsMatchTheDoubleReference() {
        for (DeformationModel model : new DeformationModel[] {new GaussianBasisModel(),
                new SmoothGaussianBasisModel()}) {
            boolean squared = model instanceof GaussianBasisModel;
            SplittableRandom rnd = new SplittableRandom(squared ? 2 : 3);
            int n = 3;
            GaussianModel m = Gradients.randomModel(n, 4);
            DeformationField f = model.create(m, 0);
            Parameter p = f.parameters().get(0);
            randomize(p.value(), n, rnd);
            for (double t : new double[] {0, 0.37, 0.5, 1}) {
                float[][] up = upstream(n, rnd);
                float[] pos = new float[3 * n];
                float[] rot = new float[4 * n];
                float[] sc = new float[2 * n];
                f.deform(t, m, pos, rot, sc);
                double forward = 0;
                for (int i = 0; i < 3 * n; i++) {
                    forward += up[0][i] * (pos[i] - m.positions()[i]);
                }
                for (int i = 0; i < 4 * n; i++) {
                    forward += up[1][i] * (rot[i] - m.rotations()[i]);
                }
                for (int i = 0; i < 2 * n; i++) {
                    forward += up[2][i] * (sc[i] - m.logScales()[i]);
                }
                double[] coefs = Gradients.toDouble(p.value());
                assertEquals(reference(coefs, n, t, squared, up[3]), forward, 1e-5);

                java.util.Arrays.fill(p.grad(), 0f);
                f.backward(t, m, up[0], up[1], up[2]);
                double tt = t;
                double[] fd = Gradients.centralDifferences(coefs, null, 1e-6,
                        x -> reference(x, n, tt, squared, up[3]));
                Gradients.assertClose(model.name() + " at t=" + t, Gradients.toDouble(p.grad()), fd, 1e-3);
            }
        }
    }

    @Test
    void reindexCopiesRowsAndInitializesNewOnes() {
        SplittableRandom rnd = new SplittableRandom(5);
        GaussianModel m = Gradients.randomModel(3, 6);
        DeformationField f = new GaussianBasisModel().create(m, 0);
        float[] v = f.parameters().get(0).value();
        randomize(v, 3, rnd);
        int[] source = {2, 0, -1, 0};
        DeformationField g = f.reindex(source);
        assertEquals(4, g.surfelCount());
        float[] w = g.parameters().get(0).value();
        for (int j = 0; j < 4; j++) {
            for (int k = 0; k < ROW; k++) {
                if (source[j] >= 0) {
                    assertEquals(v[source[j] * ROW + k], w[j * ROW + k], 0f);
                }
            }
        }
        DeformationField fresh = new GaussianBasisModel().create(Gradients.randomModel(1, 1), 0);
        assertArrayEquals(fresh.parameters().get(0).value(), java.util.Arrays.copyOfRange(w, 2 * ROW, 3 * ROW));
        assertTrue(w != v, "the new field must not share the old arrays");
        assertEquals(0, g.parameters().get(0).grad()[0]);
        assertThrows(IllegalArgumentException.class, () -> f.reindex(new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> f.reindex(new int[] {-2}));
    }

    @Test
    void parallelPassesAreDeterministicAndMatchSmallRuns() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 5000; // several parallel chunks
        GaussianModel m = Gradients.randomModel(n, 8);
        DeformationField f = new GaussianBasisModel().create(m, 0);
        Parameter p = f.parameters().get(0);
        randomize(p.value(), n, rnd);
        float[][] up = upstream(n, rnd);
        float[][] out1 = {new float[3 * n], new float[4 * n], new float[2 * n]};
        float[][] out2 = {new float[3 * n], new float[4 * n], new float[2 * n]};
        f.deform(0.41, m, out1[0], out1[1], out1[2]);
        f.deform(0.41, m, out2[0], out2[1], out2[2]);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(out1[k], out2[k]);
        }
        f.backward(0.41, m, up[0], up[1], up[2]);
        float[] g1 = p.grad().clone();
        java.util.Arrays.fill(p.grad(), 0f);
        f.backward(0.41, m, up[0], up[1], up[2]);
        assertArrayEquals(g1, p.grad());
        // a single surfel in its own field gives the same row
        int probe = 4321;
        DeformationField single = f.reindex(new int[] {probe});
        GaussianModel one = GaussianModel.allocate(1, 0);
        System.arraycopy(m.positions(), 3 * probe, one.positions(), 0, 3);
        float[] pos = new float[3];
        single.deform(0.41, one, pos, new float[4], new float[2]);
        assertEquals(out1[0][3 * probe + 1], pos[1], 0f);
    }

    @Test
    void restoreFromCheckpointTensors() {
        SplittableRandom rnd = new SplittableRandom(9);
        GaussianModel m = Gradients.randomModel(4, 10);
        GaussianBasisModel model = new GaussianBasisModel();
        DeformationField f = model.create(m, 0);
        randomize(f.parameters().get(0).value(), 4, rnd);
        Map<String, float[]> tensors = new HashMap<>();
        for (Parameter p : f.parameters()) {
            tensors.put(p.name(), p.value());
        }
        DeformationField g = model.restore(4, tensors);
        float[] a = new float[12];
        float[] b = new float[12];
        f.deform(0.6, m, a, new float[16], new float[8]);
        g.deform(0.6, m, b, new float[16], new float[8]);
        assertArrayEquals(a, b);
        assertTrue(g.parameters().get(0).value() != f.parameters().get(0).value());
        assertThrows(UserInputException.class, () -> model.restore(5, tensors));
        assertThrows(UserInputException.class, () -> model.restore(4, Map.of()));
        assertEquals(GaussianBasisField.PARAMETER, f.parameters().get(0).name());
    }

    @Test
    void rejectsOutputsThatAliasTheCanonicalModel() {
        GaussianModel m = Gradients.randomModel(2, 11);
        DeformationField f = new GaussianBasisModel().create(m, 0);
        assertThrows(IllegalArgumentException.class,
                () -> f.deform(0.5, m, m.positions(), new float[8], new float[4]));
        assertThrows(IllegalArgumentException.class,
                () -> f.deform(0.5, Gradients.randomModel(3, 1), new float[9], new float[12], new float[6]));
    }
}
