package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;
import org.diff2dgs.core.model.Sequence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Reads clips in the EndoNeRF layout (images/, depth/, masks/, poses_bounds.npy; optional gt_masks/, gt/images/,
 * gt/depth/, intrinsics.json), which is also what StereoMIS clips become after the usual conversion.
 * <p>
 * Depth clipping to per-frame percentiles, as the public loaders do, is on by default; switch it with the component
 * properties {@code depth.clip} (true/false), {@code depth.clip.low} and {@code depth.clip.high} (percentiles), e.g.
 * through Configuration Admin, or construct the reader with a {@link DepthClipping}. {@code read()} always decodes
 * pixels ({@link org.diff2dgs.core.model.Frame} needs its image); {@code loadImages = false} makes
 * {@code validate()} check headers only.
 */
@Component(service = DatasetReader.class, property = {"depth.clip:Boolean=true", "depth.clip.low:Double=3.0",
        "depth.clip.high:Double=99.8"})
public final class EndoNerfReader implements DatasetReader {

    static final String FORMAT = "endonerf";

    private DepthClipping clipping;

    /** The default reader, clipping depth like the public loaders. */
    public EndoNerfReader() {
        this(DepthClipping.PUBLIC_LOADERS);
    }

    /** A reader with explicit depth clipping (tests, tools that want raw depth). */
    public EndoNerfReader(DepthClipping clipping) {
        this.clipping = clipping;
    }

    @Activate
    void activate(Map<String, Object> properties) {
        boolean on = !Boolean.FALSE.equals(asBoolean(properties.get("depth.clip")));
        double low = asDouble(properties.get("depth.clip.low"), DepthClipping.PUBLIC_LOADERS.low());
        double high = asDouble(properties.get("depth.clip.high"), DepthClipping.PUBLIC_LOADERS.high());
        clipping = on ? new DepthClipping(true, low, high) : DepthClipping.OFF;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String description() {
        return "EndoNeRF layout (images/, depth/, masks/, poses_bounds.npy), also converted StereoMIS clips";
    }

    /** Folder names and the poses header only: 1 when all four parts are there and poses_bounds.npy is (N, 17). */
    @Override
    public double probe(Path folder) {
        try {
            if (folder == null || !Files.isDirectory(folder) || !Files.isDirectory(folder.resolve("images"))) {
                return 0;
            }
            Path poses = folder.resolve(ClipFiles.POSES);
            if (!Files.isRegularFile(poses)) {
                return 0.2;
            }
            double score = 0.6;
            if (Files.size(poses) < (1 << 24)) {
                NpyArray a = Npy.read(poses);
                if (a.ndim() == 2 && a.shape()[1] == LlffPoses.COLUMNS) {
                    score = 0.9;
                }
            }
            if (Files.isDirectory(folder.resolve("depth")) && Files.isDirectory(folder.resolve("masks"))) {
                score += 0.1;
            }
            return score;
        } catch (java.io.IOException | RuntimeException e) {
            // probing must never fail: anything unreadable is simply a poor match
            return 0.1;
        }
    }

    @Override
    public Sequence read(Path folder, ReadOptions options, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        try {
            ClipScan scan = new ClipScan(folder, options, clipping, Problems.throwing());
            scan.checkStructure();
            scan.loadFrames(true, true, p);
            scan.decideConventions();
            return scan.toSequence();
        } finally {
            p.done();
        }
    }

    @Override
    public Sequence readCompact(Path folder, ReadOptions options, boolean groundTruth, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        try {
            ClipScan scan = new ClipScan(folder, options, clipping, Problems.throwing());
            scan.checkStructure();
            scan.keepCompact(groundTruth);
            scan.loadFrames(true, true, p);
            scan.decideConventions();
            return scan.toSequence();
        } finally {
            p.done();
        }
    }

    @Override
    public boolean mayHaveGroundTruth(Path folder) {
        // both gt/ folders present; their counts and pixels are checked when they are read
        return ClipFiles.discover(folder, Problems.collecting()).hasTruth();
    }

    @Override
    public ValidationReport validate(Path folder, ReadOptions options, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        ReadOptions o = options == null ? ReadOptions.defaults() : options;
        Problems problems = Problems.collecting();
        try {
            ClipScan scan = new ClipScan(folder, o, clipping, problems);
            scan.checkStructure();
            scan.loadFrames(o.loadImages(), false, p);
            scan.decideConventions();
            String suspicion = o.loadImages() ? scan.inversionSuspicion() : null;
            if (suspicion != null) {
                problems.add(folder.resolve(ClipFiles.MASKS), suspicion);
            }
            var split = scan.splitRule() == null ? null : SplitRules.split(scan.splitRule(), scan.frameCount());
            Map<String, String> summary = scan.summary(split);
            if (!o.loadImages()) {
                summary.put("pixel checks", "skipped (headers only: loadImages = false)");
            }
            for (int i = 0; i < scan.warnings().size(); i++) {
                summary.put("warning " + (i + 1), scan.warnings().get(i));
            }
            return new ValidationReport(folder, FORMAT, summary, scan.perFrame(), problems.list());
        } finally {
            p.done();
        }
    }

    private static Boolean asBoolean(Object v) {
        return v instanceof Boolean b ? b : v == null ? null : Boolean.valueOf(v.toString().trim());
    }

    private static double asDouble(Object v, double fallback) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return v == null ? fallback : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
