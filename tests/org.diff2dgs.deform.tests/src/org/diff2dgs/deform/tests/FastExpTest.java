package org.diff2dgs.deform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.deform.internal.FastExp;
import org.junit.jupiter.api.Test;

class FastExpTest {

    @Test
    void agreesWithMathExpFarBelowFloatPrecision() {
        SplittableRandom rnd = new SplittableRandom(30);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = rnd.nextDouble() * 110;
            double e = Math.exp(-x);
            worst = Math.max(worst, Math.abs(FastExp.negExp(x) - e) / e);
        }
        assertTrue(worst < 1e-8, "relative error " + worst);
        assertEquals(1.0, FastExp.negExp(0), 1e-15);
        assertEquals(Math.exp(-0.5), FastExp.negExp(0.5), 1e-9);
    }
}
