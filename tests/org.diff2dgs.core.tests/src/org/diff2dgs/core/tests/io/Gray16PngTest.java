package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.ImageIO;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct 16-bit gray decoder gives exactly what javax.imageio gives, and corrupt files still fail clearly. */
class Gray16PngTest {

    @Test
    void sameSamplesAsTheJdkDecoder(@TempDir Path dir) throws IOException {
        Random r = new Random(16);
        for (int trial = 0; trial < 6; trial++) {
            int w = 5 + r.nextInt(70);
            int h = 3 + r.nextInt(40);
            float[] v = new float[w * h];
            for (int i = 0; i < v.length; i++) {
                // smooth ramps plus noise make the encoder pick every filter type
                v[i] = trial % 2 == 0 ? r.nextInt(65536) : (i % w) * 300 + (i / w) * 7 + r.nextInt(5);
            }
            Path f = dir.resolve("d" + trial + ".png");
            Images.writeGray16(f, new FloatImage(w, h, 1, v), 1.0);
            GrayPng ours = Images.readGray(f);
            BufferedImage jdk = ImageIO.read(f.toFile());
            Raster raster = jdk.getRaster();
            float[] expected = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    expected[y * w + x] = raster.getSample(x, y, 0);
                }
            }
            assertEquals(16, ours.bitDepth());
            assertEquals(1, ours.channels());
            assertEquals(w, ours.values().width());
            assertEquals(0, Arrays.compare(expected, ours.values().data()), "trial " + trial);
        }
    }

    @Test
    void truncatedSixteenBitFileIsADatasetError(@TempDir Path dir) throws IOException {
        Random r = new Random(3);
        float[] v = new float[40 * 30];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(65536);
        }
        Path f = dir.resolve("d.png");
        Images.writeGray16(f, new FloatImage(40, 30, 1, v), 1.0);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> Images.readGray(f));
        assertEquals(f, e.file());
    }
}
