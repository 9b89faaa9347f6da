package org.diff2dgs.train.optim.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.train.optim.Adam;
import org.diff2dgs.train.optim.ExponentialLr;
import org.junit.jupiter.api.Test;

class AdamTest {

    private static Parameter param(String name, int rows, int width, float... values) {
        int size = rows == 0 ? width : rows * width;
        float[] v = values.length == size ? values : new float[size];
        return new Parameter(name, rows, width, v, new float[size]);
    }

    @Test
    void columnScaleGivesEachColumnItsOwnRate() {
        // one width-3 tensor with rates (1, 1/20, 1/20) x lr must move like three tensors with those rates
        SplittableRandom r = new SplittableRandom(11);
        int rows = 5;
        float[] start = new float[3 * rows];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) r.nextDouble(-1, 1);
        }
        Adam joint = new Adam(0.9, 0.999, 1e-15);
        Parameter together = param("sh", rows, 3, start.clone());
        joint.add(together, 2.5e-3);
        joint.setColumnScale("sh", new float[] {1f, 0.05f, 0.05f});
        Adam separate = new Adam(0.9, 0.999, 1e-15);
        Parameter[] columns = new Parameter[3];
        for (int c = 0; c < 3; c++) {
            float[] v = new float[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = start[3 * i + c];
            }
            columns[c] = param("c" + c, rows, 1, v);
            separate.add(columns[c], c == 0 ? 2.5e-3 : 2.5e-3 / 20);
        }
        for (int step = 0; step < 4; step++) {
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < 3; c++) {
                    float g = (float) r.nextDouble(-1, 1);
                    together.grad()[3 * i + c] = g;
                    columns[c].grad()[i] = g;
                }
            }
            joint.stepAndZeroGrad();
            separate.stepAndZeroGrad();
        }
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(columns[c].value()[i], together.value()[3 * i + c], 1e-7);
            }
        }
        double dc = 0;
        double rest = 0;
        for (int i = 0; i < rows; i++) {
            dc += Math.abs(together.value()[3 * i] - start[3 * i]);
            rest += Math.abs(together.value()[3 * i + 1] - start[3 * i + 1]);
        }
        assertTrue(dc > 10 * rest, "the first column moves about 20x further: " + dc + " vs " + rest);
        assertThrows(IllegalArgumentException.class, () -> joint.setColumnScale("sh", new float[2]));
    }

    @Test
    void twoStepsMatchAHandComputation() {
        // torch.optim.Adam(lr=0.1, betas=(0.9, 0.999), eps=1e-8) on one value, gradients 0.5 then -0.25
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        Parameter p = param("x", 0, 1, 1f);
        adam.add(p, 0.1);
        p.grad()[0] = 0.5f;
        adam.step();
        assertEquals(0.900000002, p.value()[0], 1e-7);
        p.grad()[0] = -0.25f;
        adam.step();
        assertEquals(0.8733662987078463, p.value()[0], 1e-6);
        assertEquals(2, adam.stepCount("x"));
        adam.zeroGrad();
        assertEquals(0, p.grad()[0]);
    }

    @Test
    void fusedStepAndZeroGradEqualsTheTwoCalls() {
        SplittableRandom rnd = new SplittableRandom(73);
        Parameter a = param("a", 100, 3);
        Parameter b = param("a", 100, 3);
        Adam one = new Adam();
        Adam two = new Adam();
        one.add(a, 0.01);
        two.add(b, 0.01);
        for (int it = 0; it < 3; it++) {
            for (int i = 0; i < 300; i++) {
                a.grad()[i] = b.grad()[i] = (float) rnd.nextGaussian();
            }
            one.step();
            one.zeroGrad();
            two.stepAndZeroGrad();
            assertArrayEquals(a.value(), b.value());
            assertArrayEquals(new float[300], b.grad());
        }
    }

    @Test
    void convergesOnAQuadratic() {
        SplittableRandom rnd = new SplittableRandom(71);
        int n = 50;
        Parameter p = param("x", n, 1);
        double[] centre = new double[n];
        double[] curvature = new double[n];
        for (int i = 0; i < n; i++) {
            centre[i] = 4 * rnd.nextDouble() - 2;
            curvature[i] = 0.1 + 10 * rnd.nextDouble();
        }
        Adam adam = new Adam();
        adam.add(p, 0.1);
        ExponentialLr schedule = ExponentialLr.of(0.1, 1e-4, 1500);
        for (int it = 0; it < 2000; it++) {
            adam.setLearningRate("x", schedule.at(it));
            for (int i = 0; i < n; i++) {
                p.grad()[i] = (float) (2 * curvature[i] * (p.value()[i] - centre[i]));
            }
            adam.step();
            adam.zeroGrad();
        }
        for (int i = 0; i < n; i++) {
            assertEquals(centre[i], p.value()[i], 2e-3, "coordinate " + i);
        }
    }

    @Test
    void reindexKeepsMomentsOfSurvivorsAndZeroesNewRows() {
        Adam adam = new Adam();
        Parameter p = param("pos", 3, 2, 1, 2, 3, 4, 5, 6);
        adam.add(p, 0.01);
        float[] g = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        System.arraycopy(g, 0, p.grad(), 0, 6);
        adam.step();
        Map<String, float[]> before = adam.state();
        float[] m = before.get("pos.exp_avg");
        float[] v = before.get("pos.exp_avg_sq");
        // prune row 1, clone row 2, add a fresh row
        int[] source = {0, 2, 2, -1};
        Parameter q = param("pos", 4, 2);
        adam.reindex(q, source);
        Map<String, float[]> after = adam.state();
        float[] m2 = after.get("pos.exp_avg");
        float[] v2 = after.get("pos.exp_avg_sq");
        assertArrayEquals(new float[] {m[0], m[1], m[4], m[5], m[4], m[5], 0, 0}, m2);
        assertArrayEquals(new float[] {v[0], v[1], v[4], v[5], v[4], v[5], 0, 0}, v2);
        assertEquals(1, adam.stepCount("pos"));
        assertTrue(adam.parameter("pos") == q);
        // a fresh row with zero moments and a zero gradient does not move
        q.value()[6] = 7;
        adam.step();
        assertEquals(7, q.value()[6]);
        assertEquals(2, adam.stepCount("pos"));
    }

    @Test
    void stepWithoutRebindAfterReindexIsAnError() {
        Adam adam = new Adam();
        Parameter p = param("pos", 2, 3);
        adam.add(p, 0.01);
        adam.reindex("pos", new int[] {1});
        assertThrows(IllegalStateException.class, adam::step);
        assertThrows(IllegalArgumentException.class, () -> adam.reindex("pos", new int[] {5}));
        Parameter shared = param("w", 0, 4);
        adam.add(shared, 0.1);
        assertThrows(IllegalArgumentException.class, () -> adam.reindex("w", new int[] {0}));
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        SplittableRandom rnd = new SplittableRandom(72);
        Parameter a = param("a", 4, 3);
        Parameter b = param("b", 0, 5);
        Adam adam = new Adam();
        adam.add(a, 0.01);
        adam.add(b, 0.02);
        for (int it = 0; it < 3; it++) {
            for (Parameter p : new Parameter[] {a, b}) {
                for (int i = 0; i < p.grad().length; i++) {
                    p.grad()[i] = (float) rnd.nextGaussian();
                }
            }
            adam.step();
        }
        Map<String, float[]> state = adam.state();
        Parameter a2 = new Parameter("a", 4, 3, a.value().clone(), a.grad().clone());
        Parameter b2 = new Parameter("b", 0, 5, b.value().clone(), b.grad().clone());
        Adam restored = new Adam();
        restored.add(a2, 0);
        restored.add(b2, 0);
        restored.restore(state);
        assertEquals(3, restored.stepCount("a"));
        assertEquals(0.02, restored.learningRate("b"), 1e-9);
        adam.step();
        restored.step();
        assertArrayEquals(a.value(), a2.value());
        assertArrayEquals(b.value(), b2.value());
        state.remove("b.exp_avg_sq");
        assertThrows(IllegalArgumentException.class, () -> restored.restore(state));
    }

    @Test
    void exponentialScheduleOf3dgs() {
        ExponentialLr lr = ExponentialLr.of(1.6e-3, 1.6e-5, 4000);
        assertEquals(1.6e-3, lr.at(0), 1e-12);
        assertEquals(1.6e-4, lr.at(2000), 1e-10); // geometric mean half way
        assertEquals(1.6e-5, lr.at(4000), 1e-12);
        assertEquals(1.6e-5, lr.at(10000), 1e-12);
        assertEquals(0, lr.at(-1));
        ExponentialLr delayed = new ExponentialLr(1.0, 0.01, 100, 0.1, 1000);
        assertEquals(0.1, delayed.at(0), 1e-12);
        double plain = Math.exp(Math.log(1.0) * 0.95 + Math.log(0.01) * 0.05);
        assertEquals((0.1 + 0.9 * Math.sin(0.25 * Math.PI)) * plain, delayed.at(50), 1e-12);
        assertEquals(ExponentialLr.of(1.0, 0.01, 1000).at(500), delayed.at(500), 1e-12);
        assertEquals(0, new ExponentialLr(0, 0, 0, 1, 10).at(5));
    }
}
