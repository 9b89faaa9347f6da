package org.diff2dgs.inpaint.diffusion.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.inpaint.diffusion.internal.TcdSchedule;
import org.junit.jupiter.api.Test;

class TcdScheduleTest {

    /** abar_t recomputed independently: sum of logs of (1 - beta), betas from the scaled-linear definition. */
    private static double alphaBar(int t) {
        double log = 0;
        for (int s = 0; s <= t; s++) {
            double beta = Math.pow(Math.sqrt(0.00085) + s * (Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999.0, 2);
            log += Math.log1p(-beta);
        }
        return Math.exp(log);
    }

    @Test
    void timestepsFollowTheConsistencyGrid() {
        assertArrayEquals(new int[] {999}, new TcdSchedule(1).timesteps());
        assertArrayEquals(new int[] {999, 499}, new TcdSchedule(2).timesteps());
        assertArrayEquals(new int[] {999, 759, 499, 259}, new TcdSchedule(4).timesteps());
        assertArrayEquals(new int[] {999, 879, 759, 639, 499, 379, 259, 139}, new TcdSchedule(8).timesteps());
        int[] fifty = new TcdSchedule(50).timesteps();
        for (int i = 0; i < 50; i++) {
            assertEquals(999 - 20 * i, fifty[i]);
        }
        assertThrows(UserInputException.class, () -> new TcdSchedule(0));
        assertThrows(UserInputException.class, () -> new TcdSchedule(51));
    }

    @Test
    void noiseScheduleMatchesTheScaledLinearDefinition() {
        TcdSchedule s = new TcdSchedule(2);
        for (int t : new int[] {0, 1, 19, 259, 499, 759, 999}) {
            assertEquals(alphaBar(t), s.alphaBar(t), 1e-12 * Math.max(1, 1 / alphaBar(t)), "t=" + t);
        }
        // the well-known end point of the Stable Diffusion schedule
        assertEquals(0.00466, s.alphaBar(999), 5e-5);
        assertEquals(1 - 0.00085, s.alphaBar(0), 1e-15);
    }

    @Test
    void stepCoefficientsEqualPredictThenRenoise() {
        for (int steps : new int[] {1, 2, 4}) {
            TcdSchedule s = new TcdSchedule(steps);
            for (int i = 0; i < steps; i++) {
                int t = s.timestep(i);
                int next = i + 1 < steps ? s.timestep(i + 1) : 0;
                double at = alphaBar(t);
                double as = alphaBar(next);
                // x0 = (x - sqrt(1-at) eps) / sqrt(at); x_s = sqrt(as) x0 + sqrt(1-as) eps, at x = 1.3, eps = -0.4
                double x = 1.3;
                double eps = -0.4;
                double x0 = (x - Math.sqrt(1 - at) * eps) / Math.sqrt(at);
                double expected = Math.sqrt(as) * x0 + Math.sqrt(1 - as) * eps;
                double[] ab = s.stepCoefficients(i);
                assertEquals(expected, ab[0] * x + ab[1] * eps, 1e-9, steps + " steps, step " + i);
                assertEquals(next, s.target(i));
            }
        }
        double[] noising = new TcdSchedule(2).priorNoising();
        assertEquals(Math.sqrt(alphaBar(999)), noising[0], 1e-12);
        assertEquals(Math.sqrt(1 - alphaBar(999)), noising[1], 1e-12);
    }
}
