package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.PaletteImage;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;

/**
 * One pass over an EndoNeRF-layout clip, shared by {@code read()} and {@code validate()} so that both check exactly
 * the same things: with a throwing {@link Problems} it stops at the first problem, with a collecting one it goes on
 * and reports every problem it can still reach.
 */
final class ClipScan {

    private final Path folder;
    private final ReadOptions options;
    private final DepthClipping clipping;
    private final Inpainting inpainting;
    private final Problems problems;
    private final List<String> warnings = new ArrayList<>();

    private ClipFiles files;
    private List<LlffPoses.Row> poses;
    private IntrinsicsFile intrinsicsFile;
    private int width = -1;
    private int height = -1;
    private int frameCount;
    private double depthScale = 1.0;
    private String splitRule;
    private String givenMask;
    private String maskSource = "forced";
    private String givenCamera;
    private String cameraSource = "forced";
    private String depthScaleSource = "default: stored units";
    private FrameLoader.Loaded[] frames;
    /** Compact reading: the pixels of each frame, coded as soon as it is decoded (image, depth, raw mask, gt). */
    private boolean compact;
    private boolean compactTruth;
    private PaletteImage[][] coded;
    private Conventions.Decision decision;
    private double meanWhite = Double.NaN;

    ClipScan(Path folder, ReadOptions options, DepthClipping clipping, Problems problems) {
        this.folder = folder;
        this.options = options == null ? ReadOptions.defaults() : options;
        this.clipping = clipping;
        this.problems = problems;
        this.inpainting = Inpainting.decide(folder, this.options.inpainted(), problems);
    }

    /** Options, folder layout, file counts, poses, intrinsics and the reference image size; no pixels yet. */
    void checkStructure() {
        givenMask = Conventions.normalizeMask(options.maskConvention(), folder, problems);
        givenCamera = Conventions.normalizeCamera(options.cameraConvention(), folder, problems);
        splitRule = SplitRules.canonical(options.split(), folder, problems);
        if (!Double.isNaN(options.depthScale())) {
            if (options.depthScale() > 0 && Double.isFinite(options.depthScale())) {
                depthScale = options.depthScale();
                depthScaleSource = "given";
            } else {
                problems.add(folder, "depth scale " + options.depthScale() + ", expected a positive finite factor");
            }
        }
        readSceneFile();
        if (options.maxFrames() < 0) {
            problems.add(folder, "maxFrames " + options.maxFrames() + ", expected 0 (all) or a positive count");
        }
        files = ClipFiles.discover(folder, problems);
        int n = files.images().size();
        checkCount(files.depths(), ClipFiles.DEPTH, n);
        checkCount(files.masks(), ClipFiles.MASKS, n);
        checkCount(files.gtMasks(), ClipFiles.GT_MASKS, n);
        if ((files.truthImages() == null) != (files.truthDepths() == null)) {
            Path present = folder.resolve(files.truthImages() != null ? ClipFiles.GT_IMAGES : ClipFiles.GT_DEPTH);
            problems.add(present, "ground truth needs both gt/images/ and gt/depth/, found only this one");
        } else if (files.hasTruth()) {
            checkCount(files.truthImages(), ClipFiles.GT_IMAGES, n);
            checkCount(files.truthDepths(), ClipFiles.GT_DEPTH, n);
        }
        if (files.poses() != null) {
            try {
                poses = LlffPoses.parse(Npy.read(files.poses()), files.poses(), problems);
            } catch (DatasetException e) {
                problems.add(e);
            }
            if (poses != null && n > 0 && poses.size() != n) {
                problems.add(files.poses(), poses.size() + " poses, expected " + n + " (one per image in images/)");
            }
        }
        if (files.intrinsics() != null) {
            intrinsicsFile = IntrinsicsFile.read(files.intrinsics(), problems);
        }
        findReferenceSize();
        checkPoseSizes();
        frameCount = options.maxFrames() > 0 ? Math.min(n, options.maxFrames()) : n;
    }

    /** A synthetic scene says how to read it; what the user gave still wins. */
    private void readSceneFile() {
        Path file = folder.resolve(SceneFile.NAME);
        if (!Files.isRegularFile(file)) {
            return;
        }
        SceneFile scene = SceneFile.read(file, problems);
        if (scene == null) {
            return;
        }
        if (Double.isNaN(options.depthScale()) && !Double.isNaN(scene.readDepthScale())) {
            depthScale = scene.readDepthScale();
            depthScaleSource = SceneFile.SOURCE;
        }
        if (givenMask == null && scene.maskConvention() != null) {
            givenMask = scene.maskConvention();
            maskSource = SceneFile.SOURCE;
        }
        if (givenCamera == null && scene.cameraConvention() != null) {
            givenCamera = scene.cameraConvention();
            cameraSource = SceneFile.SOURCE;
        }
    }

