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
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.deform.internal.MlpArchitecture;
import org.diff2dgs.deform.internal.MlpField;
import org.diff2dgs.deform.internal.MlpModel;
import org.junit.jupiter.api.Test;

class MlpFieldTest {

    /**
     * sum over surfels of upstream . f(encode(p), encode(t)) in double, written from the definition. {@code w} is the
     * concatenation w1 | b1 | w2 | b2 | w3 | b3.
     */
    static double reference(double[] w, MlpArchitecture a, float[] norm, GaussianModel m, double t, float[] up) {
        int inP = a.positionInputs();
        int in = a.inputs();
        int h = a.hidden();
        int oB1 = in * h;
        int oW2 = oB1 + h;
        int oB2 = oW2 + h * h;
        int oW3 = oB2 + h;
        int oB3 = oW3 + h * 9;
        double total = 0;
        for (int i = 0; i < m.count(); i++) {
            double[] enc = new double[in];
            for (int c = 0; c < 3; c++) {
                double u = (m.positions()[3 * i + c] - (double) norm[c]) * norm[3];
                enc[c] = u;
                for (int k = 0; k < a.positionFrequencies(); k++) {
                    enc[3 + c * 2 * a.positionFrequencies() + 2 * k] = Math.sin(Math.pow(2, k) * Math.PI * u);
                    enc[3 + c * 2 * a.positionFrequencies() + 2 * k + 1] = Math.cos(Math.pow(2, k) * Math.PI * u);
                }
            }
            enc[inP] = t;
            for (int k = 0; k < a.timeFrequencies(); k++) {
                enc[inP + 1 + 2 * k] = Math.sin(Math.pow(2, k) * Math.PI * t);
                enc[inP + 2 + 2 * k] = Math.cos(Math.pow(2, k) * Math.PI * t);
            }
            double[] h1 = new double[h];
            double[] h2 = new double[h];
            for (int j = 0; j < h; j++) {
                double z = w[oB1 + j];
                for (int q = 0; q < in; q++) {
                    z += enc[q] * w[q * h + j];
                }
                h1[j] = Math.max(z, 0);
            }
            for (int j = 0; j < h; j++) {
                double z = w[oB2 + j];
                for (int q = 0; q < h; q++) {
                    z += h1[q] * w[oW2 + q * h + j];
                }
                h2[j] = Math.max(z, 0);
            }
            for (int k = 0; k < 9; k++) {
                double z = w[oB3 + k];
                for (int q = 0; q < h; q++) {
                    z += h2[q] * w[oW3 + q * 9 + k];
                }
                total += up[9 * i + k] * z;
            }
        }
        return total;
    }

    private static List<Parameter> learnable(DeformationField f) {
        return f.parameters().subList(0, 6);
    }

    private static double[] concat(List<Parameter> ps, boolean grad) {
        int n = 0;
        for (Parameter p : ps) {
            n += p.value().length;
        }
        double[] d = new double[n];
        int o = 0;
        for (Parameter p : ps) {
            float[] a = grad ? p.grad() : p.value();
            for (float v : a) {
                d[o++] = v;
            }
        }
        return d;
    }

