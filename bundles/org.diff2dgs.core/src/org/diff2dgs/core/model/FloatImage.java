package org.diff2dgs.core.model;

import java.util.Arrays;

/**
 * A float image stored planar (channel-first): {@code data[c * height * width + y * width + x]}.
 * Colour is linear [0,1] RGB, depth is in scene units (0 = invalid), masks are 0/1.
 * Planar layout matches what the rasterizer produces and what per-channel losses and SSIM consume.
 */
public record FloatImage(int width, int height, int channels, float[] data) {

    public FloatImage {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height + "x" + channels);
        }
        if (data.length != width * height * channels) {
            throw new IllegalArgumentException("image data has " + data.length + " values, expected "
                    + width * height * channels + " for " + width + "x" + height + "x" + channels);
        }
    }

    public static FloatImage zeros(int width, int height, int channels) {
        return new FloatImage(width, height, channels, new float[width * height * channels]);
    }

    public int pixels() {
        return width * height;
    }

    public float get(int c, int x, int y) {
        return data[c * width * height + y * width + x];
    }

    public void set(int c, int x, int y, float v) {
        data[c * width * height + y * width + x] = v;
    }

    public boolean sameSize(FloatImage o) {
        return o != null && o.width == width && o.height == height;
    }

    public FloatImage copy() {
        return new FloatImage(width, height, channels, data.clone());
    }

    /** One channel as a new single-channel image. */
    public FloatImage channel(int c) {
        return new FloatImage(width, height, 1, Arrays.copyOfRange(data, c * pixels(), (c + 1) * pixels()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatImage f && f.width == width && f.height == height && f.channels == channels
                && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatImage[" + width + "x" + height + "x" + channels + "]";
    }
}
