package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.diff2dgs.cuda.internal.raster.RadixPlan;
import org.junit.jupiter.api.Test;

class RadixPlanTest {

    @Test
    void bitsCoverEveryTileIndex() {
        assertEquals(0, RadixPlan.bitsFor(0));
        assertEquals(0, RadixPlan.bitsFor(1));
        assertEquals(1, RadixPlan.bitsFor(2));
        assertEquals(2, RadixPlan.bitsFor(3));
        assertEquals(11, RadixPlan.bitsFor(40 * 32)); // 640x512
        assertEquals(11, RadixPlan.bitsFor(2048));
        assertEquals(12, RadixPlan.bitsFor(2049));
        for (int v = 2; v < 5000; v++) {
            int bits = RadixPlan.bitsFor(v);
            assertTrue((v - 1) >>> bits == 0, "value " + (v - 1) + " fits " + bits + " bits");
            assertTrue((v - 1) >>> (bits - 1) == 1, "no bit wasted for " + v);
        }
    }

    @Test
    void passesSplitEvenlyWithinTheSharedMemoryLimit() {
        assertArrayEquals(new int[] {11, 10, 10}, RadixPlan.digitBits(RadixPlan.DEPTH_KEY_BITS));
        assertArrayEquals(new int[] {11}, RadixPlan.digitBits(11));
        assertArrayEquals(new int[] {6, 6}, RadixPlan.digitBits(12));
        assertArrayEquals(new int[] {8, 8, 8, 7}, RadixPlan.digitBits(RadixPlan.DEPTH_KEY_BITS, 8));
        assertArrayEquals(new int[] {8, 8, 8, 7}, RadixPlan.digitBits(RadixPlan.DEPTH_KEY_BITS, 9),
                "four passes either way: as even as possible");
        assertArrayEquals(new int[] {11, 10, 10}, RadixPlan.digitBits(RadixPlan.DEPTH_KEY_BITS, 11));
        assertThrows(IllegalArgumentException.class, () -> RadixPlan.digitBits(31, 12));
        assertThrows(IllegalArgumentException.class, () -> RadixPlan.digitBits(31, 0));
        assertArrayEquals(new int[0], RadixPlan.digitBits(0));
        for (int k = 0; k <= 32; k++) {
            int[] bits = RadixPlan.digitBits(k);
            assertEquals(k, Arrays.stream(bits).sum(), "all " + k + " bits sorted");
            assertEquals((k + 10) / 11, bits.length, "fewest passes for " + k + " bits");
            for (int b : bits) {
                assertTrue(b >= 1 && b <= RadixPlan.MAX_DIGIT_BITS, k + " bits: pass of " + b);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> RadixPlan.digitBits(33));
    }
}
