package org.diff2dgs.inpaint.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.diff2dgs.inpaint.internal.flow.HarmonicFill;
import org.junit.jupiter.api.Test;

/** Linear functions are harmonic: the fill must reproduce them inside any hole; pixels outside the domain stay. */
class HarmonicFillTest {

    private static final int W = 61;
    private static final int H = 47;

    @Test
    void reproducesALinearFunctionInsideHoles() {
        Random r = new Random(17);
        float[] a = new float[W * H];
        boolean[] known = new boolean[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                a[y * W + x] = plane(x, y);
                known[y * W + x] = true;
            }
        }
        // two holes (not touching the border: there the fill has a zero normal derivative, unlike the plane)
        for (int y = 10; y < 30; y++) {
            for (int x = 12; x < 40; x++) {
                known[y * W + x] = false;
            }
        }
        for (int y = 33; y < H - 2; y++) {
            for (int x = 45; x < W - 2; x++) {
                known[y * W + x] = false;
            }
        }
        for (int i = 0; i < a.length; i++) {
            if (!known[i]) {
                a[i] = (float) r.nextGaussian() * 50; // garbage that must be replaced
            }
        }
        HarmonicFill.fill(new float[][] {a}, known, W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(plane(x, y), a[y * W + x], 0.05, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void ignoresPixelsOutsideTheDomain() {
        float[] a = new float[W * H];
        boolean[] known = new boolean[W * H];
        boolean[] domain = new boolean[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                a[i] = plane(x, y);
                known[i] = !(x >= 20 && x < 30 && y >= 20 && y < 30);
                domain[i] = x < 40;
                if (!domain[i]) {
                    a[i] = 1000; // must neither be used nor changed
                }
            }
        }
        HarmonicFill.fill(new float[][] {a}, known, domain, W, H);
        for (int y = 20; y < 30; y++) {
            for (int x = 20; x < 30; x++) {
                assertEquals(plane(x, y), a[y * W + x], 0.05, "pixel " + x + "," + y);
            }
        }
        assertEquals(1000, a[10 * W + 50]);
    }

    @Test
    void needsAKnownPixel() {
        assertThrows(IllegalArgumentException.class,
                () -> HarmonicFill.fill(new float[][] {new float[W * H]}, new boolean[W * H], W, H));
    }

    private static float plane(int x, int y) {
        return 2.5f + 0.13f * x - 0.07f * y;
    }
}
