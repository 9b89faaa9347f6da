package org.diff2dgs.dataset.endonerf.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.dataset.endonerf.internal.DepthClipping;
import org.diff2dgs.dataset.endonerf.internal.EndoNerfReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndoNerfReaderTest {

    @TempDir
    Path dir;

    private final EndoNerfReader reader = new EndoNerfReader();
    private final EndoNerfReader rawReader = new EndoNerfReader(DepthClipping.OFF);

    private Path clip(ClipFixture f) {
        return f.write(dir.resolve("clip"));
    }

    private Path clip() {
        return clip(new ClipFixture());
    }

    private static ReadOptions opts() {
        return ReadOptions.defaults();
    }

    @Test
    void readsAnEndoNerfClip() {
        ClipFixture f = new ClipFixture();
        Path folder = clip(f);
        Sequence s = rawReader.read(folder, opts(), Progress.NONE);
        assertEquals("clip", s.name());
        assertEquals(8, s.size());
        assertEquals(32, s.width());
        assertEquals(24, s.height());
        for (int i = 0; i < 8; i++) {
            Frame fr = s.frame(i);
            assertEquals(i, fr.index());
            assertEquals(i / 8.0, fr.time());
            assertEquals(String.format("frame-%06d.color", i), fr.name());
            assertEquals(40.5, fr.camera().intrinsics().fx());
            assertEquals(40.5, fr.camera().intrinsics().fy());
            assertEquals(16, fr.camera().intrinsics().cx());
            assertEquals(12, fr.camera().intrinsics().cy());
            assertEquals(0, fr.camera().near());
            assertEquals(120, fr.camera().far());
            assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1}, fr.camera().pose().rotation(), 0);
            assertEquals(3, fr.image().channels());
            assertNull(fr.truthImage());
        }
        assertEquals("endonerf", s.info().format());
        assertEquals("white-is-instrument", s.info().maskConvention());
        assertEquals("endonerf", s.info().cameraConvention());
        assertEquals(1.0, s.info().depthScale());
        assertEquals("deform3dgs", s.split().rule());
        assertArrayEquals(new int[] {0, 2, 3, 4, 5, 6, 7}, s.split().train());
        assertArrayEquals(new int[] {1}, s.split().test());
    }

    @Test
    void pixelsMatchTheFilesInNaturalOrderEvenWithDifferentPrefixes() throws IOException {
        ClipFixture f = new ClipFixture();
        f.frames = 12; // frame 10 and 11 sort after 9 only in natural order
        f.imageName = "img%d.png";
        f.depthName = "depth_%d.png";
        f.maskName = "m-%03d.png";
        Path folder = clip(f);
        Sequence s = rawReader.read(folder, opts(), Progress.NONE);
        assertEquals("img10", s.frame(10).name());
        for (int i : new int[] {0, 2, 9, 10, 11}) {
            FloatImage img = Images.readColor(folder.resolve("images/img" + i + ".png"));
            assertArrayEquals(img.data(), s.frame(i).image().data());
            GrayPng d = Images.readGray(folder.resolve("depth/depth_" + i + ".png"));
            assertArrayEquals(d.values().data(), s.frame(i).depth().data(), "no clipping, scale 1: stored units");
            GrayPng m = Images.readGray(folder.resolve(String.format("masks/m-%03d.png", i)));
            float[] expected = new float[m.values().data().length];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = m.values().data()[k] > 127 ? 1 : 0;
            }
            assertArrayEquals(expected, s.frame(i).instrumentMask().data());
        }
    }

    @Test
    void whiteIsTissueMasksAreDetectedAndInverted() {
        ClipFixture f = new ClipFixture();
        f.whiteIsInstrument = false;
        Sequence s = reader.read(clip(f), opts(), Progress.NONE);
        assertEquals("white-is-tissue", s.info().maskConvention());
        assertEquals("stereomis", s.info().cameraConvention(), "white-on-tissue masks come from StereoMIS");
        for (Frame fr : s.frames()) {
            assertEquals(0.2, mean(fr.instrumentMask()), 0.05, "1 = instrument whatever the file's polarity");
        }
        assertTrue(s.info().warnings().stream().anyMatch(w -> w.contains("intrinsics.json")));
    }

    @Test
    void forcedMaskConventionWinsButAnInvertedLookIsReported() {
        ClipFixture f = new ClipFixture();
        f.instrumentCoverage = 0.25;
        Path folder = clip(f);
        ReadOptions forced = opts().withMaskConvention("white-is-tissue");
        Sequence s = reader.read(folder, forced, Progress.NONE);
        assertEquals("white-is-tissue", s.info().maskConvention());
        assertEquals(0.75, mean(s.frame(0).instrumentMask()), 0.05);
        assertTrue(s.info().warnings().stream().anyMatch(w -> w.contains("look inverted")), s.info().warnings()
                ::toString);
        ValidationReport r = reader.validate(folder, forced, Progress.NONE);
        assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("look inverted")
                && p.file().endsWith("masks")), r.problems()::toString);
        assertTrue(r.summary().get("mask convention (training)").startsWith("white-is-tissue (forced)"));
    }

    @Test
    void ambiguousCoverageIsWarnedAbout() {
        ClipFixture f = new ClipFixture();
        f.instrumentCoverage = 0.47;
        Sequence s = reader.read(clip(f), opts(), Progress.NONE);
        assertTrue(s.info().warnings().stream().anyMatch(w -> w.contains("too close to 50%")), s.info().warnings()
                ::toString);
        assertEquals("white-is-instrument", s.info().maskConvention(), "falls back to the EndoNeRF default");
    }

    @Test
    void unknownConventionsAndSplitsAreRejected() {
        Path folder = clip();
        assertTrue(assertThrows(DatasetException.class, () -> reader.read(folder, opts().withMaskConvention(
                "black"), Progress.NONE)).getMessage().contains("unknown mask convention"));
        assertTrue(assertThrows(DatasetException.class, () -> reader.read(folder, opts().withCameraConvention(
                "hamlyn"), Progress.NONE)).getMessage().contains("unknown camera convention"));
        assertTrue(assertThrows(DatasetException.class, () -> reader.read(folder, opts().withSplit("random"),
                Progress.NONE)).getMessage().contains("unknown split rule"));
        ValidationReport r = reader.validate(folder, opts().withSplit("random").withMaskConvention("black"),
                Progress.NONE);
        assertEquals(2, r.problems().size(), r.problems()::toString);
    }

    @Test
    void cameraConventionFromMotionOrPrincipalPointOrForce() {
        ClipFixture moving = new ClipFixture();
        moving.cameraMoves = true;
        Sequence s = reader.read(moving.write(dir.resolve("moving")), opts(), Progress.NONE);
        assertEquals("stereomis", s.info().cameraConvention());
        assertTrue(s.info().facts().get("camera convention").contains("camera moves"));
        // the LLFF centre moved along world x = camera y (down)
        assertEquals(-0.7, s.frame(7).camera().pose().translation()[1], 1e-12);

        ClipFixture offCentre = new ClipFixture();
        offCentre.principalPoint = new double[] {14.25, 13.5};
        Path folder = offCentre.write(dir.resolve("pp"));
        Sequence p = reader.read(folder, opts(), Progress.NONE);
        assertEquals("stereomis", p.info().cameraConvention());
        assertEquals(14.25, p.frame(0).camera().intrinsics().cx());
        assertEquals(13.5, p.frame(3).camera().intrinsics().cy());
        assertEquals("white-is-instrument", p.info().maskConvention(), "coverage still decides the masks");

        Sequence forced = reader.read(folder, opts().withCameraConvention("endonerf"), Progress.NONE);
        assertEquals("endonerf", forced.info().cameraConvention());
        assertEquals(14.25, forced.frame(0).camera().intrinsics().cx(), "an explicit intrinsics file always counts");
    }

    @Test
    void sceneJsonDeclarationsBeatDetectionButNotTheUser() throws IOException {
        ClipFixture f = new ClipFixture();
        f.cameraMoves = true; // synthetic cameras move: detection alone would say StereoMIS
        f.depth16 = true;
        f.depthMax = 20000;
        Path folder = clip(f);
        Files.writeString(folder.resolve("scene.json"), "{\"generator\": \"tissue\", \"read_depth_scale\": 0.005, "
                + "\"camera_convention\": \"endonerf\", \"mask_convention\": \"white-is-instrument\"}");
        Sequence s = rawReader.read(folder, opts(), Progress.NONE);
        assertEquals("endonerf", s.info().cameraConvention());
        assertEquals(0.005, s.info().depthScale());
        assertTrue(s.info().facts().get("camera convention").contains("declared in scene.json"));
        assertTrue(s.info().facts().get("depth").contains("scale 0.005 (declared in scene.json)"), s.info()
                .facts()::toString);
        float stored = Images.readGray(folder.resolve("depth/frame-000002.depth.png")).values().data()[9];
        assertEquals(stored * 0.005f, s.frame(2).depth().data()[9], 1e-6f);
        Sequence forced = rawReader.read(folder, new ReadOptions(null, "stereomis", null, 1.0, 0, true),
                Progress.NONE);
        assertEquals("stereomis", forced.info().cameraConvention());
        assertEquals(1.0, forced.info().depthScale());
        Files.writeString(folder.resolve("scene.json"), "{\"read_depth_scale\": -2}");
        expectFirst(folder, "scene.json", "expected a positive number");
    }

    @Test
    void splitRules() {
        ClipFixture f = new ClipFixture();
        f.frames = 19;
        Path folder = clip(f);
        Sequence d = reader.read(folder, opts(), Progress.NONE);
        assertArrayEquals(new int[] {1, 9, 17}, d.split().test());
        assertEquals(16, d.split().train().length);
        Sequence e = reader.read(folder, opts().withSplit("endonerf"), Progress.NONE);
        assertEquals("endonerf", e.split().rule());
        assertEquals(19, e.split().train().length);
        assertArrayEquals(new int[] {1, 9, 17}, e.split().test());
        Sequence a = reader.read(folder, opts().withSplit("all"), Progress.NONE);
        assertEquals(19, a.split().test().length);
        assertEquals("deform3dgs", reader.read(folder, opts().withSplit("every-8th-from-1"), Progress.NONE).split()
                .rule());
        // arange(N)[1:-1:8] leaves the last frame out: with 18 frames test is 1, 9 only... and 17 is the last
        ClipFixture g = new ClipFixture();
        g.frames = 18;
        Sequence e18 = reader.read(g.write(dir.resolve("eighteen")), opts().withSplit("endonerf-original"),
                Progress.NONE);
        assertArrayEquals(new int[] {1, 9}, e18.split().test());
        assertEquals(List.of("0, 2-8, 10-16, 18", "1, 9, 17"), List.of(reader.validate(folder, opts(),
                Progress.NONE).summary().get("train frames"), reader.validate(folder, opts(), Progress.NONE)
                        .summary().get("test frames")));
    }

    @Test
    void maxFramesReadsTheFirstFrames() {
        Path folder = clip();
        Sequence s = reader.read(folder, new ReadOptions(null, null, null, Double.NaN, 3, true), Progress.NONE);
        assertEquals(3, s.size());
        assertEquals(1 / 3.0, s.frame(1).time());
        assertTrue(s.info().facts().get("frames").startsWith("3 of 8"));
    }

    @Test
    void depthScaleBitDepthAndClipping() {
        ClipFixture f = new ClipFixture();
        f.depth16 = true;
        f.depthMax = 20000;
        Path folder = clip(f);
        Sequence raw = rawReader.read(folder, new ReadOptions(null, null, null, 0.001, 0, true), Progress.NONE);
        GrayPng stored = Images.readGray(folder.resolve("depth/frame-000003.depth.png"));
        assertEquals(16, stored.bitDepth());
        for (int k = 0; k < stored.values().data().length; k++) {
            assertEquals(stored.values().data()[k] * 0.001f, raw.frame(3).depth().data()[k], 1e-6f);
        }
        assertTrue(raw.info().depthRange()[0] > 0 && raw.info().depthRange()[1] <= 20.0);
        assertTrue(raw.info().facts().get("depth").contains("16-bit"));

        Sequence clipped = reader.read(folder, opts(), Progress.NONE);
        float[] v = clipped.frame(3).depth().data();
        float[] valid = sortedValid(stored.values().data());
        float lo = (float) numpyPercentile(valid, 3.0);
        float hi = (float) numpyPercentile(valid, 99.8);
        for (int k = 0; k < v.length; k++) {
            float s = stored.values().data()[k];
            assertEquals(s == 0 ? 0 : Math.min(hi, Math.max(lo, s)), v[k], 1e-3f, "pixel " + k);
        }
        assertTrue(clipped.info().facts().get("depth clipping").contains("3.0-99.8"));
        assertEquals("off", raw.info().facts().get("depth clipping"));
        assertTrue(assertThrows(DatasetException.class, () -> reader.read(folder, new ReadOptions(null, null, null,
                -1, 0, true), Progress.NONE)).getMessage().contains("depth scale"));
    }

    @Test
    void percentilesFollowNumpyLinearInterpolation() {
        Random rnd = new Random(17);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rnd.nextInt(500);
            int[] hist = new int[256];
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                int v = 1 + rnd.nextInt(255);
                values[i] = v;
                hist[v]++;
            }
            Arrays.sort(values);
            for (double q : new double[] {0, 3, 50, 99.8, 100}) {
                assertEquals(numpyPercentile(values, q), DepthClipping.percentile(hist, n, q), 1e-9);
            }
        }
    }

    @Test
    void groundTruthAndEvaluationMasks() {
        ClipFixture f = new ClipFixture();
        f.groundTruth = true;
        f.gtMasks = true;
        Path folder = clip(f);
        Sequence s = rawReader.read(folder, opts(), Progress.NONE);
        for (Frame fr : s.frames()) {
            assertNotNull(fr.truthImage());
            assertNotNull(fr.truthDepth());
            assertEquals(1 - fr.image().data()[5], fr.truthImage().data()[5], 1.5f / 255);
        }
        ValidationReport r = reader.validate(folder, opts(), Progress.NONE);
        assertTrue(r.ok(), r.problems()::toString);
        assertTrue(r.summary().get("masks for evaluation").startsWith("gt_masks/"));
        assertEquals("masks/", r.summary().get("masks for training"));
        assertTrue(r.summary().get("ground truth").contains("gt/images/"));
    }

    @Test
    void compactReadGivesTheSameFramesAndGroundTruthOnlyWhenAsked() {
        ClipFixture f = new ClipFixture();
        f.groundTruth = true;
        f.depth16 = true;
        f.depthMax = 3000;
        f.whiteIsInstrument = false;
        f.width = 160;
        f.height = 120;
        f.frames = 4;
        Path folder = clip(f);
        Sequence full = reader.read(folder, opts(), Progress.NONE);
        Sequence withTruth = reader.readCompact(folder, opts(), true, Progress.NONE);
        Sequence noTruth = reader.readCompact(folder, opts(), false, Progress.NONE);
        assertTrue(withTruth.frames() instanceof CompactFrames);
        assertTrue(noTruth.frames() instanceof CompactFrames);
        assertEquals(full.info().maskConvention(), noTruth.info().maskConvention());
        assertArrayEquals(full.info().depthRange(), noTruth.info().depthRange());
        assertEquals(full.width(), noTruth.width());
        for (int i = 0; i < full.size(); i++) {
            Frame a = full.frame(i);
            for (Sequence s : List.of(withTruth, noTruth)) {
                Frame b = s.frame(i);
                assertEquals(a.name(), b.name());
                assertEquals(a.camera().intrinsics(), b.camera().intrinsics());
                assertSameBits(a.image(), b.image());
                assertSameBits(a.depth(), b.depth());
                assertSameBits(a.instrumentMask(), b.instrumentMask());
            }
            assertSameBits(a.truthImage(), withTruth.frame(i).truthImage());
            assertSameBits(a.truthDepth(), withTruth.frame(i).truthDepth());
            assertNull(noTruth.frame(i).truthImage());
            assertNull(noTruth.frame(i).truthDepth());
        }
        // 8-bit colour and mask in bytes, 16-bit depth in two bytes (plus their tables): under 8 bytes a pixel, not 20
        long pixels = (long) full.size() * full.width() * full.height();
        long compact = ((CompactFrames) noTruth.frames()).bytes();
        assertTrue(compact < 8 * pixels, compact + " bytes for " + pixels + " pixels");
    }

    private static void assertSameBits(FloatImage a, FloatImage b) {
        assertEquals(a == null, b == null);
        if (a != null) {
            assertEquals(a.channels(), b.channels());
            for (int k = 0; k < a.data().length; k++) {
                assertEquals(Float.floatToRawIntBits(a.data()[k]), Float.floatToRawIntBits(b.data()[k]), "sample " + k);
            }
        }
    }

    @Test
    void validateSummarisesAGoodClip() {
        Path folder = clip();
        ValidationReport r = reader.validate(folder, opts(), Progress.NONE);
        assertTrue(r.ok(), r.problems()::toString);
        assertEquals("endonerf", r.format());
        for (String key : List.of("frames", "resolution", "intrinsics", "depth", "depth clipping",
                "mask convention (training)", "masks for evaluation", "camera convention", "split", "train frames",
                "test frames", "near/far")) {
            assertTrue(r.summary().containsKey(key), "summary lacks " + key + ": " + r.summary());
        }
        assertEquals("32x24", r.summary().get("resolution"));
        assertTrue(r.summary().get("intrinsics").startsWith("fx=fy=40.5 cx=16 cy=12"), r.summary()::toString);
        assertTrue(r.summary().get("depth").startsWith("8-bit PNG"), r.summary()::toString);
        assertTrue(r.summary().get("near/far").startsWith("0 / 120"), r.summary()::toString);
        assertEquals("deform3dgs: 7 train, 1 test", r.summary().get("split"));
        assertEquals(8, r.perFrame().size());
        assertTrue(r.perFrame().get(0).matches("frame-000000\\.color: mask coverage 18\\.8%, valid depth 9\\d\\.\\d%"),
                r.perFrame().get(0));
    }

    @Test
    void headerOnlyValidationFindsStructuralProblemsWithoutDecoding() {
        Path folder = clip();
        Images.writeColor(folder.resolve("masks/frame-000002.mask.png"), FloatImage.zeros(32, 24, 3));
        Images.writeGray8(folder.resolve("depth/frame-000005.depth.png"), new FloatImage(16, 24, 1, new float[16
                * 24]));
        ValidationReport r = reader.validate(folder, new ReadOptions(null, null, null, Double.NaN, 0, false),
                Progress.NONE);
        assertEquals(2, r.problems().size(), r.problems()::toString);
        assertTrue(r.summary().get("pixel checks").contains("skipped"));
    }

    // ------------------------------------------------------------------ bad input, one case at a time

    @Test
    void missingMasksFolder() throws IOException {
        Path folder = clip();
        deleteTree(folder.resolve("masks"));
        expectFirst(folder, "masks", "missing folder");
    }

    @Test
    void missingPoses() throws IOException {
        Path folder = clip();
        Files.delete(folder.resolve("poses_bounds.npy"));
        expectFirst(folder, "poses_bounds.npy", "missing");
    }

    @Test
    void wrongNumberOfDepthFiles() throws IOException {
        Path folder = clip();
        Files.delete(folder.resolve("depth/frame-000004.depth.png"));
        expectFirst(folder, "depth", "7 PNG files, expected 8");
    }

    @Test
    void wrongNumberOfPoses() {
        Path folder = clip();
        ClipFixture nine = new ClipFixture();
        nine.frames = 9;
        Npy.write(folder.resolve("poses_bounds.npy"), new long[] {9, 17}, nine.posesBounds());
        expectFirst(folder, "poses_bounds.npy", "9 poses, expected 8");
    }

    @Test
    void mismatchedImageSize() {
        Path folder = clip();
        Images.writeColor(folder.resolve("images/frame-000006.color.png"), FloatImage.zeros(30, 24, 3));
        // the first image sets the size; the odd one out is named
        expectFirst(folder, "images/frame-000006.color.png", "30x24, expected 32x24");
    }

    @Test
    void truncatedPng() throws IOException {
        Path folder = clip();
        Path png = folder.resolve("depth/frame-000003.depth.png");
        byte[] b = Files.readAllBytes(png);
        Files.write(png, Arrays.copyOf(b, b.length - 30));
        expectFirst(folder, "depth/frame-000003.depth.png", "PNG");
    }

    @Test
    void corruptNpy() throws IOException {
        Path folder = clip();
        Files.writeString(folder.resolve("poses_bounds.npy"), "definitely not numpy");
        expectFirst(folder, "poses_bounds.npy", "not a NumPy .npy file");
    }

    @Test
    void nanPose() {
        Path folder = clip();
        double[] p = new ClipFixture().posesBounds();
        p[17 * 5 + 3] = Double.NaN;
        Npy.write(folder.resolve("poses_bounds.npy"), new long[] {8, 17}, p);
        expectFirst(folder, "poses_bounds.npy", "row 5 column 3 is NaN");
    }

    @Test
    void zeroFocal() {
        Path folder = clip();
        double[] p = new ClipFixture().posesBounds();
        p[17 * 2 + 14] = 0;
        Npy.write(folder.resolve("poses_bounds.npy"), new long[] {8, 17}, p);
        expectFirst(folder, "poses_bounds.npy", "row 2: focal length 0.0");
    }

    @Test
    void poseSizeNotMatchingImages() {
        Path folder = clip();
        ClipFixture other = new ClipFixture();
        other.width = 640;
        other.height = 512;
        Npy.write(folder.resolve("poses_bounds.npy"), new long[] {8, 17}, other.posesBounds());
        expectFirst(folder, "poses_bounds.npy", "H=512 W=640 in 8 row(s) (0-7), expected H=24 W=32");
    }

    @Test
    void threeChannelMask() {
        Path folder = clip();
        Images.writeColor(folder.resolve("masks/frame-000001.mask.png"), FloatImage.zeros(32, 24, 3));
        expectFirst(folder, "masks/frame-000001.mask.png", "3-channel mask");
    }

    @Test
    void depthAllZero() {
        Path folder = clip();
        Images.writeGray8(folder.resolve("depth/frame-000007.depth.png"), FloatImage.zeros(32, 24, 1));
        expectFirst(folder, "depth/frame-000007.depth.png", "zero (invalid) at every pixel");
    }

    @Test
    void badIntrinsicsFile() throws IOException {
        Path folder = clip();
        Files.writeString(folder.resolve("intrinsics.json"), "{\"fx\": 10, \"fy\": -1, \"cx\": 3, \"cy\": 4}");
        expectFirst(folder, "intrinsics.json", "expected > 0");
        Files.writeString(folder.resolve("intrinsics.json"), "{\"fx\": 10, ");
        expectFirst(folder, "intrinsics.json", "not valid JSON");
    }

    @Test
    void validateReportsEveryProblemNotJustTheFirst() throws IOException {
        Path folder = clip();
        deleteTree(folder.resolve("masks"));
        Files.delete(folder.resolve("depth/frame-000000.depth.png"));
        Images.writeColor(folder.resolve("images/frame-000006.color.png"), FloatImage.zeros(30, 24, 3));
        byte[] b = Files.readAllBytes(folder.resolve("images/frame-000002.color.png"));
        Files.write(folder.resolve("images/frame-000002.color.png"), Arrays.copyOf(b, 60));
        double[] p = new ClipFixture().posesBounds();
        p[17 * 4 + 14] = -3;
        p[17 * 5 + 0] = Double.POSITIVE_INFINITY;
        Npy.write(folder.resolve("poses_bounds.npy"), new long[] {8, 17}, p);
        Images.writeGray8(folder.resolve("depth/frame-000004.depth.png"), FloatImage.zeros(32, 24, 1));

        ValidationReport r = reader.validate(folder, opts(), Progress.NONE);
        String all = r.problems().stream().map(Object::toString).collect(Collectors.joining("\n"));
        assertTrue(all.contains("masks: missing folder"), all);
        assertTrue(all.contains("depth: 7 PNG files, expected 8"), all);
        assertTrue(all.contains("row 4: focal length -3.0"), all);
        assertTrue(all.contains("row 5 column 0 is Infinity"), all);
        assertTrue(all.contains("frame-000006.color.png: image is 30x24, expected 32x24"), all);
        assertTrue(all.contains("frame-000002.color.png: corrupt"), all);
        assertTrue(all.contains("zero (invalid) at every pixel"), all);
        assertEquals(7, r.problems().size(), all);
        // read stops at the first one
        assertThrows(DatasetException.class, () -> reader.read(folder, opts(), Progress.NONE));
    }

    @Test
    void validateNeverThrowsOnHopelessFolders() throws IOException {
        ValidationReport missing = reader.validate(dir.resolve("nowhere"), opts(), Progress.NONE);
        assertEquals(1, missing.problems().size());
        assertTrue(missing.problems().get(0).message().contains("folder not found"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ValidationReport r = reader.validate(empty, opts(), Progress.NONE);
        assertEquals(4, r.problems().size(), r.problems()::toString); // images/, depth/, masks/, poses_bounds.npy
        // every image corrupt and no poses: no size to compare with, yet each broken file is named
        Path folder = clip();
        Files.delete(folder.resolve("poses_bounds.npy"));
        for (int i = 0; i < 8; i++) {
            Files.writeString(folder.resolve(String.format("images/frame-%06d.color.png", i)), "broken");
        }
        ValidationReport broken = reader.validate(folder, opts(), Progress.NONE);
        assertEquals(9, broken.problems().size(), broken.problems()::toString);
        assertTrue(broken.problems().stream().filter(p -> p.message().contains("not a PNG")).count() == 8);
    }

    @Test
    void probeIsCheapAndNeverThrows() throws IOException {
        Path folder = clip();
        assertEquals(1.0, reader.probe(folder), 1e-9);
        assertEquals(0, reader.probe(dir.resolve("nowhere")));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(0, reader.probe(empty));
        Files.writeString(folder.resolve("poses_bounds.npy"), "junk");
        assertTrue(reader.probe(folder) < 0.5);
        Files.delete(folder.resolve("poses_bounds.npy"));
        assertTrue(reader.probe(folder) < 0.5);
        assertEquals("endonerf", reader.format());
    }

    @Test
    void cancellationStopsLoading() {
        Path folder = clip();
        Progress cancelled = new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long units, String status) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }

            @Override
            public void done() {
            }
        };
        assertThrows(org.diff2dgs.core.api.CancelledException.class, () -> reader.read(folder, opts(), cancelled));
    }

    /** read() names the file of the first problem; validate() lists it too. */
    private void expectFirst(Path folder, String relative, String fragment) {
        Path file = folder.resolve(relative);
        DatasetException e = assertThrows(DatasetException.class, () -> reader.read(folder, opts(), Progress.NONE));
        assertEquals(file, e.file(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
        ValidationReport r = reader.validate(folder, opts(), Progress.NONE);
        assertTrue(r.problems().stream().anyMatch(p -> file.equals(p.file()) && p.message().contains(fragment)),
                () -> r.problems().toString());
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static double mean(FloatImage img) {
        double s = 0;
        for (float v : img.data()) {
            s += v;
        }
        return s / img.data().length;
    }

    private static float[] sortedValid(float[] v) {
        int n = 0;
        float[] out = new float[v.length];
        for (float x : v) {
            if (x > 0) {
                out[n++] = x;
            }
        }
        float[] r = Arrays.copyOf(out, n);
        Arrays.sort(r);
        return r;
    }

    /** NumPy's default percentile on sorted values: linear interpolation at rank q/100 * (n - 1). */
    private static double numpyPercentile(float[] sorted, double q) {
        double rank = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
