package org.diff2dgs.core.model;

import java.util.Arrays;

/**
 * A {@link FloatImage} kept as indices into a table of its distinct values: one byte per sample when it has at most 256
 * of them (8-bit colour, masks), two bytes when at most 65536 (16-bit depth), else (or when the table would cost more
 * than it saves) the floats themselves. Exact by
 * construction, whatever formula turned the stored samples into floats: {@link #get} and {@link #toFloatImage} give
 * back the very same float bits. A clip read from 8-bit PNGs with 16-bit depth takes 5 bytes per pixel this way
 * instead of 16 as floats.
 */
public final class PaletteImage {

    private final int width;
    private final int height;
    private final int channels;
    private final float[] palette;
    private final byte[] bytes;
    private final char[] chars;
    private final float[] floats;

    private PaletteImage(int width, int height, int channels, float[] palette, byte[] bytes, char[] chars,
            float[] floats) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.palette = palette;
        this.bytes = bytes;
        this.chars = chars;
        this.floats = floats;
    }

    /** The image coded as compactly as its distinct values allow; null for null. */
    public static PaletteImage of(FloatImage image) {
        if (image == null) {
            return null;
        }
        float[] d = image.data();
        IndexTable table = new IndexTable();
        char[] idx = new char[d.length];
        for (int i = 0; i < d.length; i++) {
            int k = table.index(Float.floatToRawIntBits(d[i]));
            if (k < 0) {
                return new PaletteImage(image.width(), image.height(), image.channels(), null, null, null, d.clone());
            }
            idx[i] = (char) k;
        }
        float[] palette = table.values();
        if (palette.length <= 256 && d.length + 4L * palette.length < 4L * d.length) {
            byte[] b = new byte[d.length];
            for (int i = 0; i < d.length; i++) {
                b[i] = (byte) idx[i];
            }
            return new PaletteImage(image.width(), image.height(), image.channels(), palette, b, null, null);
        }
        if (2L * d.length + 4L * palette.length < 4L * d.length) {
            return new PaletteImage(image.width(), image.height(), image.channels(), palette, null, idx, null);
        }
        // nearly every sample distinct: the table would cost more than it saves
        return new PaletteImage(image.width(), image.height(), image.channels(), null, null, null, d.clone());
    }

    /** The same indices with every table value v replaced by f(v) (e.g. raw mask samples to 0/1). */
    public PaletteImage mapValues(java.util.function.UnaryOperator<float[]> f) {
        if (palette == null) {
            return new PaletteImage(width, height, channels, null, null, null, f.apply(floats.clone()));
        }
        float[] p = f.apply(palette.clone());
        if (p.length != palette.length) {
            throw new IllegalArgumentException("the mapped table has " + p.length + " values, expected "
                    + palette.length);
        }
        return new PaletteImage(width, height, channels, p, bytes, chars, null);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    /** Sample {@code i} in {@link FloatImage} order (planar: c * height * width + y * width + x). */
    public float get(int i) {
        if (bytes != null) {
            return palette[bytes[i] & 0xff];
        }
        if (chars != null) {
            return palette[chars[i]];
        }
        return floats[i];
    }

    /** A fresh float copy (callers may change it). */
    public FloatImage toFloatImage() {
        int n = width * height * channels;
        float[] out;
        if (bytes != null) {
            out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = palette[bytes[i] & 0xff];
            }
        } else if (chars != null) {
            out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = palette[chars[i]];
            }
        } else {
            out = floats.clone();
        }
        return new FloatImage(width, height, channels, out);
    }

    /** Bytes held (indices, table, or floats), for memory accounting and tests. */
    public long bytes() {
        long n = (long) width * height * channels;
        return bytes != null ? n + 4L * palette.length : chars != null ? 2 * n + 4L * palette.length : 4 * n;
    }

    /**
     * Distinct float bit patterns in order of first appearance, up to 65536 (open addressing: the hot loop of coding
     * a 640x512 frame must not box).
     */
    private static final class IndexTable {
        private static final int LIMIT = 1 << 16;
        private int[] keys = new int[1024];
        private int[] slots = new int[1024];
        private boolean[] used = new boolean[1024];
        private int[] order = new int[256];
        private int size;

        /** Index of the value's bits, added if new; -1 when a 65537th distinct value appears. */
        int index(int bits) {
            int mask = keys.length - 1;
            int h = mix(bits) & mask;
            while (used[h]) {
                if (keys[h] == bits) {
                    return slots[h];
                }
                h = (h + 1) & mask;
            }
            if (size == LIMIT) {
                return -1;
            }
            used[h] = true;
            keys[h] = bits;
            slots[h] = size;
            if (size == order.length) {
                order = Arrays.copyOf(order, 2 * size);
            }
            order[size] = bits;
            size++;
            if (2 * size > keys.length) {
                grow();
            }
            return size - 1;
        }

        float[] values() {
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                v[i] = Float.intBitsToFloat(order[i]);
            }
            return v;
        }

        private void grow() {
            int[] k = keys;
            int[] s = slots;
            boolean[] u = used;
            keys = new int[2 * k.length];
            slots = new int[2 * k.length];
            used = new boolean[2 * k.length];
            int mask = keys.length - 1;
            for (int i = 0; i < k.length; i++) {
                if (u[i]) {
                    int h = mix(k[i]) & mask;
                    while (used[h]) {
                        h = (h + 1) & mask;
                    }
                    used[h] = true;
                    keys[h] = k[i];
                    slots[h] = s[i];
                }
            }
        }

        private static int mix(int x) {
            int h = x * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
