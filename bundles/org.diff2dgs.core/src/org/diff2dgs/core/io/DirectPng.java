package org.diff2dgs.core.io;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the PNG kinds datasets and our own clips store: 8-bit gray, gray+alpha, RGB and RGBA, and
 * 16-bit gray, not interlaced, without a tRNS chunk. The JDK's decoder builds a BufferedImage that the reader then
 * copies band by band (and copies 16-bit samples one pixel at a time, about 5x the cost of an 8-bit frame); here the
 * rows are inflated into one array and unfiltered in place (PNG specification, sections 9 and 10), and the caller
 * converts them to floats in one pass. Anything else returns null and the caller falls back to javax.imageio, which
 * also produces the error message for corrupt files.
 */
final class DirectPng {

    /**
     * Unfiltered samples, rows back to back without filter bytes; 16-bit samples big-endian.
     *
     * @param colourType PNG colour type: 0 gray, 2 RGB, 4 gray+alpha, 6 RGBA
     * @param channels   samples per pixel (1, 3, 2, 4)
     */
    record Pixels(int width, int height, int bitDepth, int colourType, int channels, byte[] samples) {
    }

    private DirectPng() {
    }

    /** The file's samples, or null when it is not a PNG kind this decoder handles. */
    static Pixels decode(byte[] b) {
        if (b.length < 33) {
            return null;
        }
        int w = readInt(b, 16);
        int h = readInt(b, 20);
        int bitDepth = b[24] & 0xFF;
        int colourType = b[25] & 0xFF;
        int interlace = b[28] & 0xFF;
        int channels = switch (colourType) {
            case 0 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 0;
        };
        boolean handled = channels > 0 && (bitDepth == 8 || (bitDepth == 16 && colourType == 0));
        if (!handled || interlace != 0 || w <= 0 || h <= 0) {
            return null;
        }
        int bpp = channels * bitDepth / 8;
        long strideLong = (long) w * bpp;
        if ((strideLong + 1) * h > Integer.MAX_VALUE - 16) {
            return null;
        }
        int stride = (int) strideLong;
        byte[] raw = new byte[(stride + 1) * h];
        Inflater inflater = new Inflater();
        try {
            int pos = 8;
            int written = 0;
            while (pos + 12 <= b.length) {
                int length = readInt(b, pos);
                if (length < 0 || pos + 12L + length > b.length) {
                    return null;
                }
                boolean idat = b[pos + 4] == 'I' && b[pos + 5] == 'D' && b[pos + 6] == 'A' && b[pos + 7] == 'T';
                boolean iend = b[pos + 4] == 'I' && b[pos + 5] == 'E' && b[pos + 6] == 'N' && b[pos + 7] == 'D';
                boolean trns = b[pos + 4] == 't' && b[pos + 5] == 'R' && b[pos + 6] == 'N' && b[pos + 7] == 'S';
                if (trns) {
                    // the JDK adds an alpha band for it: leave such files to the JDK
                    return null;
                }
                if (idat) {
                    inflater.setInput(b, pos + 8, length);
                    while (!inflater.needsInput() && !inflater.finished()) {
                        int n = inflater.inflate(raw, written, raw.length - written);
                        written += n;
                        if (n == 0 && (written == raw.length || inflater.needsDictionary())) {
                            break;
                        }
                    }
                } else if (iend) {
                    break;
                }
                pos += 12 + length;
            }
            if (written != raw.length) {
                return null;
            }
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
        byte[] samples = unfilter(raw, h, stride, bpp);
        return samples == null ? null : new Pixels(w, h, bitDepth, colourType, channels, samples);
    }

    /** Samples row-major as floats, or null when the file is not a plain 16-bit gray PNG. */
    static float[] gray16(byte[] b) {
        if (b.length < 33 || (b[24] & 0xFF) != 16 || (b[25] & 0xFF) != 0) {
            return null;
        }
        Pixels p = decode(b);
        if (p == null) {
            return null;
        }
        byte[] s = p.samples();
        float[] out = new float[p.width() * p.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((s[2 * i] & 0xFF) << 8) | (s[2 * i + 1] & 0xFF);
        }
        return out;
    }

    /** Undoes the row filters in place and drops the filter bytes; null for an unknown filter type. */
    private static byte[] unfilter(byte[] raw, int h, int stride, int bpp) {
        byte[] out = new byte[stride * h];
        for (int y = 0; y < h; y++) {
            int filter = raw[y * (stride + 1)] & 0xFF;
            int o = y * stride;
            int p = o - stride;
            System.arraycopy(raw, y * (stride + 1) + 1, out, o, stride);
            switch (filter) {
                case 0 -> {
                }
                case 1 -> {
                    for (int i = bpp; i < stride; i++) {
                        out[o + i] += out[o + i - bpp];
                    }
                }
                case 2 -> {
                    if (y > 0) {
                        for (int i = 0; i < stride; i++) {
                            out[o + i] += out[p + i];
                        }
                    }
                }
                case 3 -> {
                    for (int i = 0; i < stride; i++) {
                        int left = i >= bpp ? out[o + i - bpp] & 0xFF : 0;
                        int up = y > 0 ? out[p + i] & 0xFF : 0;
                        out[o + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < stride; i++) {
                        int a = i >= bpp ? out[o + i - bpp] & 0xFF : 0;
                        int up = y > 0 ? out[p + i] & 0xFF : 0;
                        int c = i >= bpp && y > 0 ? out[p + i - bpp] & 0xFF : 0;
                        out[o + i] += (byte) paeth(a, up, c);
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