    private void checkCount(List<Path> list, String name, int expected) {
        if (list != null && expected > 0 && list.size() != expected) {
            problems.add(folder.resolve(name), list.size() + " PNG files, expected " + expected
                    + " (one per image in images/)");
        }
    }

    /**
     * The size every file must have: the first readable image's header, else what the poses say. When neither
     * exists the size stays unknown (-1) and frames are still decoded, so that each broken file gets reported.
     */
    private void findReferenceSize() {
        for (Path image : files.images()) {
            try {
                PngHeader h = PngHeader.read(image);
                width = h.width();
                height = h.height();
                return;
            } catch (DatasetException e) {
                // reported when that frame loads; the next image may still give the size
            }
        }
        if (poses != null) {
            for (LlffPoses.Row r : poses) {
                if (r != null) {
                    width = r.width();
                    height = r.height();
                    return;
                }
            }
        }
    }

    /** H and W in poses_bounds.npy must be the image size; mismatches are grouped so 156 equal rows say it once. */
    private void checkPoseSizes() {
        if (poses == null || width < 0) {
            return;
        }
        Map<String, List<Integer>> wrong = new LinkedHashMap<>();
        for (int i = 0; i < poses.size(); i++) {
            LlffPoses.Row r = poses.get(i);
            if (r != null && (r.width() != width || r.height() != height)) {
                wrong.computeIfAbsent("H=" + r.height() + " W=" + r.width(), k -> new ArrayList<>()).add(i);
            }
        }
        wrong.forEach((hw, rows) -> problems.add(files.poses(), hw + " in " + rows.size() + " row(s) ("
                + Ranges.format(rows.stream().mapToInt(Integer::intValue).toArray()) + "), expected H=" + height
                + " W=" + width + " like the images"));
    }

    /**
     * Makes {@link #loadFrames} keep each frame's pixels coded ({@link PaletteImage}) instead of as floats, and
     * {@link #toSequence} return them as {@link CompactFrames}; the ground truth is decoded only when asked.
     */
    void keepCompact(boolean groundTruth) {
        compact = true;
        compactTruth = groundTruth;
    }

