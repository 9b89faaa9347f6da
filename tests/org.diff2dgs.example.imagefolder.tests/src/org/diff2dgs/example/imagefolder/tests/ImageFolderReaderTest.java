package org.diff2dgs.example.imagefolder.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.example.imagefolder.internal.ImageFolderReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    private static final int W = 20;
    private static final int H = 14;

    @TempDir
    Path dir;

    /** Only the core API is used: what a lab's own reader bundle would have. */
    private final DatasetReader reader = new ImageFolderReader();

    private Path folder(int frames, boolean depth, boolean masks) throws IOException {
        Path f = Files.createDirectories(dir.resolve("clip"));
        Random rnd = new Random(21);
        for (int i = 0; i < frames; i++) {
            float[] rgb = new float[3 * W * H];
            for (int k = 0; k < rgb.length; k++) {
                rgb[k] = rnd.nextFloat();
            }
            Images.writeColor(f.resolve("shot" + i + ".png"), new FloatImage(W, H, 3, rgb));
            if (depth) {
                float[] d = new float[W * H];
                for (int k = 0; k < d.length; k++) {
                    d[k] = 100 + rnd.nextInt(900);
                }
                Images.writeGray16(f.resolve("depth/d" + i + ".png"), new FloatImage(W, H, 1, d), 1);
            }
            if (masks) {
                float[] m = new float[W * H];
                for (int k = 0; k < m.length; k++) {
                    m[k] = k % W < 5 ? 1 : 0;
                }
                Images.writeGray8(f.resolve("masks/m" + i + ".png"), new FloatImage(W, H, 1, m));
            }
        }
        Files.writeString(f.resolve("intrinsics.json"), "{\"fx\": 25, \"fy\": 26, \"cx\": 9.5, \"cy\": 8}");
        return f;
    }

    @Test
    void readsFramesDepthAndMasks() throws IOException {
        Path f = folder(11, true, true);
        assertEquals(0.8, reader.probe(f));
        Sequence s = reader.read(f, ReadOptions.defaults().withSplit("deform3dgs"), Progress.NONE);
        assertEquals(11, s.size());
        assertEquals("shot10", s.frame(10).name(), "natural order: shot10 after shot9");
        assertArrayEquals(Images.readColor(f.resolve("shot10.png")).data(), s.frame(10).image().data());
        assertEquals(9.5, s.frame(0).camera().intrinsics().cx());
        assertEquals(26, s.frame(0).camera().intrinsics().fy());
        float[] depth = Images.readGray(f.resolve("depth/d3.png")).values().data();
        assertArrayEquals(depth, s.frame(3).depth().data());
        assertEquals(1f, s.frame(2).instrumentMask().get(0, 4, 7));
        assertEquals(0f, s.frame(2).instrumentMask().get(0, 5, 7));
        assertArrayEquals(new int[] {1, 9}, s.split().test());
        assertEquals("white-is-instrument", s.info().maskConvention());
        assertTrue(s.frame(0).camera().near() < 100 && s.frame(0).camera().far() > 999);

        Sequence tissue = reader.read(f, ReadOptions.defaults().withMaskConvention("white-is-tissue"),
                Progress.NONE);
        assertEquals(0f, tissue.frame(2).instrumentMask().get(0, 4, 7));
        assertEquals("all", tissue.split().rule());
    }

    @Test
    void framesAloneAreEnough() throws IOException {
        Path f = folder(3, false, false);
        Sequence s = reader.read(f, ReadOptions.defaults(), Progress.NONE);
        assertNull(s.frame(0).depth());
        assertNull(s.frame(0).instrumentMask());
        assertTrue(reader.validate(f, ReadOptions.defaults(), Progress.NONE).ok());
    }

    @Test
    void problemsNameTheirFile() throws IOException {
        Path f = folder(4, true, true);
        Files.delete(f.resolve("depth/d2.png"));
        DatasetException e = assertThrows(DatasetException.class, () -> reader.read(f, ReadOptions.defaults(),
                Progress.NONE));
        assertEquals(f.resolve("depth"), e.file());
        Files.writeString(f.resolve("intrinsics.json"), "{\"fx\": 0, \"fy\": 1, \"cx\": 1, \"cy\": 1}");
        ValidationReport r = reader.validate(f, ReadOptions.defaults(), Progress.NONE);
        assertEquals(2, r.problems().size(), r.problems()::toString);
        Files.delete(f.resolve("intrinsics.json"));
        assertEquals(0, reader.probe(f));
        assertEquals(0, reader.probe(dir.resolve("missing")));
    }

    @Test
    void defersToTheEndoNerfReaderOnEndoNerfClips() throws IOException {
        Path f = folder(2, false, false);
        Files.write(f.resolve("poses_bounds.npy"), new byte[] {1});
        assertTrue(reader.probe(f) < 0.5);
    }
}