    private static float[][] upstream(int n, SplittableRandom rnd) {
        float[] flat = Gradients.randomArray(rnd, 9 * n);
        float[] dp = new float[3 * n];
        float[] dr = new float[4 * n];
        float[] ds = new float[2 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 9; c++) {
                float v = flat[9 * i + c];
                if (c < 3) {
                    dp[3 * i + c] = v;
                } else if (c < 7) {
                    dr[4 * i + c - 3] = v;
                } else {
                    ds[2 * i + c - 7] = v;
                }
            }
        }
        return new float[][] {dp, dr, ds, flat};
    }

    private static void randomizeOutputLayer(DeformationField f, SplittableRandom rnd) {
        for (Parameter p : f.parameters()) {
            if (p.name().equals(MlpField.W3) || p.name().equals(MlpField.B3)) {
                for (int i = 0; i < p.value().length; i++) {
                    p.value()[i] = (float) (0.3 * rnd.nextGaussian());
                }
            }
        }
    }

    @Test
    void isTheIdentityAtCreationWithSharedTensors() {
        GaussianModel m = Gradients.randomModel(40, 1);
        DeformationField f = new MlpModel().create(m, 3);
        assertEquals("mlp", f.modelName());
        for (Parameter p : f.parameters()) {
            assertEquals(0, p.rows(), p.name() + " is shared");
        }
        float[] pos = new float[120];
        float[] rot = new float[160];
        float[] sc = new float[80];
        f.deform(0.3, m, pos, rot, sc);
        assertArrayEquals(m.positions(), pos);
        assertArrayEquals(m.rotations(), rot);
        assertArrayEquals(m.logScales(), sc);
        // same seed, same weights; another seed, other weights
        assertArrayEquals(f.parameters().get(0).value(), new MlpModel().create(m, 3).parameters().get(0).value());
        assertTrue(f.parameters().get(0).value()[0] != new MlpModel().create(m, 4).parameters().get(0).value()[0]);
    }

    @Test
    void gradientsOfEveryWeightMatchFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(12);
        MlpArchitecture arch = new MlpArchitecture(2, 3, 8);
        int n = 5;
        GaussianModel m = Gradients.randomModel(n, 13);
        MlpField f = MlpField.create("mlp", arch, m, 14);
        randomizeOutputLayer(f, rnd);
        float[] norm = f.parameters().get(6).value();
        for (double t : new double[] {0.0, 0.63}) {
            float[][] up = upstream(n, rnd);
            for (Parameter p : f.parameters()) {
                java.util.Arrays.fill(p.grad(), 0f);
            }
            f.backward(t, m, up[0], up[1], up[2]);
            double[] w = concat(learnable(f), false);
            float[] pos = new float[3 * n];
            float[] rot = new float[4 * n];
            float[] sc = new float[2 * n];
            f.deform(t, m, pos, rot, sc);
            double fwd = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 9; c++) {
                    double o = c < 3 ? pos[3 * i + c] - m.positions()[3 * i + c]
                            : c < 7 ? rot[4 * i + c - 3] - m.rotations()[4 * i + c - 3]
                                    : sc[2 * i + c - 7] - m.logScales()[2 * i + c - 7];
                    fwd += up[3][9 * i + c] * o;
                }
            }
            assertEquals(reference(w, arch, norm, m, t, up[3]), fwd, 1e-4);
            double tt = t;
            double[] fd = Gradients.centralDifferences(w, null, 1e-6, x -> reference(x, arch, norm, m, tt, up[3]));
            Gradients.assertClose("MLP at t=" + t, concat(learnable(f), true), fd, 1e-3);
            for (float g : f.parameters().get(6).grad()) {
                assertEquals(0, g, 0, "the normalization is not learned");
            }
        }
    }

    @Test
    void defaultArchitectureGradientOnASampleOfWeights() {
        SplittableRandom rnd = new SplittableRandom(15);
        int n = 4;
        GaussianModel m = Gradients.randomModel(n, 16);
        DeformationField f = new MlpModel().create(m, 17);
        randomizeOutputLayer(f, rnd);
        MlpArchitecture arch = MlpArchitecture.DEFAULT;
        float[] norm = f.parameters().get(6).value();
        float[][] up = upstream(n, rnd);
        f.backward(0.25, m, up[0], up[1], up[2]);
        double[] w = concat(learnable(f), false);
        int[] sample = rnd.ints(300, 0, w.length).toArray();
        double[] fd = Gradients.centralDifferences(w, sample, 1e-6, x -> reference(x, arch, norm, m, 0.25, up[3]));
        double[] all = concat(learnable(f), true);
        double[] picked = new double[sample.length];
        for (int i = 0; i < sample.length; i++) {
            picked[i] = all[sample[i]];
        }
        Gradients.assertClose("default MLP", picked, fd, 1e-3);
    }

    @Test
    void chunkedGradientsAreDeterministic() {
        SplittableRandom rnd = new SplittableRandom(18);
        int n = 3000;
        GaussianModel m = Gradients.randomModel(n, 19);
        DeformationField f = new MlpModel().create(m, 20);
        randomizeOutputLayer(f, rnd);
        float[][] up = upstream(n, rnd);
        f.backward(0.5, m, up[0], up[1], up[2]);
        float[] first = f.parameters().get(2).grad().clone();
        for (Parameter p : f.parameters()) {
            java.util.Arrays.fill(p.grad(), 0f);
        }
        f.backward(0.5, m, up[0], up[1], up[2]);
        assertArrayEquals(first, f.parameters().get(2).grad());
    }

    @Test
    void reindexAndRestoreKeepTheFunction() {
        SplittableRandom rnd = new SplittableRandom(21);
        GaussianModel m = Gradients.randomModel(6, 22);
        MlpModel model = new MlpModel();
        DeformationField f = model.create(m, 23);
        randomizeOutputLayer(f, rnd);
        float[] a = new float[18];
        f.deform(0.9, m, a, new float[24], new float[12]);

        DeformationField g = f.reindex(new int[] {5, -1, 0});
        assertEquals(3, g.surfelCount());
        for (int k = 0; k < f.parameters().size(); k++) {
            assertArrayEquals(f.parameters().get(k).value(), g.parameters().get(k).value());
            assertTrue(f.parameters().get(k).value() != g.parameters().get(k).value());
        }

        Map<String, float[]> tensors = new HashMap<>();
        for (Parameter p : f.parameters()) {
            tensors.put(p.name(), p.value());
        }
        DeformationField r = model.restore(6, tensors);
        float[] b = new float[18];
        r.deform(0.9, m, b, new float[24], new float[12]);
        assertArrayEquals(a, b);
        tensors.put(MlpField.W2, new float[3]);
        assertThrows(UserInputException.class, () -> model.restore(6, tensors));
        tensors.remove(MlpField.W2);
        assertThrows(UserInputException.class, () -> model.restore(6, tensors));
    }
}
