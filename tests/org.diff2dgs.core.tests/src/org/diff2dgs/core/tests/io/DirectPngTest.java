package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct decoder of 8-bit gray, gray+alpha... RGB and RGBA PNGs (Images.readColor, readGray) gives exactly the
 * values of the javax.imageio path: sample / 255 per channel, gray repeated, alpha dropped, raw gray samples.
 */
class DirectPngTest {

    private static final int[] TYPES = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_BYTE_GRAY};

    @Test
    void eightBitColourAndGrayEqualTheJdkDecoder(@TempDir Path dir) throws IOException {
        Random r = new Random(8);
        for (int trial = 0; trial < 9; trial++) {
            int w = 3 + r.nextInt(80);
            int h = 2 + r.nextInt(50);
            int type = TYPES[trial % TYPES.length];
            BufferedImage img = new BufferedImage(w, h, type);
            int bands = img.getRaster().getNumBands();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int b = 0; b < bands; b++) {
                        // ramps plus noise make the encoder pick every filter type; odd trials pure noise
                        int v = trial % 2 == 0 ? (x * 3 + y * 5 + b * 40 + r.nextInt(4)) & 0xFF : r.nextInt(256);
                        img.getRaster().setSample(x, y, b, v);
                    }
                }
            }
            Path f = dir.resolve("c" + trial + ".png");
            ImageIO.write(img, "png", f.toFile());
            Raster jdk = ImageIO.read(f.toFile()).getRaster();
            FloatImage colour = Images.readColor(f);
            int n = w * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        int band = jdk.getNumBands() >= 3 ? c : 0;
                        float expected = jdk.getSample(x, y, band) * (1f / 255);
                        assertEquals(expected, colour.data()[c * n + y * w + x], "trial " + trial + " x " + x
                                + " y " + y + " c " + c);
                    }
                }
            }
            if (type == BufferedImage.TYPE_BYTE_GRAY) {
                GrayPng g = Images.readGray(f);
                assertEquals(8, g.bitDepth());
                assertEquals(1, g.channels());
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        assertEquals(jdk.getSample(x, y, 0), g.values().data()[y * w + x]);
                    }
                }
            }
        }
    }
}
