package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.dataset.synthetic.internal.PortableMath;
import org.junit.jupiter.api.Test;

class PortableMathTest {

    @Test
    void expMatchesTheReferenceToFourteenDigits() {
        SplittableRandom random = new SplittableRandom(314);
        for (int i = 0; i < 200_000; i++) {
            double x = random.nextDouble(-60, 10);
            double expected = StrictMath.exp(x);
            assertEquals(expected, PortableMath.exp(x), 1e-14 * expected, "exp(" + x + ")");
        }
        assertEquals(1, PortableMath.exp(0), 0);
        assertEquals(0, PortableMath.exp(-1000), 0);
        assertTrue(Double.isInfinite(PortableMath.exp(1000)));
    }

    @Test
    void integerPowerMatchesTheReference() {
        SplittableRandom random = new SplittableRandom(2718);
        for (int i = 0; i < 100_000; i++) {
            double x = random.nextDouble(0, 1.2);
            int n = random.nextInt(0, 800);
            double expected = StrictMath.pow(x, n);
            assertEquals(expected, PortableMath.pow(x, n), 1e-12 * expected + 1e-300, x + "^" + n);
        }
    }
}
