package org.diff2dgs.inpaint.diffusion.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.image.BinaryMorphology;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.diffusion.internal.BlurredComposite;
import org.diff2dgs.inpaint.diffusion.internal.DiffusionInpainter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole method on tiny random-weight graphs: 4-frame windows, 32x24 frames, 4x3 latents. */
class DiffusionInpainterTest {

    private static final int W = 32;
    private static final int H = 24;

    @TempDir
    Path dir;

    private Path models;
    private final TestClips.MeanFillPrior prior = new TestClips.MeanFillPrior();

    private DiffusionInpainter method() throws IOException {
        if (models == null) {
            models = dir.resolve("models");
            new TinyDiffusionOnnx(W, H, 4, 4, 2, 17).writeAll(models);
        }
        return TestClips.diffusion(models, dir.resolve("home"), TestClips.catalog(prior));
    }

    private static InpaintOptions options(long seed, Map<String, String> settings) {
        return new InpaintOptions(1, 2, true, 2, seed, settings);
    }

    private static int[] bytes8(FloatImage img) {
        return Stream.of(img.data()).flatMapToInt(d -> {
            int[] v = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = Math.round(d[i] * 255);
            }
            return java.util.Arrays.stream(v);
        }).toArray();
    }

    @Test
    void longClipWithKeyFramesIsInpaintedInsideTheBlurredRegionOnly() throws IOException {
        Sequence clip = TestClips.clip(12, W, H, 5); // 12 > 2 x 4 frames: key frames first
        Path out = dir.resolve("out");
        InpaintResult result = method().inpaint(clip, options(6666, Map.of()), out, Progress.NONE);
        assertEquals("diffusion", result.method());
        assertEquals(12, result.frames());
        assertEquals(1, prior.runs);
        Path prior0 = dir.resolve("prior0");
        new TestClips.MeanFillPrior().inpaint(clip, options(6666, Map.of()), prior0, Progress.NONE);
        int changedInside = 0;
        for (int i = 0; i < clip.size(); i++) {
            String name = String.format("%03d.png", i);
            FloatImage region = BinaryMorphology.restoreRegion(clip.frame(i).instrumentMask(), 1, 2);
            float[] m = BlurredComposite.weights(region.data(), W, H);
            int[] got = bytes8(Images.readColor(out.resolve("images").resolve(name)));
            int[] original = bytes8(clip.frame(i).image());
            int[] priorColour = bytes8(Images.readColor(prior0.resolve("images").resolve(name)));
            for (int p = 0; p < W * H; p++) {
                for (int c = 0; c < 3; c++) {
                    int k = c * W * H + p;
                    if (m[p] == 0f) {
                        assertEquals(original[k], got[k], "frame " + i + " pixel " + p + ": outside the blurred "
                                + "region the original is kept");
                    } else if (region.data()[p] > 0.5f && got[k] != priorColour[k]) {
                        changedInside++;
                    }
                }
            }
            // depth and confidence are the prior's: the diffusion model restores colour only
            assertArrayEquals(Files.readAllBytes(prior0.resolve("depth").resolve(name)),
                    Files.readAllBytes(out.resolve("depth").resolve(name)), "depth of frame " + i);
            assertArrayEquals(Files.readAllBytes(prior0.resolve("confidence").resolve(name)),
                    Files.readAllBytes(out.resolve("confidence").resolve(name)));
        }
        assertTrue(changedInside > 100, "the network's colour replaces the prior's inside the region: "
                + changedInside);
        assertEquals(result.total().restored(), result.total().spatial() + result.total().propagated());
        assertTrue(Files.isRegularFile(out.resolve("inpainting.json")));
        assertNoLeftovers();
    }

    @Test
    void sameSeedSameResultOtherSeedOtherResult() throws IOException {
        Sequence clip = TestClips.clip(6, W, H, 8); // 6 frames: two windows, no key frames
        DiffusionInpainter method = method();
        method.inpaint(clip, options(1, Map.of("steps", "3")), dir.resolve("a"), Progress.NONE);
        method.inpaint(clip, options(1, Map.of("steps", "3")), dir.resolve("b"), Progress.NONE);
        method.inpaint(clip, options(2, Map.of("steps", "3")), dir.resolve("c"), Progress.NONE);
        boolean anyDifferent = false;
        for (int i = 0; i < clip.size(); i++) {
            String name = String.format("images/%03d.png", i);
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(name)),
                    Files.readAllBytes(dir.resolve("b").resolve(name)), name);
            anyDifferent |= !java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a").resolve(name)),
                    Files.readAllBytes(dir.resolve("c").resolve(name)));
        }
        assertTrue(anyDifferent, "another seed draws other noise");
    }

    @Test
    void framesOfAnotherSizeAreResizedAndCompositedAtTheirOwnSize() throws IOException {
        Sequence clip = TestClips.clip(5, 41, 29, 9);
        Path out = dir.resolve("out");
        InpaintResult result = method().inpaint(clip, options(3, Map.of("blend", "false")), out, Progress.NONE);
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("41x29") && w.contains("32x24")),
                result.warnings().toString());
        for (int i = 0; i < clip.size(); i++) {
            FloatImage img = Images.readColor(out.resolve("images").resolve(String.format("%03d.png", i)));
            assertEquals(41, img.width());
            FloatImage region = BinaryMorphology.restoreRegion(clip.frame(i).instrumentMask(), 1, 2);
            int[] got = bytes8(img);
            int[] original = bytes8(clip.frame(i).image());
            for (int k = 0; k < got.length; k++) {
                if (region.data()[k % (41 * 29)] < 0.5f) {
                    assertEquals(original[k], got[k], "blend=false keeps every pixel outside the region");
                }
            }
        }
    }

    @Test
    void externalWeightsLoadAndDepthStaysTheSourcesWithoutDepthCompletion() throws IOException {
        method();
        new TinyDiffusionOnnx(W, H, 4, 4, 2, 17).writeAll(models, true);
        assertTrue(Files.isRegularFile(models.resolve("vae_decoder.onnx.data")));
        Sequence clip = TestClips.clip(5, W, H, 12);
        Path external = dir.resolve("external");
        method().inpaint(clip, options(4, Map.of()), external, Progress.NONE);
        Path plain = dir.resolve("plain");
        Files.delete(models.resolve("vae_decoder.onnx.data"));
        new TinyDiffusionOnnx(W, H, 4, 4, 2, 17).writeAll(models);
        method().inpaint(clip, options(4, Map.of()), plain, Progress.NONE);
        Path noDepth = dir.resolve("nodepth");
        method().inpaint(clip, options(4, Map.of()).withCompleteDepth(false), noDepth, Progress.NONE);
        for (int i = 0; i < clip.size(); i++) {
            String name = String.format("%03d.png", i);
            assertArrayEquals(Files.readAllBytes(plain.resolve("images").resolve(name)),
                    Files.readAllBytes(external.resolve("images").resolve(name)), "same weights, same result");
            FloatImage depth = Images.readGray(noDepth.resolve("depth").resolve(name)).values();
            assertArrayEquals(clip.frame(i).depth().data(), depth.data(), "depth completion off: source depth");
        }
    }

    @Test
    void cancellationLeavesNoOutput() throws IOException {
        Sequence clip = TestClips.clip(12, W, H, 5);
        Path out = dir.resolve("out");
        int[] units = {0};
        Progress cancelling = new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long n, String status) {
                units[0]++;
            }

            @Override
            public boolean isCancelled() {
                return units[0] >= 3;
            }

            @Override
            public void done() {
            }
        };
        DiffusionInpainter method = method();
        assertThrows(CancelledException.class, () -> method.inpaint(clip, options(1, Map.of()), out, cancelling));
        assertFalse(Files.exists(out));
        assertNoLeftovers();
    }

    @Test
    void badSettingsAndShortClipsAreUserErrors() throws IOException {
        DiffusionInpainter method = method();
        Sequence clip = TestClips.clip(6, W, H, 1);
        UserInputException e = assertThrows(UserInputException.class,
                () -> method.inpaint(clip, options(1, Map.of("window", "3")), dir.resolve("o"), Progress.NONE));
        assertTrue(e.getMessage().contains("unknown setting 'window'"), e.getMessage());
        e = assertThrows(UserInputException.class,
                () -> method.inpaint(TestClips.clip(3, W, H, 1), options(1, Map.of()), dir.resolve("o"),
                        Progress.NONE));
        assertTrue(e.getMessage().contains("3 frames") && e.getMessage().contains("unet_brushnet.onnx"),
                e.getMessage());
        e = assertThrows(UserInputException.class, () -> method.inpaint(clip,
                options(1, Map.of("modelDir", dir.resolve("none").toString())), dir.resolve("o"), Progress.NONE));
        assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("setting modelDir"),
                e.getMessage());
        DiffusionInpainter noPrior = TestClips.diffusion(models, dir.resolve("home"), TestClips.catalog());
        e = assertThrows(UserInputException.class,
                () -> noPrior.inpaint(clip, options(1, Map.of()), dir.resolve("o"), Progress.NONE));
        assertTrue(e.getMessage().contains("propagate"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("o")));
        assertNoLeftovers();
    }

    /** No hidden partial or prior folders stay behind. */
    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> hidden = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            assertTrue(hidden.isEmpty(), hidden.toString());
        }
    }
}
