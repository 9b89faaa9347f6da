package org.diff2dgs.inpaint.tests;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.internal.PropagateInpainter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The propagate method on clips whose hidden tissue is known. */
class PropagateInpainterTest {

    private static final InpaintOptions SMALL = InpaintOptions.defaults().withMask(1, 2).withThreads(2);

    @TempDir
    Path dir;

    @Test
    void restoresTissueSeenInOtherFrames() throws IOException {
        SyntheticClip tex = new SyntheticClip(21, 0.6, 0.3);
        Sequence clip = tex.sequence(dir.resolve("src"), 14, 14, 20, 8, 18, 3);
        Path out = dir.resolve("out");
        InpaintResult r = new PropagateInpainter().inpaint(clip, SMALL, out, Progress.NONE);
        List<FloatImage> images = read(out, "images", clip);
        double raw = SyntheticClip.psnrInsideMasks(clip, clip.frames().stream().map(Frame::image).toList());
        double psnr = SyntheticClip.psnrInsideMasks(clip, images);
        assertTrue(psnr > 30, "PSNR inside the masks " + psnr + " dB (raw " + raw + ")");
        assertTrue(r.total().propagated() > 0.9 * r.total().restored(), "most pixels propagated: " + r.total());
        assertEquals(r.total().restored(), r.total().propagated() + r.total().spatial());
        // depth: the instrument's depth (30) replaced by the tissue plane
        double worst = 0;
        for (int t = 0; t < clip.size(); t++) {
            FloatImage d = Images.readGray(
                    out.resolve("depth").resolve(String.format("frame-%03d.png", t))).values();
            float[] m = clip.frame(t).instrumentMask().data();
            for (int p = 0; p < m.length; p++) {
                if (m[p] > 0.5f) {
                    // stored like the source: scale 1, 16-bit, so samples are rounded depths
                    worst = Math.max(worst, Math.abs(d.data()[p] - clip.frame(t).truthDepth().data()[p]));
                }
            }
        }
        assertTrue(worst <= 2.0, "largest depth error inside the masks " + worst);
        InpaintResult json = Json.read(out.resolve(InpaintedClipWriter.RESULT_FILE), InpaintResult.class);
        assertEquals("propagate", json.method());
        assertEquals(clip.size(), json.perFrame().size());
    }

    @Test
    void theFlowLeavesOutTheShadowBesideTheRegion() throws IOException {
        // a shadow band below the instrument, outside its restored region, moving with it: left in the flow's data
        // term it drags the tissue's flow at the region's border and, through the flow completion, inside the region
        SyntheticClip tex = new SyntheticClip(25, 0.6, 0.3);
        Sequence clip = tex.sequence(dir.resolve("src"), 14, 14, 16, 8, 14, 3, 4);
        double[] psnr = new double[2];
        for (int margin : new int[] {0, 1}) {
            Path out = dir.resolve("out" + margin);
            InpaintOptions o = margin == 0 ? SMALL.withSettings(Map.of("flowMargin", "0")) : SMALL;
            new PropagateInpainter().inpaint(clip, o, out, Progress.NONE);
            psnr[margin] = SyntheticClip.psnrInsideMasks(clip, read(out, "images", clip));
        }
                assertTrue(psnr[1] > psnr[0] + 10, "default flow margin " + psnr[1] + " dB vs none " + psnr[0] + " dB");
    }

    @Test
    void fillsNeverSeenTissueSpatially() throws IOException {
        SyntheticClip tex = new SyntheticClip(22, 0, 0);
        Sequence clip = tex.sequence(dir.resolve("src"), 6, 12, 12, 30, 20, 0);
        InpaintResult r = new PropagateInpainter().inpaint(clip, SMALL, dir.resolve("out"), Progress.NONE);
        assertEquals(r.total().restored(), r.total().spatial(), "a static instrument on a static scene: never seen");
        double raw = SyntheticClip.psnrInsideMasks(clip, clip.frames().stream().map(Frame::image).toList());
        double psnr = SyntheticClip.psnrInsideMasks(clip, read(dir.resolve("out"), "images", clip));
        assertTrue(psnr > raw + 8, "spatial fill " + psnr + " dB vs raw " + raw);
        FloatImage conf = Images.readGray(dir.resolve("out/confidence/frame-000.png")).values();
        assertTrue(conf.data()[26 * SyntheticClip.W + 36] < 0.25 * 255 + 1, "spatial fill has low confidence");
        assertEquals(255f, conf.data()[0], "observed pixels have confidence 1");
    }

