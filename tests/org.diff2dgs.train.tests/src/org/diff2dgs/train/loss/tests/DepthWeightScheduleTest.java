package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diff2dgs.train.loss.DepthWeightSchedule;
import org.diff2dgs.train.loss.DepthWeightSchedule.Options;
import org.diff2dgs.train.loss.DepthWeightSchedule.Strategy;
import org.junit.jupiter.api.Test;

class DepthWeightScheduleTest {

    @Test
    void fixedIsConstant() {
        DepthWeightSchedule s = new DepthWeightSchedule(Options.fixed(2.5));
        assertEquals(2.5, s.weight(1, 3000, 0.1, 0.01));
        assertEquals(2.5, s.weight(3000, 3000, 0.01, 0.1));
    }

    @Test
    void adaptiveRatioFollowsTheFormula() {
        DepthWeightSchedule s = new DepthWeightSchedule(Options.diff2dgs());
        // start, equal losses: 10 * 1 * (1 + 0.25 tanh(~0)) = 10
        assertEquals(10, s.weight(0, 3000, 0.05, 0.05), 1e-6);
        // half way, colour twice the depth loss: 10 * 0.6 * (1 + 0.25 tanh(1))
        assertEquals(6 * (1 + 0.25 * Math.tanh(1)), s.weight(1500, 3000, 0.2, 0.1), 1e-6);
        // end, colour far below depth: 2 * (1 + 0.25 tanh(-0.99...)), still above the minimum 1
        assertEquals(2 * (1 + 0.25 * Math.tanh(0.01 / (1 + 1e-8) - 1)), s.weight(3000, 3000, 0.01, 1), 1e-6);
        // no depth loss: gain 1
        assertEquals(2, s.weight(3000, 3000, 0.3, 0), 1e-9);
        // clipped at the minimum with a stronger decay
        Options strong = new Options(Strategy.ADAPTIVE_RATIO, 1, 10, 0.95, 0.25, 1, 10, 0.95, 0);
        assertEquals(1, new DepthWeightSchedule(strong).weight(3000, 3000, 0.01, 1), 0);
        // clipped at the maximum
        assertEquals(10, s.weight(0, 3000, 1, 0.01), 0);
    }

    @Test
    void emaAndWarmupVariants() {
        Options ema = new Options(Strategy.ADAPTIVE_RATIO_EMA, 1, 10, 0.8, 0.25, 1, 10, 0.5, 0);
        DepthWeightSchedule s = new DepthWeightSchedule(ema);
        double r1 = 0.2 / (0.1 + 1e-8);
        assertEquals(6 * (1 + 0.25 * Math.tanh(Math.log(r1))), s.weight(1500, 3000, 0.2, 0.1), 1e-6);
        double r2 = 0.05 / (0.1 + 1e-8);
        double smoothed = 0.5 * r1 + 0.5 * r2;
        assertEquals(6 * (1 + 0.25 * Math.tanh(Math.log(smoothed))), s.weight(1500, 3000, 0.05, 0.1), 1e-6);
        assertEquals(smoothed, s.ratioEma(), 1e-9);

        Options warm = new Options(Strategy.ADAPTIVE_RATIO_WARMUP, 1, 10, 0.8, 0.25, 1, 10, 0.95, 0.5);
        DepthWeightSchedule wu = new DepthWeightSchedule(warm);
        double adaptive = 10 * (1 - 0.8 * 0.25);
        // a quarter of the run with warm-up over half of it: half way from the minimum
        assertEquals(1 + 0.5 * (adaptive - 1), wu.weight(750, 3000, 0.1, 0.1), 1e-6);
    }
}
