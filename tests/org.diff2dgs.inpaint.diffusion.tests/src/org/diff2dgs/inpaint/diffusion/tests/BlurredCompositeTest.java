package org.diff2dgs.inpaint.diffusion.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.diff2dgs.inpaint.diffusion.internal.BlurredComposite;
import org.diff2dgs.inpaint.diffusion.internal.WindowPlan;
import org.junit.jupiter.api.Test;

class BlurredCompositeTest {

    private static final int W = 47;
    private static final int H = 33;

    @Test
    void kernelIsOpenCvsGaussianForSize21() {
        assertEquals(3.5, BlurredComposite.SIGMA, 1e-15);
        double[] k = BlurredComposite.kernel();
        assertEquals(21, k.length);
        double sum = 0;
        for (int i = 0; i < 21; i++) {
            sum += k[i];
            assertEquals(k[i], k[20 - i], 1e-15);
            // ratio to the centre is exp(-d^2 / (2 sigma^2))
            assertEquals(Math.exp(-(i - 10.0) * (i - 10.0) / (2 * 3.5 * 3.5)), k[i] / k[10], 1e-12);
        }
        assertEquals(1.0, sum, 1e-12);
        assertArrayEquals(new int[] {2, 1, 0, 1, 2, 3, 4, 3, 2},
                java.util.stream.IntStream.rangeClosed(-2, 6).map(i -> BlurredComposite.reflect101(i, 5)).toArray());
    }

    @Test
    void compositeKeepsTheOriginalOutsideTheBlurredRegionAndTheResultInside() {
        Random random = new Random(4);
        float[] region = new float[W * H];
        for (int y = 12; y < 19; y++) {
            for (int x = 20; x < 26; x++) {
                region[y * W + x] = 1f;
            }
        }
        region[3 * W + 44] = 1f; // one pixel near the border exercises the reflected border
        float[] generated = new float[3 * W * H];
        float[] original = new float[3 * W * H];
        for (int i = 0; i < generated.length; i++) {
            generated[i] = random.nextFloat();
            original[i] = random.nextFloat();
        }
        float[] m = BlurredComposite.weights(region, W, H);
        float[] out = BlurredComposite.compose(generated, original, m, W * H);
        int feathered = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = y * W + x;
                int d = distanceToRegion(region, x, y);
                assertTrue(m[p] >= 0 && m[p] <= 1);
                assertEquals(Math.rint(m[p] * 255), m[p] * 255, 1e-4, "8-bit weights");
                for (int c = 0; c < 3; c++) {
                    int i = c * W * H + p;
                    if (d == 0) {
                        assertEquals(generated[i], out[i], 0f, "inside the region the result is taken whole");
                    } else if (d > 10) {
                        assertEquals(original[i], out[i], 0f, "beyond the kernel radius the original is kept");
                    } else {
                        assertEquals(m[p] * generated[i] + (1 - m[p]) * original[i], out[i], 1e-6);
                    }
                }
                if (d > 0 && d <= 10 && m[p] > 0) {
                    feathered++;
                }
                if (d == 1 && y > 13 && y < 17) {
                    assertTrue(m[p] > 0.2, "the border right next to the region is feathered, got " + m[p]);
                }
            }
        }
        assertTrue(feathered > 50, "a band around the region is feathered");
    }

    /** Chebyshev distance to the nearest region pixel (0 inside), capped at 99. */
    private static int distanceToRegion(float[] region, int x, int y) {
        int best = 99;
        for (int yy = 0; yy < H; yy++) {
            for (int xx = 0; xx < W; xx++) {
                if (region[yy * W + xx] > 0.5f) {
                    best = Math.min(best, Math.max(Math.abs(xx - x), Math.abs(yy - y)));
                }
            }
        }
        return best;
    }

    @Test
    void keyFramesAreEvenlySpacedAsPublished() {
        assertArrayEquals(new int[] {0, 2, 4, 6}, WindowPlan.keyFrames(9, 4));
        int[] keys = WindowPlan.keyFrames(156, 22);
        assertEquals(22, keys.length);
        for (int j = 0; j < 22; j++) {
            assertEquals((int) (j * (156.0 / 22)), keys[j]);
        }
        assertEquals(148, keys[21]); // 21 * 156 / 22 = 148.9
    }
}
