package org.diff2dgs.metrics.tests;

import java.util.Arrays;
import java.util.Random;

import org.diff2dgs.core.model.FloatImage;

/** Small deterministic images for the tests. */
final class TestImages {

    private TestImages() {
    }

    /** Uniform random values in [lo, hi). */
    static FloatImage random(Random random, int width, int height, int channels, double lo, double hi) {
        float[] data = new float[width * height * channels];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return new FloatImage(width, height, channels, data);
    }

    /** Random colours that are exact 8-bit values k / 255, so a PNG round trip leaves them unchanged. */
    static FloatImage random8Bit(Random random, int width, int height, int lo, int hi) {
        float[] data = new float[width * height * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (lo + random.nextInt(hi - lo + 1)) / 255f;
        }
        return new FloatImage(width, height, 3, data);
    }

    static FloatImage constant(int width, int height, int channels, float value) {
        float[] data = new float[width * height * channels];
        Arrays.fill(data, value);
        return new FloatImage(width, height, channels, data);
    }

    /** A 1-channel mask with 1 inside the rectangle [x0, x1) x [y0, y1). */
    static FloatImage rectangle(int width, int height, int x0, int y0, int x1, int y1) {
        FloatImage mask = FloatImage.zeros(width, height, 1);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                mask.set(0, x, y, 1f);
            }
        }
        return mask;
    }

    /** Adds {@code delta} to every value. */
    static FloatImage offset(FloatImage image, float delta) {
        float[] data = image.data().clone();
        for (int i = 0; i < data.length; i++) {
            data[i] += delta;
        }
        return new FloatImage(image.width(), image.height(), image.channels(), data);
    }
}
