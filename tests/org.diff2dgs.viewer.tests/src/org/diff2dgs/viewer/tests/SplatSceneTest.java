package org.diff2dgs.viewer.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.api.Visualization;
import org.junit.jupiter.api.Test;

/** Surfels to splats: the deformation is applied at the asked time, axes and colours follow the 2DGS conventions. */
class SplatSceneTest {

    static GaussianModel randomModel(int n, long seed) {
        Random r = new Random(seed);
        GaussianModel m = GaussianModel.allocate(n, 1);
        for (int i = 0; i < 3 * n; i++) {
            m.positions()[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < 4 * n; i++) {
            m.rotations()[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < 2 * n; i++) {
            m.logScales()[i] = (float) (-3 + r.nextGaussian() * 0.5);
        }
        for (int i = 0; i < n; i++) {
            m.opacityLogits()[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < m.sh().length; i++) {
            m.sh()[i] = (float) (r.nextGaussian() * 0.8);
        }
        return m;
    }

    /** Moves every surfel by t * (1, 2, 3) and doubles its scales: a field whose output is known exactly. */
    static final class LinearDrift implements DeformationField {
        private final int n;

        LinearDrift(int n) {
            this.n = n;
        }

        @Override
        public String modelName() {
            return "linear-drift";
        }

        @Override
        public int surfelCount() {
            return n;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of();
        }

        @Override
        public void deform(double t, GaussianModel c, float[] p, float[] q, float[] s) {
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < 3; a++) {
                    p[3 * i + a] = (float) (c.positions()[3 * i + a] + t * (a + 1));
                }
                s[2 * i] = (float) (c.logScales()[2 * i] + Math.log(2));
                s[2 * i + 1] = (float) (c.logScales()[2 * i + 1] + Math.log(2));
            }
            System.arraycopy(c.rotations(), 0, q, 0, 4 * n);
        }

        @Override
        public void backward(double t, GaussianModel c, float[] dp, float[] dq, float[] ds) {
            throw new UnsupportedOperationException("not trained in this test");
        }

        @Override
        public DeformationField reindex(int[] source) {
            throw new UnsupportedOperationException("not trained in this test");
        }
    }

    @Test
    void appliesDeformationAtTimeAndBuildsOrthogonalAxes() {
        int n = 500;
        GaussianModel m = randomModel(n, 11);
        Visualization viz = Osgi.service(Visualization.class);
        SplatScene s = viz.sceneAt(m, new LinearDrift(n), 0.25, List.of());
        assertEquals(n, s.count());
        assertEquals(0.25, s.time());
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                assertEquals(m.positions()[3 * i + a] + 0.25 * (a + 1), s.centres()[3 * i + a], 1e-5);
            }
            double lu = len(s.axesU(), i);
            double lv = len(s.axesV(), i);
            assertEquals(2 * Math.exp(m.logScales()[2 * i]), lu, 1e-5 * lu);
            assertEquals(2 * Math.exp(m.logScales()[2 * i + 1]), lv, 1e-5 * lv);
            double dot = 0;
            for (int a = 0; a < 3; a++) {
                dot += s.axesU()[3 * i + a] * s.axesV()[3 * i + a];
            }
            assertEquals(0, dot / (lu * lv), 1e-5, "tangent axes must be orthogonal");
            int k = m.shCoefficients();
            for (int c = 0; c < 3; c++) {
                double expected = Math.max(0, Math.min(1, 0.28209479177387814 * m.sh()[i * k * 3 + c] + 0.5));
                assertEquals(expected, s.colours()[3 * i + c], 1e-6);
            }
            double o = s.opacities()[i];
            assertEquals(1 / (1 + Math.exp(-m.opacityLogits()[i])), o, 1e-6);
        }
    }

    @Test
    void identityQuaternionSpansXAndY() {
        GaussianModel m = GaussianModel.allocate(1, 0);
        m.rotations()[0] = 2; // unnormalized identity
        m.logScales()[0] = (float) Math.log(0.5);
        m.logScales()[1] = (float) Math.log(0.25);
        SplatScene s = Osgi.service(Visualization.class).sceneAt(m, null, 0, List.of());
        assertEquals(0.5, s.axesU()[0], 1e-6);
        assertEquals(0, s.axesU()[1], 1e-6);
        assertEquals(0.25, s.axesV()[1], 1e-6);
        assertEquals(0, s.axesV()[0], 1e-6);
    }

    private static double len(float[] v, int i) {
        return Math.sqrt(v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]);
    }
}
