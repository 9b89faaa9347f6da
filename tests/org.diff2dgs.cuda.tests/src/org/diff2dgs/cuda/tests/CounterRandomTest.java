package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.train.CounterRandom;
import org.junit.jupiter.api.Test;

/**
 * cuda/densify.cu places split children with draw k of SplittableRandom(seed) computed from k alone; the formula
 * (CounterRandom, the same arithmetic as densify_random) must give the JDK generator's sequence exactly, for seeds of
 * every sign and far into the sequence.
 */
class CounterRandomTest {

    @Test
    void indexedDrawsAreTheSequentialGenerator() {
        long[] seeds = {0L, 1L, -1L, 6666L * 31 + 600, Long.MIN_VALUE, 0x123456789abcdefL};
        for (long seed : seeds) {
            SplittableRandom sequential = new SplittableRandom(seed);
            for (long k = 0; k < 10_000; k++) {
                long expected = sequential.nextLong();
                assertEquals(expected, CounterRandom.nextLong(seed, k), "seed " + seed + " draw " + k);
            }
            SplittableRandom doubles = new SplittableRandom(seed);
            for (long k = 0; k < 10_000; k++) {
                double expected = doubles.nextDouble();
                assertEquals(expected, CounterRandom.nextDouble(seed, k), "seed " + seed + " draw " + k);
            }
        }
    }

    @Test
    void aDrawFarIntoTheSequence() {
        SplittableRandom r = new SplittableRandom(42);
        for (int k = 0; k < 1_000_003; k++) {
            r.nextLong();
        }
        assertEquals(r.nextLong(), CounterRandom.nextLong(42, 1_000_003));
    }
}
