package org.diff2dgs.core.io;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the one PNG kind the JDK decodes slowly: 16-bit grayscale, not interlaced (stereo depth maps
 * of StereoMIS conversions and of our synthetic scenes). The JDK's decoder copies 16-bit samples one pixel at a time
 * (about 5x the cost of an 8-bit frame); here the rows are inflated and unfiltered in one pass (PNG specification,
 * sections 9 and 10). Anything unexpected returns null and the caller falls back to javax.imageio, which also
 * produces the error message for corrupt files.
 */
final class Gray16Png {

    private Gray16Png() {
    }

    /** Samples row-major as floats, or null when the file is not a plain 16-bit gray PNG this decoder handles. */
    static float[] decode(byte[] b) {
        if (b.length < 33) {
            return null;
        }
        int w = readInt(b, 16);
        int h = readInt(b, 20);
        int bitDepth = b[24] & 0xFF;
        int colorType = b[25] & 0xFF;
        int interlace = b[28] & 0xFF;
        if (bitDepth != 16 || colorType != 0 || interlace != 0 || w <= 0 || h <= 0) {
            return null;
        }
        int stride = 2 * w;
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
        return unfilter(raw, w, h, stride);
    }

    private static float[] unfilter(byte[] raw, int w, int h, int stride) {
        float[] out = new float[w * h];
        byte[] prev = new byte[stride];
        byte[] cur = new byte[stride];
        final int bpp = 2;
        for (int y = 0; y < h; y++) {
            int rowStart = y * (stride + 1);
            int filter = raw[rowStart] & 0xFF;
            System.arraycopy(raw, rowStart + 1, cur, 0, stride);
            switch (filter) {
                case 0 -> {
                }
                case 1 -> {
                    for (int i = bpp; i < stride; i++) {
                        cur[i] += cur[i - bpp];
                    }
                }
                case 2 -> {
                    for (int i = 0; i < stride; i++) {
                        cur[i] += prev[i];
                    }
                }
                case 3 -> {
                    for (int i = 0; i < stride; i++) {
                        int left = i >= bpp ? cur[i - bpp] & 0xFF : 0;
                        cur[i] += (byte) ((left + (prev[i] & 0xFF)) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < stride; i++) {
                        int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
                        int up = prev[i] & 0xFF;
                        int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
                        cur[i] += (byte) paeth(a, up, c);
                    }
                }
                default -> {
                    return null;
                }
            }
            int o = y * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = ((cur[2 * x] & 0xFF) << 8) | (cur[2 * x + 1] & 0xFF);
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
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
