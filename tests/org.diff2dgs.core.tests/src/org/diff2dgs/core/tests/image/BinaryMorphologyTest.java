package org.diff2dgs.core.tests.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.diff2dgs.core.image.BinaryMorphology;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The separable (2n+1)-square must equal n iterations of the 3x3 square, with OpenCV's border rule. */
class BinaryMorphologyTest {

    private static final int W = 37;
    private static final int H = 29;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    void matchesIterated3x3(int n) {
        boolean[] m = randomBlobs(n);
        boolean[] d = m;
        boolean[] e = m;
        for (int i = 0; i < n; i++) {
            d = step(d, true);
            e = step(e, false);
        }
        assertArrayEquals(d, BinaryMorphology.dilate(m, W, H, n));
        assertArrayEquals(e, BinaryMorphology.erode(m, W, H, n));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void restoreRegionErodesThenDilates(int dilate) {
        boolean[] m = randomBlobs(7);
        float[] v = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            v[i] = m[i] ? 1f : 0f;
        }
        FloatImage region = BinaryMorphology.restoreRegion(new FloatImage(W, H, 1, v), 1, dilate);
        boolean[] expected = BinaryMorphology.dilate(BinaryMorphology.erode(m, W, H, 1), W, H, dilate);
        for (int i = 0; i < m.length; i++) {
            assertEquals(expected[i] ? 1f : 0f, region.data()[i], "pixel " + i);
        }
    }

    /** Random rectangles and single pixels, so erosion removes some and dilation merges others. */
    private static boolean[] randomBlobs(long seed) {
        Random r = new Random(seed);
        boolean[] m = new boolean[W * H];
        for (int k = 0; k < 6; k++) {
            int x0 = r.nextInt(W);
            int y0 = r.nextInt(H);
            int w = 1 + r.nextInt(9);
            int h = 1 + r.nextInt(9);
            for (int y = y0; y < Math.min(H, y0 + h); y++) {
                for (int x = x0; x < Math.min(W, x0 + w); x++) {
                    m[y * W + x] = true;
                }
            }
        }
        for (int k = 0; k < 15; k++) {
            m[r.nextInt(W * H)] = true;
        }
        return m;
    }

    /** One 3x3 step; neighbours outside the image are ignored, as OpenCV's default border does. */
    private static boolean[] step(boolean[] m, boolean dilate) {
        boolean[] out = new boolean[m.length];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean acc = !dilate;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= W || yy >= H) {
                            continue;
                        }
                        acc = dilate ? acc || m[yy * W + xx] : acc && m[yy * W + xx];
                    }
                }
                out[y * W + x] = acc;
            }
        }
        return out;
    }
}
