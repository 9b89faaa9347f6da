package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.parity.NearCutComparison;
import org.junit.jupiter.api.Test;

/** The float-exp forward comparison keeps flips at the cuts apart from real errors, and counts them. */
class NearCutComparisonTest {

    private static final int PLANES = 10;
    private static final int PIXELS = 40_000;
    private static final double TOLERANCE = 1e-4;

    private static float[] image(SplittableRandom random) {
        float[] v = new float[PLANES * PIXELS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.05 + random.nextDouble());
        }
        return v;
    }

    /** The reference with relative noise of a few float ulps (what float exp leaves away from the cuts). */
    private static float[] withUlpNoise(float[] cpu, SplittableRandom random) {
        float[] g = cpu.clone();
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (g[i] * (1 + 4e-7 * (random.nextDouble() - 0.5)));
        }
        return g;
    }

    @Test
    void ulpNoiseAwayFromTheCutsPassesWithoutFlips() {
        SplittableRandom random = new SplittableRandom(17);
        float[] cpu = image(random);
        float[] gpu = withUlpNoise(cpu, random);
        NearCutComparison.Outcome o = NearCutComparison.compare(gpu, cpu, PLANES, PIXELS, new int[PIXELS], TOLERANCE);
        assertEquals(0, o.flips());
        assertEquals(0, o.flagged());
        assertTrue(o.maxRelError() > 0 && o.maxRelError() < 1e-6, "error " + o.maxRelError());
        assertTrue(o.passed(TOLERANCE));
    }

    @Test
    void aFlaggedPixelThatFlipsIsCountedNotHidden() {
        SplittableRandom random = new SplittableRandom(18);
        float[] cpu = image(random);
        float[] gpu = withUlpNoise(cpu, random);
        int[] flags = new int[PIXELS];
        flags[1234] = 1;
        flags[777] = 1;  // flagged, but came out the same: not a flip
        gpu[3 * PIXELS + 1234] += 1f / 255f;  // one whole contribution gained in an AUX plane
        NearCutComparison.Outcome o = NearCutComparison.compare(gpu, cpu, PLANES, PIXELS, flags, TOLERANCE);
        assertEquals(2, o.flagged());
        assertEquals(1, o.flips());
        assertTrue(o.worstFlip() > 1e-3, "flip error " + o.worstFlip());
        assertTrue(o.maxRelError() < 1e-6, "the flip must not count as error elsewhere");
        assertTrue(o.passed(TOLERANCE), "4 flips allowed in 40,000 pixels");
    }

    @Test
    void anUnflaggedPixelBeyondTheToleranceFails() {
        SplittableRandom random = new SplittableRandom(19);
        float[] cpu = image(random);
        float[] gpu = withUlpNoise(cpu, random);
        gpu[5 * PIXELS + 99] += 1f / 255f;
        NearCutComparison.Outcome o = NearCutComparison.compare(gpu, cpu, PLANES, PIXELS, new int[PIXELS], TOLERANCE);
        assertEquals(0, o.flips());
        assertTrue(o.maxRelError() > TOLERANCE);
        assertFalse(o.passed(TOLERANCE));
    }

    @Test
    void tooManyFlipsFail() {
        SplittableRandom random = new SplittableRandom(20);
        float[] cpu = image(random);
        float[] gpu = withUlpNoise(cpu, random);
        int[] flags = new int[PIXELS];
        for (int k = 0; k < 5; k++) {  // 4 allowed (1e-4 of 40,000)
            int p = random.nextInt(PIXELS);
            while (flags[p] != 0) {
                p = random.nextInt(PIXELS);
            }
            flags[p] = 1;
            gpu[p] -= 1f / 255f;
        }
        NearCutComparison.Outcome o = NearCutComparison.compare(gpu, cpu, PLANES, PIXELS, flags, TOLERANCE);
        assertEquals(5, o.flips());
        assertFalse(o.passed(TOLERANCE));
    }

    @Test
    void nonFiniteValuesAreErrorsEvenWhenFlagged() {
        SplittableRandom random = new SplittableRandom(21);
        float[] cpu = image(random);
        float[] gpu = withUlpNoise(cpu, random);
        int[] flags = new int[PIXELS];
        flags[5] = 1;
        gpu[5] = Float.NaN;
        NearCutComparison.Outcome o = NearCutComparison.compare(gpu, cpu, PLANES, PIXELS, flags, TOLERANCE);
        assertEquals(Double.POSITIVE_INFINITY, o.maxRelError());
        assertFalse(o.passed(TOLERANCE));
    }

    @Test
    void mismatchedSizesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> NearCutComparison.compare(new float[10], new float[10], 2, 4, new int[4], TOLERANCE));
    }
}
