package org.diff2dgs.dataset.endonerf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.diff2dgs.core.api.DatasetException;

/**
 * Size, bit depth and channel count from a PNG's IHDR chunk, without decoding pixels: what validation needs when it
 * is asked not to load images. A palette file counts as 1 channel here (its palette may well be gray).
 */
record PngHeader(int width, int height, int bitDepth, int channels, boolean palette) {

    static PngHeader read(Path png) {
        byte[] b = new byte[29];
        int n;
        try (InputStream in = Files.newInputStream(png)) {
            n = in.readNBytes(b, 0, b.length);
        } catch (IOException e) {
            throw new DatasetException(png, "cannot read: " + e.getMessage(), e);
        }
        if (n < 29 || (b[0] & 0xFF) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G' || b[12] != 'I'
                || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new DatasetException(png, "not a PNG file (no PNG signature and IHDR chunk)");
        }
        int w = readInt(b, 16);
        int h = readInt(b, 20);
        int depth = b[24] & 0xFF;
        int colourType = b[25] & 0xFF;
        int channels = switch (colourType) {
            case 0 -> 1;
            case 2 -> 3;
            case 3 -> 1;
            case 4 -> 2;
            case 6 -> 4;
            default -> -1;
        };
        if (w <= 0 || h <= 0 || channels < 0 || !(depth == 1 || depth == 2 || depth == 4 || depth == 8
                || depth == 16)) {
            throw new DatasetException(png, "corrupt PNG header: " + w + "x" + h + ", bit depth " + depth
                    + ", colour type " + colourType);
        }
        return new PngHeader(w, h, depth, channels, colourType == 3);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