    @Test
    void emptyMasksAreAUserError() {
        SyntheticClip tex = new SyntheticClip(23, 0.5, 0);
        Sequence clip = tex.sequence(dir.resolve("src"), 5, 0, 0, 10, 10, 2);
        UserInputException e = assertThrows(UserInputException.class,
                () -> new PropagateInpainter().inpaint(clip, SMALL, dir.resolve("out"), Progress.NONE));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void depthFillContinuesTheSlopeToTheBorder() throws IOException {
        // a static instrument in the top-right corner of a static scene: its tissue is never seen, and depth slopes
        SyntheticClip tex = new SyntheticClip(25, 0, 0);
        Sequence clip = tex.sequence(dir.resolve("src"), 5, 30, 24, SyntheticClip.W - 30, 0, 0);
        double harmonic = worstDepthInsideMasks(clip, "harmonic");
        double plane = worstDepthInsideMasks(clip, "plane");
        double quadratic = worstDepthInsideMasks(clip, "Quadratic");
        // the rounding of the 16-bit depth samples and the seam correction leave about a sample
        assertTrue(plane <= 1.5, "plane trend, largest depth error " + plane);
        assertTrue(quadratic <= 1.5, "quadratic trend, largest depth error " + quadratic);
        assertTrue(harmonic > 2 * plane, "harmonic fill " + harmonic + " vs plane trend " + plane);
    }

    private double worstDepthInsideMasks(Sequence clip, String depthFill) throws IOException {
        Path out = dir.resolve("out-" + depthFill);
        new PropagateInpainter().inpaint(clip, SMALL.withSettings(Map.of("depthFill", depthFill)), out, Progress.NONE);
        double worst = 0;
        for (int t = 0; t < clip.size(); t++) {
            FloatImage d = Images.readGray(out.resolve("depth").resolve(String.format("frame-%03d.png", t))).values();
            float[] m = clip.frame(t).instrumentMask().data();
            for (int p = 0; p < m.length; p++) {
                if (m[p] > 0.5f) {
                    worst = Math.max(worst, Math.abs(d.data()[p] - clip.frame(t).truthDepth().data()[p]));
                }
            }
        }
        return worst;
    }

    @Test
    void badDepthFillIsAUserError() {
        SyntheticClip tex = new SyntheticClip(26, 0.5, 0);
        Sequence clip = tex.sequence(dir.resolve("src"), 5, 8, 8, 10, 10, 2);
        UserInputException e = assertThrows(UserInputException.class, () -> new PropagateInpainter().inpaint(clip,
                SMALL.withSettings(Map.of("depthFill", "biharmonc")), dir.resolve("out"), Progress.NONE));
        assertTrue(e.getMessage().contains("depthFill") && e.getMessage().contains("harmonic, plane, quadratic")
                && e.getMessage().contains("biharmonc"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void unknownSettingIsAUserError() {
        SyntheticClip tex = new SyntheticClip(24, 0.5, 0);
        Sequence clip = tex.sequence(dir.resolve("src"), 5, 8, 8, 10, 10, 2);
        UserInputException e = assertThrows(UserInputException.class, () -> new PropagateInpainter().inpaint(clip,
                SMALL.withSettings(Map.of("windw", "3")), dir.resolve("out"), Progress.NONE));
        assertTrue(e.getMessage().contains("windw"), e.getMessage());
    }

    @Test
    void cancellationLeavesNoOutput() throws IOException {
        SyntheticClip tex = new SyntheticClip(25, 0.5, 0.2);
        Sequence clip = tex.sequence(dir.resolve("src"), 10, 10, 10, 10, 10, 3);
        AtomicInteger units = new AtomicInteger();
        Progress cancelAfterThree = new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long n, String status) {
                units.addAndGet((int) n);
            }

            @Override
            public boolean isCancelled() {
                return units.get() >= 3;
            }

            @Override
            public void done() {
            }
        };
        assertThrows(CancelledException.class,
                () -> new PropagateInpainter().inpaint(clip, SMALL, dir.resolve("out"), cancelAfterThree));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no output and no partial folder");
        }
    }

    static List<FloatImage> read(Path out, String folder, Sequence clip) {
        List<FloatImage> images = new ArrayList<>();
        for (int t = 0; t < clip.size(); t++) {
            images.add(Images.readColor(out.resolve(folder).resolve(clip.frame(t).name() + ".png")));
        }
        return images;
    }
}
