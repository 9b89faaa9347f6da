package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
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

class ImagesTest {

    private static final int W = 37;
    private static final int H = 23;

    @TempDir
    Path dir;

    private static FloatImage random(Random rnd, int channels) {
        float[] d = new float[W * H * channels];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextFloat();
        }
        return new FloatImage(W, H, channels, d);
    }

    @Test
    void colourRoundTripWithinQuantization() {
        FloatImage img = random(new Random(1), 3);
        Path f = dir.resolve("c.png");
        Images.writeColor(f, img);
        FloatImage back = Images.readColor(f);
        assertEquals(3, back.channels());
        for (int i = 0; i < img.data().length; i++) {
            assertEquals(Math.round(img.data()[i] * 255) / 255f, back.data()[i], 1e-6f, "sample " + i);
        }
        // planar layout: red plane first
        assertEquals(Math.round(img.get(0, 5, 7) * 255) / 255f, back.get(0, 5, 7), 1e-6f);
        assertEquals(Math.round(img.get(2, 36, 22) * 255) / 255f, back.get(2, 36, 22), 1e-6f);
    }

    @Test
    void writeColorClampsOutOfRangeAndNaN() {
        FloatImage img = random(new Random(2), 3);
        img.set(0, 0, 0, 1.7f);
        img.set(1, 0, 0, -0.3f);
        img.set(2, 0, 0, Float.NaN);
        Path f = dir.resolve("clamp.png");
        Images.writeColor(f, img);
        FloatImage back = Images.readColor(f);
        assertEquals(1f, back.get(0, 0, 0));
        assertEquals(0f, back.get(1, 0, 0));
        assertEquals(0f, back.get(2, 0, 0));
    }

    @Test
    void gray8AndGray16KeepRawValues() {
        Random rnd = new Random(3);
        FloatImage g = random(rnd, 1);
        Path f8 = dir.resolve("g8.png");
        Images.writeGray8(f8, g);
        GrayPng r8 = Images.readGray(f8);
        assertEquals(8, r8.bitDepth());
        assertEquals(1, r8.channels());
        assertEquals(255.0, r8.maxValue());
        for (int i = 0; i < g.data().length; i++) {
            assertEquals(Math.round(g.data()[i] * 255), r8.values().data()[i]);
        }
        float[] depth = new float[W * H];
        for (int i = 0; i < depth.length; i++) {
            depth[i] = rnd.nextFloat() * 300;
        }
        depth[0] = -4;
        depth[1] = 1e9f;
        depth[2] = Float.NaN;
        Path f16 = dir.resolve("d16.png");
        Images.writeGray16(f16, new FloatImage(W, H, 1, depth), 200);
        GrayPng r16 = Images.readGray(f16);
        assertEquals(16, r16.bitDepth());
        assertEquals(1, r16.channels());
        assertEquals(0f, r16.values().data()[0]);
        assertEquals(65535f, r16.values().data()[1]);
        assertEquals(0f, r16.values().data()[2]);
        for (int i = 3; i < depth.length; i++) {
            assertEquals(Math.min(65535, Math.rint(depth[i] * 200.0)), r16.values().data()[i], "pixel " + i);
        }
        // a 16-bit gray file read as colour: [0,1], replicated
        FloatImage c = Images.readColor(f16);
        assertEquals(r16.values().data()[7] / 65535f, c.data()[7], 1e-7f);
        assertEquals(c.data()[7], c.data()[2 * W * H + 7]);
    }

    @Test
    void readsEveryColourTypeTheDecoderProduces() throws IOException {
        Random rnd = new Random(4);
        int[] r = new int[W * H];
        int[] g = new int[W * H];
        int[] b = new int[W * H];
        for (int i = 0; i < r.length; i++) {
            r[i] = rnd.nextInt(65536);
            g[i] = rnd.nextInt(65536);
            b[i] = rnd.nextInt(65536);
        }
        // 16-bit RGB
        Path rgb16 = dir.resolve("rgb16.png");
        ImageIO.write(ushortImage(3, r, g, b, null), "png", rgb16.toFile());
        FloatImage c16 = Images.readColor(rgb16);
        for (int i = 0; i < r.length; i++) {
            assertEquals(r[i] / 65535f, c16.data()[i], 1e-7f);
            assertEquals(b[i] / 65535f, c16.data()[2 * W * H + i], 1e-7f);
        }
        GrayPng g16 = Images.readGray(rgb16);
        assertEquals(3, g16.channels(), "3-channel files must be detectable");
        assertEquals(16, g16.bitDepth());
        assertEquals(r[9], g16.values().data()[9]);
        // 16-bit RGBA: alpha dropped
        Path rgba16 = dir.resolve("rgba16.png");
        ImageIO.write(ushortImage(4, r, g, b, g), "png", rgba16.toFile());
        assertArrayEquals(c16.data(), Images.readColor(rgba16).data());
        assertEquals(4, Images.readGray(rgba16).channels());
        // 8-bit RGBA
        BufferedImage argb = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < r.length; i++) {
            argb.setRGB(i % W, i / W, (r[i] >> 8) << 24 | (r[i] >> 8) << 16 | (g[i] >> 8) << 8 | (b[i] >> 8));
        }
        Path rgba8 = dir.resolve("rgba8.png");
        ImageIO.write(argb, "png", rgba8.toFile());
        FloatImage c8 = Images.readColor(rgba8);
        for (int i = 0; i < r.length; i++) {
            assertEquals((g[i] >> 8) / 255f, c8.data()[W * H + i], 1e-7f);
        }
        // palette: a colour palette is 3 channels, a gray palette 1
        byte[] red = {0, (byte) 200, 10};
        byte[] green = {0, 100, 20};
        byte[] blue = {0, 50, (byte) 250};
        BufferedImage pal = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, red,
                green, blue));
        for (int i = 0; i < r.length; i++) {
            pal.getRaster().setSample(i % W, i / W, 0, r[i] % 3);
        }
        Path palPng = dir.resolve("pal.png");
        ImageIO.write(pal, "png", palPng.toFile());
        FloatImage cp = Images.readColor(palPng);
        for (int i = 0; i < r.length; i++) {
            assertEquals((blue[r[i] % 3] & 0xFF) / 255f, cp.data()[2 * W * H + i], 1e-7f);
        }
        assertEquals(3, Images.readGray(palPng).channels());
        // 1-bit black/white mask (what PIL mode '1' saves): values on the 0..255 scale
        BufferedImage bin = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_BINARY);
        for (int i = 0; i < r.length; i++) {
            bin.getRaster().setSample(i % W, i / W, 0, r[i] & 1);
        }
        Path binPng = dir.resolve("bin.png");
        ImageIO.write(bin, "png", binPng.toFile());
        GrayPng gb = Images.readGray(binPng);
        assertEquals(1, gb.channels());
        assertEquals(8, gb.bitDepth(), "low bit depths come expanded to the 8-bit scale");
        for (int i = 0; i < r.length; i++) {
            assertEquals((r[i] & 1) * gb.maxValue(), gb.values().data()[i], "pixel " + i);
        }
    }

    private static BufferedImage ushortImage(int bands, int[] r, int[] g, int[] b, int[] a) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), bands == 4,
                false, bands == 4 ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, W, H, bands, new Point());
        for (int i = 0; i < r.length; i++) {
            raster.setSample(i % W, i / W, 0, r[i]);
            raster.setSample(i % W, i / W, 1, g[i]);
            raster.setSample(i % W, i / W, 2, b[i]);
            if (bands == 4) {
                raster.setSample(i % W, i / W, 3, a[i]);
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    @Test
    void brokenFilesAreDatasetExceptionsNamingTheFile() throws IOException {
        Path good = dir.resolve("good.png");
        Images.writeColor(good, random(new Random(6), 3));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> Images.readColor(cut));
        assertEquals(cut, e.file());
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
        Path text = dir.resolve("text.png");
        Files.writeString(text, "not an image at all");
        assertTrue(assertThrows(DatasetException.class, () -> Images.readGray(text)).getMessage().contains(
                "not a PNG"));
        Path missing = dir.resolve("missing.png");
        assertEquals(missing, assertThrows(DatasetException.class, () -> Images.readColor(missing)).file());
        // a header claiming 100000 x 100000 pixels must not make the decoder allocate them
        byte[] huge = bytes.clone();
        java.nio.ByteBuffer.wrap(huge).putInt(16, 100_000).putInt(20, 100_000);
        Path liar = dir.resolve("liar.png");
        Files.write(liar, huge);
        assertTrue(assertThrows(DatasetException.class, () -> Images.readGray(liar)).getMessage().contains(
                "100000x100000"));
        Path headerOnly = dir.resolve("header.png");
        Files.write(headerOnly, Arrays.copyOf(bytes, 40));
        assertThrows(DatasetException.class, () -> Images.readColor(headerOnly));
    }

    @Test
    void mutatedPngsOnlyFailWithDatasetException() throws IOException {
        Path good = dir.resolve("seed.png");
        Images.writeGray16(good, random(new Random(7), 1), 60000);
        byte[] seed = Files.readAllBytes(good);
        Random rnd = new Random(8);
        Path f = dir.resolve("m.png");
        int rejected = 0;
        for (int round = 0; round < 300; round++) {
            byte[] b = seed.clone();
            switch (round % 3) {
                case 0 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
                case 1 -> {
                    for (int k = 0; k < 3; k++) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                default -> b[8 + rnd.nextInt(40)] = (byte) rnd.nextInt(256); // IHDR damage
            }
            Files.write(f, b);
            try {
                Images.readGray(f);
                Images.readColor(f);
            } catch (DatasetException e) {
                assertEquals(f, e.file());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("round " + round + " escaped with " + e, e);
            }
        }
        assertTrue(rejected > 100, "only " + rejected + " damaged files rejected");
    }
}
