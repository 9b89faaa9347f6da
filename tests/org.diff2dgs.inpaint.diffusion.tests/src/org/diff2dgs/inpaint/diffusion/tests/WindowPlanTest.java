package org.diff2dgs.inpaint.diffusion.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.inpaint.diffusion.internal.WindowPlan;
import org.junit.jupiter.api.Test;

class WindowPlanTest {

    private static int[] starts(WindowPlan plan) {
        return plan.windows().stream().mapToInt(w -> w.frames()[0]).toArray();
    }

    @Test
    void publishedPartitionsOf22FramesWithOverlap5() {
        // regular: 0, 17 while the window ends before the clip's end, then the last window; swapped from 11
        assertArrayEquals(new int[] {0, 17, 28}, starts(WindowPlan.of(50, 22, 5, false)));
        assertArrayEquals(new int[] {0, 11, 28}, starts(WindowPlan.of(50, 22, 5, true)));
        assertArrayEquals(new int[] {0, 17, 34, 51, 68, 78}, starts(WindowPlan.of(100, 22, 5, false)));
        assertArrayEquals(new int[] {0, 11, 28, 45, 62, 78}, starts(WindowPlan.of(100, 22, 5, true)));
        assertArrayEquals(new int[] {0}, starts(WindowPlan.of(22, 22, 5, true)));
        assertArrayEquals(new int[] {0, 1}, starts(WindowPlan.of(23, 22, 5, false)));
    }

    @Test
    void everyFrameIsCoveredAndWeightsSumToOne() {
        for (int n : new int[] {4, 5, 7, 9, 12, 22, 23, 44, 45, 50, 97, 156}) {
            for (int f : new int[] {4, 22}) {
                if (n < f) {
                    continue;
                }
                for (int overlap : new int[] {0, 1, f / 4, f - 1}) {
                    for (boolean swapped : new boolean[] {false, true}) {
                        WindowPlan plan = WindowPlan.of(n, f, overlap, swapped);
                        double[] sum = new double[n];
                        int[] covered = new int[n];
                        for (WindowPlan.Window w : plan.windows()) {
                            assertEquals(f, w.frames().length);
                            for (int k = 0; k < f; k++) {
                                assertEquals(w.frames()[0] + k, w.frames()[k]);
                                assertTrue(w.weights()[k] >= 0 && w.weights()[k] <= 1);
                                sum[w.frames()[k]] += w.weights()[k];
                                covered[w.frames()[k]]++;
                            }
                        }
                        for (int i = 0; i < n; i++) {
                            String what = "n=" + n + " f=" + f + " overlap=" + overlap + " swapped=" + swapped
                                    + " frame " + i;
                            assertTrue(covered[i] > 0, what);
                            assertEquals(1.0, sum[i], 1e-12, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sharedFramesCrossFadeLinearly() {
        List<WindowPlan.Window> w = WindowPlan.of(50, 22, 5, false).windows();
        // frames 17..21 are shared by windows 0 and 1: window 1 rises 1/6 .. 5/6, window 0 falls 5/6 .. 1/6
        for (int k = 0; k < 5; k++) {
            assertEquals((k + 1) / 6.0, w.get(1).weights()[k], 1e-12);
            assertEquals(1 - (k + 1) / 6.0, w.get(0).weights()[17 + k], 1e-12);
        }
        assertEquals(1.0, w.get(1).weights()[5], 1e-12);
        // the last window (28..49) shares 28..38 with window 1: eleven rising weights k/12
        for (int k = 0; k < 11; k++) {
            assertEquals((k + 1) / 12.0, w.get(2).weights()[k], 1e-12);
        }
    }

    @Test
    void clipsShorterThanAWindowAreRefused() {
        UserInputException e = assertThrows(UserInputException.class, () -> WindowPlan.of(10, 22, 5, false));
        assertTrue(e.getMessage().contains("10 frames") && e.getMessage().contains("22"), e.getMessage());
        assertThrows(UserInputException.class, () -> WindowPlan.of(30, 22, 22, false));
    }
}