    /** Loads (or header-checks) every frame in parallel; problems are merged in frame order. */
    void loadFrames(boolean decode, boolean keepPixels, Progress progress) {
        if (frameCount == 0) {
            frames = new FrameLoader.Loaded[0];
            return;
        }
        int n = frameCount;
        frames = new FrameLoader.Loaded[n];
        FrameLoader.DepthSettings depth = new FrameLoader.DepthSettings(depthScale, clipping);
        boolean truth = files.hasTruth() && files.truthImages().size() >= n && files.truthDepths().size() >= n
                && (!compact || compactTruth);
        coded = compact ? new PaletteImage[n][] : null;
        // in read mode nothing after a failed frame matters; frames before it still load so the reported failure
        // is the first one in frame order, whatever the thread timing
        AtomicInteger firstFailure = new AtomicInteger(Integer.MAX_VALUE);
        boolean stopEarly = keepPixels;
        progress.begin((decode ? "Reading " : "Checking ") + folder.getFileName(), n);
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
                if (stopEarly && i > firstFailure.get()) {
                    return;
                }
                progress.checkCancelled();
                FrameFiles f = FrameFiles.of(files, i);
                FrameLoader.Loaded loaded = decode ? FrameLoader.load(f, width, height, depth, keepPixels, truth)
                        : FrameLoader.checkHeaders(f, width, height);
                if (compact && keepPixels && loaded.problems().isEmpty()) {
                    // code now, so that no more than a frame per thread is ever held as floats
                    coded[i] = new PaletteImage[] {PaletteImage.of(loaded.image()), PaletteImage.of(loaded.depth()),
                        PaletteImage.of(loaded.mask()), PaletteImage.of(loaded.truthImage()),
                        PaletteImage.of(loaded.truthDepth())};
                    loaded = new FrameLoader.Loaded(loaded.files(), null, null, null, null, null, loaded.stats(),
                            loaded.problems());
                }
                frames[i] = loaded;
                if (!loaded.problems().isEmpty()) {
                    firstFailure.accumulateAndGet(i, Math::min);
                }
                progress.worked(1, f.name());
            })).join();
        } finally {
            pool.shutdown();
        }
        for (FrameLoader.Loaded f : frames) {
            if (f != null) {
                problems.addAll(f.problems());
            }
        }
    }

    /** Mask and camera conventions from the loaded statistics and the poses. */
    void decideConventions() {
        double sum = 0;
        int count = 0;
        for (FrameLoader.Loaded f : frames) {
            if (f != null && Double.isFinite(f.stats().maskWhite())) {
                sum += f.stats().maskWhite();
                count++;
            }
        }
        meanWhite = count == 0 ? Double.NaN : sum / count;
        boolean offCentre = intrinsicsFile != null && width > 0 && intrinsicsFile.offCentre(width, height);
        boolean moves = poses != null && LlffPoses.cameraMoves(poses);
        decision = Conventions.decide(givenMask, maskSource, givenCamera, cameraSource, new Conventions.Evidence(
                meanWhite, offCentre, moves));
        warnings.addAll(decision.warnings());
        if (Conventions.STEREOMIS.equals(decision.camera()) && intrinsicsFile == null) {
            warnings.add("StereoMIS clip without intrinsics.json: principal point assumed at the image centre; "
                    + "StereoMIS calibrations put it elsewhere, add intrinsics.json {fx, fy, cx, cy} to keep it");
        }
    }

    /** Instrument coverage under the convention in use, or NaN. */
    double instrumentCoverage() {
        return Conventions.WHITE_IS_INSTRUMENT.equals(decision.mask()) ? meanWhite : 1 - meanWhite;
    }

    /** The suspicion that the masks are inverted, or null: instruments should be the minority of pixels. */
    String inversionSuspicion() {
        double c = instrumentCoverage();
        if (!(c > 0.5)) {
            return null;
        }
        return String.format(Locale.ROOT, "instruments would cover %.1f%% of the view on average under %s (%s): "
                + "the masks look inverted; check them or force the other mask convention", 100 * c,
                decision.mask(), decision.maskReason());
    }

    Sequence toSequence() {
        boolean whiteIsInstrument = Conventions.WHITE_IS_INSTRUMENT.equals(decision.mask());
        String suspicion = inversionSuspicion();
        if (suspicion != null) {
            warnings.add(suspicion);
        }
        List<Frame> list = new ArrayList<>(frames.length);
        List<CompactFrames.Entry> entries = new ArrayList<>(frames.length);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < frames.length; i++) {
            FrameLoader.Loaded f = frames[i];
            if (compact) {
                PaletteImage[] c = coded[i];
                double maskMax = f.stats().maskMax();
                // the convention maps raw samples to 0/1: applied to the table, the indices stay
                PaletteImage mask = c[2] == null ? null : c[2].mapValues(v -> FrameLoader.toInstrumentMask(
                        new FloatImage(v.length, 1, 1, v), maskMax, whiteIsInstrument).data());
                entries.add(new CompactFrames.Entry(i, i / (double) frames.length, f.files().name(), camera(i), c[0],
                        c[1], mask, c[3], c[4]));
            } else {
                FloatImage mask = FrameLoader.toInstrumentMask(f.mask(), f.stats().maskMax(), whiteIsInstrument);
                list.add(new Frame(i, i / (double) frames.length, f.files().name(), camera(i), f.image(), f.depth(),
                        mask, f.truthImage(), f.truthDepth()));
            }
            lo = Math.min(lo, f.stats().depthMin());
            hi = Math.max(hi, f.stats().depthMax());
        }
        Split split = SplitRules.split(splitRule, frames.length);
        DatasetInfo info = new DatasetInfo(EndoNerfReader.FORMAT, decision.camera(), decision.mask(), depthScale,
                new double[] {lo, hi}, summary(split), warnings, inpainting.inpainted());
        return new Sequence(folder.getFileName() == null ? folder.toString() : folder.getFileName().toString(),
                folder, compact ? new CompactFrames(entries) : list, split, info);
    }

    private Camera camera(int i) {
        LlffPoses.Row r = poses.get(i);
        Intrinsics k = intrinsicsFile != null ? intrinsicsFile.at(width, height)
                : Intrinsics.centred(r.focal(), width, height);
        return new Camera(k, r.pose(), r.near(), r.far());
    }

    /** Ordered facts for reports: the same keys in DatasetInfo.facts and in the validation summary. */
    Map<String, String> summary(Split split) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("frames", frameCount + (frameCount < files.images().size() ? " of " + files.images().size() : "")
                + " (images/, depth/, masks/ matched in natural sort order)");
        if (width > 0) {
            s.put("resolution", width + "x" + height);
        }
        s.put("intrinsics", describeIntrinsics());
        s.put("depth", describeDepth());
        s.put("depth clipping", clipping.describe());
        if (decision != null) {
            s.put("mask convention (training)", decision.mask() + " (" + decision.maskReason() + ")");
            if (Double.isFinite(meanWhite)) {
                s.put("instrument coverage", String.format(Locale.ROOT, "%.1f%% of pixels on average",
                        100 * instrumentCoverage()));
            }
            s.put("camera convention", decision.camera() + " (" + decision.cameraReason() + ")");
        }
        s.put("frames inpainted", inpainting.describe());
        s.put("masks for training", "masks/");
        s.put("masks for evaluation", files.gtMasks() != null
                ? "gt_masks/ (not the training masks: compare numbers only with the same set)"
                : "masks/ (no gt_masks/ in the clip)");
        if (split != null) {
            s.put("split", split.rule() + ": " + split.train().length + " train, " + split.test().length + " test");
            s.put("train frames", Ranges.format(split.train()));
            s.put("test frames", Ranges.format(split.test()));
        }
        if (poses != null) {
            double near = Double.POSITIVE_INFINITY;
            double far = Double.NEGATIVE_INFINITY;
            for (LlffPoses.Row r : poses) {
                if (r != null) {
                    near = Math.min(near, r.near());
                    far = Math.max(far, r.far());
                }
            }
            if (far > near) {
                s.put("near/far", fmt(near) + " / " + fmt(far) + (LlffPoses.cameraMoves(poses) ? ", camera moves"
                        : ", static camera"));
            }
        }
        s.put("ground truth", files.hasTruth() ? "gt/images/ and gt/depth/" : "none");
        return s;
    }

    private String describeIntrinsics() {
        if (intrinsicsFile != null) {
            return "fx=" + fmt(intrinsicsFile.fx()) + " fy=" + fmt(intrinsicsFile.fy()) + " cx=" + fmt(
                    intrinsicsFile.cx()) + " cy=" + fmt(intrinsicsFile.cy()) + " (from intrinsics.json)";
        }
        if (poses != null && width > 0) {
            for (LlffPoses.Row r : poses) {
                if (r != null) {
                    return "fx=fy=" + fmt(r.focal()) + " cx=" + fmt(width / 2.0) + " cy=" + fmt(height / 2.0)
                            + " (focal from poses_bounds.npy, principal point at the image centre)";
                }
            }
        }
        return "unknown";
    }

    private String describeDepth() {
        if (frames == null) {
            return "not loaded";
        }
        java.util.Set<Integer> bits = new java.util.TreeSet<>();
        double rawMax = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (FrameLoader.Loaded f : frames) {
            if (f == null) {
                continue;
            }
            if (f.stats().depthBits() > 0) {
                bits.add(f.stats().depthBits());
            }
            if (Double.isFinite(f.stats().depthRawMax())) {
                rawMax = Math.max(rawMax, f.stats().depthRawMax());
                lo = Math.min(lo, f.stats().depthMin());
                hi = Math.max(hi, f.stats().depthMax());
            }
        }
        String b = bits.isEmpty() ? "unknown bit depth" : bits.stream().map(x -> x + "-bit").reduce((x, y) -> x + "+"
                + y).orElseThrow() + " PNG";
        String range = hi >= lo ? ", stored values up to " + fmt(rawMax) + ", depth " + fmt(lo) + ".." + fmt(hi)
                + (clipping.enabled() ? " after clipping" : "") : "";
        return b + range + ", scale " + fmt(depthScale) + " (" + depthScaleSource + "), 0 = invalid";
    }

    /** "frame: mask coverage x.x%, valid depth y.y%" per decoded frame. */
    List<String> perFrame() {
        List<String> lines = new ArrayList<>();
        boolean whiteIsInstrument = decision != null && Conventions.WHITE_IS_INSTRUMENT.equals(decision.mask());
        for (FrameLoader.Loaded f : frames) {
            if (f == null || !Double.isFinite(f.stats().maskWhite()) && !Double.isFinite(f.stats().depthValid())) {
                continue;
            }
            double cover = whiteIsInstrument ? f.stats().maskWhite() : 1 - f.stats().maskWhite();
            lines.add(String.format(Locale.ROOT, "%s: mask coverage %s, valid depth %s", f.files().name(),
                    pct(cover), pct(f.stats().depthValid())));
        }
        return lines;
    }

    String splitRule() {
        return splitRule;
    }

    int frameCount() {
        return frames == null ? 0 : frames.length;
    }

    List<String> warnings() {
        return warnings;
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "n/a";
    }

    /** Up to 6 significant digits without trailing zeros: 569.468, 0.001, 120. */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
    }
}
