package org.diff2dgs.train.sh.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.train.loss.tests.FiniteDifferences;
import org.diff2dgs.train.sh.SphericalHarmonics;
import org.junit.jupiter.api.Test;

class SphericalHarmonicsTest {

    /** Real SH basis, 3DGS sign convention, in double. */
    static double[] basis(double x, double y, double z) {
        double xx = x * x, yy = y * y, zz = z * z;
        return new double[] {0.28209479177387814, -0.4886025119029199 * y, 0.4886025119029199 * z,
                -0.4886025119029199 * x, 1.0925484305920792 * x * y, -1.0925484305920792 * y * z,
                0.31539156525252005 * (2 * zz - xx - yy), -1.0925484305920792 * x * z,
                0.5462742152960396 * (xx - yy), -0.5900435899266435 * y * (3 * xx - yy),
                2.890611442640554 * x * y * z, -0.4570457994644658 * y * (4 * zz - xx - yy),
                0.3731763325901154 * z * (2 * zz - 3 * xx - 3 * yy), -0.4570457994644658 * x * (4 * zz - xx - yy),
                1.445305721320277 * z * (xx - yy), -0.5900435899266435 * x * (xx - 3 * yy)};
    }

    /** sum over surfels and channels of weight * colour, in double; params = sh then positions. */
    static double reference(double[] params, int count, int k, int degree, double[] cam, float[] weights) {
        int shLen = 3 * k * count;
        double total = 0;
        for (int i = 0; i < count; i++) {
            double x = params[shLen + 3 * i] - cam[0];
            double y = params[shLen + 3 * i + 1] - cam[1];
            double z = params[shLen + 3 * i + 2] - cam[2];
            double len = Math.sqrt(x * x + y * y + z * z);
            double[] b = basis(x / len, y / len, z / len);
            int used = (degree + 1) * (degree + 1);
            for (int c = 0; c < 3; c++) {
                double v = 0.5;
                for (int j = 0; j < used; j++) {
                    v += b[j] * params[(i * k + j) * 3 + c];
                }
                total += weights[3 * i + c] * Math.max(v, 0);
            }
        }
        return total;
    }

    @Test
    void basisIsOrthonormalOnTheSphere() {
        // coefficient 0.5 on one basis function: colour = 0.5 * Y_k(d) + 0.5, never clamped for degree <= 3
        int samples = 20000;
        int k = 16;
        GaussianModel m = GaussianModel.allocate(samples, 3);
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < samples; i++) {
            double z = 1 - 2 * (i + 0.5) / samples;
            double r = Math.sqrt(1 - z * z);
            m.positions()[3 * i] = (float) (r * Math.cos(golden * i));
            m.positions()[3 * i + 1] = (float) (r * Math.sin(golden * i));
            m.positions()[3 * i + 2] = (float) z;
        }
        double[][] values = new double[k][samples];
        float[] colors = new float[3 * samples];
        for (int j = 0; j < k; j++) {
            java.util.Arrays.fill(m.sh(), 0f);
            for (int i = 0; i < samples; i++) {
                m.sh()[(i * k + j) * 3] = 0.5f;
            }
            SphericalHarmonics.evaluate(m, 3, m.positions(), new double[3], colors);
            for (int i = 0; i < samples; i++) {
                values[j][i] = 2 * (colors[3 * i] - 0.5);
                assertEquals(0.5f, colors[3 * i + 1], 0f); // other channels: only the 0.5 offset
            }
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double integral = 0;
                for (int i = 0; i < samples; i++) {
                    integral += values[a][i] * values[b][i];
                }
                integral *= 4 * Math.PI / samples;
                assertEquals(a == b ? 1 : 0, integral, 2e-3, "<Y" + a + ", Y" + b + ">");
            }
        }
    }

    @Test
    void degreeZeroIsViewIndependentAndInvertsRgb() {
        GaussianModel m = GaussianModel.allocate(2, 0);
        m.sh()[0] = SphericalHarmonics.dcFromRgb(0.8);
        m.sh()[1] = SphericalHarmonics.dcFromRgb(0.1);
        m.sh()[2] = SphericalHarmonics.dcFromRgb(-0.2);
        System.arraycopy(m.sh(), 0, m.sh(), 3, 3);
        m.positions()[0] = 1;
        m.positions()[4] = -3;
        float[] colors = new float[6];
        SphericalHarmonics.evaluate(m, 0, m.positions(), new double[] {0.1, 0.2, 0.3}, colors);
        assertEquals(0.8, colors[0], 1e-6);
        assertEquals(0.1, colors[1], 1e-6);
        assertEquals(0, colors[2], 0); // clamped at 0
        assertEquals(colors[0], colors[3], 1e-7);
        assertEquals(colors[1], colors[4], 1e-7);
    }

    @Test
    void gradientsToCoefficientsAndPositionMatchFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(61);
        int count = 7;
        int k = 16;
        double[] cam = {0.2, -0.4, -2.0};
        for (int degree = 0; degree <= 3; degree++) {
            GaussianModel m = GaussianModel.allocate(count, 3);
            for (int i = 0; i < m.sh().length; i++) {
                m.sh()[i] = (float) (0.6 * (rnd.nextDouble() - 0.5));
            }
            for (int i = 0; i < 3 * count; i++) {
                m.positions()[i] = (float) (2 * rnd.nextDouble() - 1);
            }
            // surfel 0 far below zero in red: clamped, no gradient through that channel
            m.sh()[0] = -4f;
            float[] w = new float[3 * count];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (2 * rnd.nextDouble() - 1);
            }
            float[] dSh = new float[m.sh().length];
            float[] dPos = new float[3 * count];
            SphericalHarmonics.backward(m, degree, m.positions(), cam, w, dSh, dPos);
            double[] params = new double[m.sh().length + 3 * count];
            for (int i = 0; i < m.sh().length; i++) {
                params[i] = m.sh()[i];
            }
            for (int i = 0; i < 3 * count; i++) {
                params[m.sh().length + i] = m.positions()[i];
            }
            int d = degree;
            double[] fd = FiniteDifferences.gradient(params, 1e-6, p -> reference(p, count, k, d, cam, w));
            double[] fdSh = java.util.Arrays.copyOfRange(fd, 0, m.sh().length);
            double[] fdPos = java.util.Arrays.copyOfRange(fd, m.sh().length, fd.length);
            FiniteDifferences.assertGradient("SH coefficients, degree " + degree, dSh, 0, fdSh, 1e-3);
            if (degree > 0) {
                FiniteDifferences.assertGradient("SH position, degree " + degree, dPos, 0, fdPos, 1e-3);
            }
            assertEquals(0, dSh[0], 0, "clamped channel passes no gradient");
            // coefficients above the active degree get nothing
            for (int i = 0; i < count; i++) {
                for (int j = (degree + 1) * (degree + 1); j < k; j++) {
                    assertEquals(0, dSh[(i * k + j) * 3 + 1], 0);
                }
            }
            // forward agrees with the reference
            float[] colors = new float[3 * count];
            SphericalHarmonics.evaluate(m, degree, m.positions(), cam, colors);
            double sum = 0;
            for (int i = 0; i < colors.length; i++) {
                sum += w[i] * colors[i];
            }
            assertEquals(reference(params, count, k, degree, cam, w), sum, 1e-5);
            assertTrue(colors[0] == 0);
        }
    }
}
