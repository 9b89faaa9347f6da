package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.InpaintedFrame;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk contract of an inpainted clip (docs/inpainting.md) and the input checks every method shares. */
class InpaintedClipWriterTest {

    private static final int W = 24;
    private static final int H = 18;
    private static final int N = 3;
    private static final double READ_SCALE = 0.01; // stored 16-bit samples are hundredths of a scene unit

    @TempDir
    Path dir;

    @Test
    void writesTheLayoutAndKeepsStoredDepthOutsideTheRegion() throws IOException {
        Sequence clip = clip(dir.resolve("src"), 5, false, false);
        Path out = dir.resolve("out");
        InpaintOptions options = InpaintOptions.defaults().withMask(1, 2);
        Random r = new Random(11);
        InpaintResult result;
        List<FloatImage> depths = new ArrayList<>();
        try (InpaintedClipWriter w = InpaintedClipWriter.open(clip, options, out)) {
            for (int i = 0; i < N; i++) {
                FloatImage region = w.restoreRegion(i);
                FloatImage depth = random(r, 1, 2f, 5f);
                depths.add(depth);
                long restored = count(region);
                w.write(new InpaintedFrame(i, random(r, 3, 0f, 1f), depth, region, random(r, 1, 0f, 1f),
                        restored - 3, 3));
            }
            assertFalse(Files.exists(out), "nothing visible before commit");
            result = w.commit("test-method", Map.of("psnr", 30.0), List.of());
        }
        for (String sub : new String[] {"images", "depth", "masks", "inpaint_masks", "confidence"}) {
            try (Stream<Path> s = Files.list(out.resolve(sub))) {
                assertEquals(N, s.count(), sub);
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("poses_bounds.npy")));
        assertTrue(Files.isRegularFile(out.resolve("scene.json")));
        for (int i = 0; i < N; i++) {
            String mask = "frame-" + i + ".mask.png";
            assertArrayEquals(Files.readAllBytes(dir.resolve("src/masks").resolve(mask)),
                    Files.readAllBytes(out.resolve("masks").resolve(mask)), "masks are the source's files");
            GrayPng src = Images.readGray(dir.resolve("src/depth/frame-" + i + ".depth.png"));
            GrayPng got = Images.readGray(out.resolve("depth/frame-" + i + ".depth.png"));
            assertEquals(16, got.bitDepth());
            FloatImage region = Images.readGray(out.resolve("inpaint_masks/frame-" + i + ".color.png")).values();
            for (int p = 0; p < W * H; p++) {
                float expected = region.data()[p] > 127 ? Math.round(depths.get(i).data()[p] / READ_SCALE)
                        : src.values().data()[p];
                assertEquals(expected, got.values().data()[p], "depth sample " + p + " of frame " + i);
            }
        }
        InpaintResult back = Json.read(out.resolve(InpaintedClipWriter.RESULT_FILE), InpaintResult.class);
        assertEquals(InpaintResult.FORMAT, back.format());
        assertEquals("test-method", back.method());
        assertEquals(result.total(), back.total());
        assertEquals(16, back.depth().bits());
        assertEquals(1 / READ_SCALE, back.depth().scale(), 1e-9);
        assertEquals(3L * N, back.total().spatial());
        assertEquals("white-is-instrument", back.masks());
        assertEquals(30.0, back.quality().get("psnr"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "no partial folder left beside the output");
        }
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws IOException {
        Sequence clip = clip(dir.resolve("src"), 5, false, false);
        Path out = dir.resolve("out");
        try (InpaintedClipWriter w = InpaintedClipWriter.open(clip, InpaintOptions.defaults(), out)) {
            FloatImage region = w.restoreRegion(0);
            w.write(new InpaintedFrame(0, clip.frame(0).image(), null, region,
                    FloatImage.zeros(W, H, 1), count(region), 0));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("src")), s.toList());
        }
    }

    @Test
    void maskCoveringEverythingNamesTheFile() throws IOException {
        Sequence clip = clip(dir.resolve("src"), 5, true, false);
        UserInputException e = assertThrows(UserInputException.class,
                () -> InpaintedClipWriter.open(clip, InpaintOptions.defaults(), dir.resolve("out")));
        assertTrue(e.getMessage().contains("frame-1.mask.png"), e.getMessage());
        assertTrue(e.getMessage().contains("covers every pixel"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void dilationCoveringEverythingIsReported() throws IOException {
        Sequence clip = clip(dir.resolve("src"), 5, false, false);
        UserInputException e = assertThrows(UserInputException.class,
                () -> InpaintedClipWriter.open(clip, InpaintOptions.defaults().withMask(0, 40), dir.resolve("out")));
        assertTrue(e.getMessage().contains("dilation"), e.getMessage());
    }

    @Test
    void emptyMasksAreReported() throws IOException {
        Sequence clip = clip(dir.resolve("src"), 5, false, true);
        UserInputException e = assertThrows(UserInputException.class,
                () -> InpaintedClipWriter.open(clip, InpaintOptions.defaults(), dir.resolve("out")));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertTrue(e.getMessage().contains("masks"), e.getMessage());
    }

    @Test
    void nonEmptyOutputIsRefused() throws IOException {
        Sequence clip = clip(dir.resolve("src"), 5, false, false);
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/keep.txt"), "user data");
        UserInputException e = assertThrows(UserInputException.class,
                () -> InpaintedClipWriter.open(clip, InpaintOptions.defaults(), dir.resolve("out")));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    /**
     * An output whose folder cannot be made (a file in the way here; read-only in the audit) is a StorageException
     * naming it (exit 1), not an UncheckedIOException (exit 2), and leaves nothing behind.
     */
    @Test
    void anOutputThatCannotBeCreatedIsAStorageErrorNamingIt() throws IOException {
        Sequence clip = clip(dir.resolve("src"), 9, false, false);
        Path blocker = dir.resolve("results");
        Files.writeString(blocker, "a file where a folder should be");
        Path out = blocker.resolve("inpainted");
        org.diff2dgs.core.api.StorageException e = assertThrows(org.diff2dgs.core.api.StorageException.class,
                () -> InpaintedClipWriter.open(clip, InpaintOptions.defaults(), out));
        assertEquals(out, e.file());
        assertTrue(e.getMessage().contains("cannot create") && e.getMessage().contains("free"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(java.util.Set.of(dir.resolve("src"), blocker), java.util.Set.copyOf(s.toList()));
        }
    }

    /** A tiny EndoNeRF-shaped source folder and the sequence a reader would make of it. */
    private static Sequence clip(Path src, long seed, boolean fullMask, boolean emptyMasks) throws IOException {
        Random r = new Random(seed);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            FloatImage image = random(r, 3, 0f, 1f);
            FloatImage depth = random(r, 1, 1f, 6f);
            for (int p = 0; p < W * H; p++) {
                depth.data()[p] = (float) (Math.round(depth.data()[p] / READ_SCALE) * READ_SCALE);
            }
            float[] m = new float[W * H];
            if (!emptyMasks) {
                int x0 = 3 + r.nextInt(8);
                for (int y = 4; y < 12; y++) {
                    for (int x = x0; x < x0 + 7; x++) {
                        m[y * W + x] = 1f;
                    }
                }
            }
            if (fullMask && i == 1) {
                java.util.Arrays.fill(m, 1f);
            }
            FloatImage mask = new FloatImage(W, H, 1, m);
            Images.writeColor(src.resolve("images/frame-" + i + ".color.png"), image);
            Images.writeGray16(src.resolve("depth/frame-" + i + ".depth.png"), depth, 1 / READ_SCALE);
            Images.writeGray8(src.resolve("masks/frame-" + i + ".mask.png"), mask);
            frames.add(new Frame(i, i / (double) N, "frame-" + i + ".color", null, image, depth, mask, null, null));
        }
        double[] poses = new double[N * 17];
        for (int i = 0; i < poses.length; i++) {
            poses[i] = r.nextGaussian();
        }
        Npy.write(src.resolve("poses_bounds.npy"), new long[] {N, 17}, poses);
        Files.writeString(src.resolve("scene.json"), "{\"read_depth_scale\": " + READ_SCALE + "}");
        DatasetInfo info = new DatasetInfo("endonerf", "endonerf", "white-is-instrument", READ_SCALE,
                new double[] {1, 6}, Map.of(), List.of());
        return new Sequence("test", src, frames, new Split("all", new int[] {0, 1, 2}, new int[0]), info);
    }

    private static FloatImage random(Random r, int channels, float lo, float hi) {
        float[] v = new float[W * H * channels];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * r.nextFloat();
        }
        return new FloatImage(W, H, channels, v);
    }

    private static long count(FloatImage region) {
        long n = 0;
        for (float v : region.data()) {
            if (v > 0.5f) {
                n++;
            }
        }
        return n;
    }
}
