package org.diff2dgs.example.imagefolder.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.NaturalOrder;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * An example of a lab's own format, added without touching the workbench: this bundle only registers a
 * {@link DatasetReader} through Declarative Services, and the workbench finds it by {@link #probe}.
 * <p>
 * Layout: PNG frames directly in the folder (natural sort order = time order), {@code intrinsics.json}
 * {@code {"fx", "fy", "cx", "cy"}} (optional {@code "near"}, {@code "far"}), optional {@code depth/} (one gray PNG per
 * frame, stored units times the depth scale, 0 = invalid) and {@code masks/} (white = instrument unless the mask
 * convention is forced to white-is-tissue). The camera is static.
 */
@org.osgi.service.component.annotations.Component(service = DatasetReader.class)
public final class ImageFolderReader implements DatasetReader {

    static final String FORMAT = "imagefolder";
    private static final String INTRINSICS = "intrinsics.json";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String description() {
        return "a folder of PNG frames with intrinsics.json and optional depth/ and masks/ (example extension)";
    }

    @Override
    public double probe(Path folder) {
        try {
            if (folder == null || !Files.isRegularFile(folder.resolve(INTRINSICS)) || pngs(folder).isEmpty()) {
                return 0;
            }
            // an EndoNeRF clip may carry intrinsics.json too; its own reader knows it better
            return Files.exists(folder.resolve("poses_bounds.npy")) ? 0.3 : 0.8;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public Sequence read(Path folder, ReadOptions options, Progress progress) {
        ReadOptions o = options == null ? ReadOptions.defaults() : options;
        Progress p = progress == null ? Progress.NONE : progress;
        Layout layout = layout(folder, problem -> {
            throw problem;
        });
        boolean whiteIsInstrument = whiteIsInstrument(folder, o);
        double depthScale = Double.isNaN(o.depthScale()) ? 1.0 : o.depthScale();
        if (!(depthScale > 0) || Double.isInfinite(depthScale)) {
            throw new DatasetException(folder, "depth scale " + o.depthScale() + ", expected a positive factor");
        }
        int n = o.maxFrames() > 0 ? Math.min(o.maxFrames(), layout.frames.size()) : layout.frames.size();
        p.begin("Reading " + folder.getFileName(), n);
        try {
            FloatImage[][] loaded = new FloatImage[n][];
            IntStream.range(0, n).parallel().forEach(i -> {
                p.checkCancelled();
                loaded[i] = loadFrame(layout, i, depthScale, whiteIsInstrument);
                p.worked(1, layout.frames.get(i).getFileName().toString());
            });
            FloatImage first = loaded[0][0];
            double[] bounds = bounds(layout, loaded);
            Intrinsics k = layout.intrinsics.at(first.width(), first.height());
            Camera camera = new Camera(k, Pose.identity(), bounds[0], bounds[1]);
            List<Frame> frames = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                FloatImage img = loaded[i][0];
                if (!img.sameSize(first)) {
                    throw new DatasetException(layout.frames.get(i), "image is " + img.width() + "x" + img.height()
                            + ", expected " + first.width() + "x" + first.height() + " like the first frame");
                }
                String name = layout.frames.get(i).getFileName().toString().replaceFirst("(?i)\\.png$", "");
                frames.add(new Frame(i, i / (double) n, name, camera, img, loaded[i][1], loaded[i][2], null, null));
            }
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("frames", Integer.toString(n));
            facts.put("depth", layout.depth == null ? "none" : "depth/, scale " + depthScale);
            facts.put("masks", layout.masks == null ? "none" : "masks/");
            facts.put("near/far", bounds[0] + " / " + bounds[1]);
            String maskConvention = whiteIsInstrument ? "white-is-instrument" : "white-is-tissue";
            return new Sequence(String.valueOf(folder.getFileName()), folder, frames, split(o.split(), n, folder),
                    new DatasetInfo(FORMAT, "static", maskConvention, depthScale, new double[] {bounds[2],
                            bounds[3]}, facts, List.of()));
        } catch (IllegalArgumentException e) {
            // the model's own checks (e.g. a depth map of another size) speak about the folder
            throw new DatasetException(folder, e.getMessage(), e);
        } finally {
            p.done();
        }
    }

    @Override
    public ValidationReport validate(Path folder, ReadOptions options, Progress progress) {
        List<ValidationReport.Problem> problems = new ArrayList<>();
        // the report prints the file beside the message, so the message drops its "file: " prefix
        Consumer<DatasetException> collect = e -> problems.add(new ValidationReport.Problem(e.file(),
                e.getMessage().substring(e.file() == null ? 0 : e.file().toString().length() + 2)));
        Layout layout = layout(folder, collect);
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("frames", Integer.toString(layout.frames.size()));
        if (layout.intrinsics != null) {
            summary.put("intrinsics", layout.intrinsics.toString());
        }
        if (problems.isEmpty()) {
            try {
                Sequence s = read(folder, options, progress);
                summary.put("resolution", s.width() + "x" + s.height());
                summary.putAll(s.info().facts());
            } catch (DatasetException e) {
                collect.accept(e);
            }
        }
        return new ValidationReport(folder, FORMAT, summary, List.of(), problems);
    }

    // ---------------------------------------------------------------- internals

    private record Calibration(double fx, double fy, double cx, double cy, double near, double far) {
        Intrinsics at(int width, int height) {
            return new Intrinsics(fx, fy, cx, cy, width, height);
        }
    }

    private record Layout(List<Path> frames, List<Path> depth, List<Path> masks, Calibration intrinsics) {
    }

    private static Layout layout(Path folder, Consumer<DatasetException> problems) {
        if (!Files.isDirectory(folder)) {
            problems.accept(new DatasetException(folder, "folder not found"));
            return new Layout(List.of(), null, null, null);
        }
        List<Path> frames = List.of();
        List<Path> depth = null;
        List<Path> masks = null;
        try {
            frames = pngs(folder);
            if (frames.isEmpty()) {
                problems.accept(new DatasetException(folder, "no PNG frames in the folder"));
            }
            depth = Files.isDirectory(folder.resolve("depth")) ? pngs(folder.resolve("depth")) : null;
            masks = Files.isDirectory(folder.resolve("masks")) ? pngs(folder.resolve("masks")) : null;
        } catch (IOException e) {
            problems.accept(new DatasetException(folder, "cannot list: " + e.getMessage(), e));
        }
        for (List<Path> part : java.util.Arrays.asList(depth, masks)) {
            if (part != null && part.size() != frames.size()) {
                Path dir = folder.resolve(part == depth ? "depth" : "masks");
                problems.accept(new DatasetException(dir, part.size() + " PNG files, expected " + frames.size()
                        + " (one per frame)"));
            }
        }
        return new Layout(frames, depth, masks, calibration(folder.resolve(INTRINSICS), problems));
    }

    private static Calibration calibration(Path file, Consumer<DatasetException> problems) {
        if (!Files.isRegularFile(file)) {
            problems.accept(new DatasetException(file, "missing: needs {\"fx\", \"fy\", \"cx\", \"cy\"} in pixels"));
            return null;
        }
        try {
            JsonElement tree = Json.readTree(file);
            JsonObject o = tree.isJsonObject() ? tree.getAsJsonObject() : new JsonObject();
            double[] v = new double[6];
            String[] keys = {"fx", "fy", "cx", "cy", "near", "far"};
            for (int k = 0; k < keys.length; k++) {
                JsonElement e = o.get(keys[k]);
                if (e == null && k >= 4) {
                    v[k] = Double.NaN; // near/far are optional
                    continue;
                }
                if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()
                        || !Double.isFinite(e.getAsDouble())) {
                    problems.accept(new DatasetException(file, "'" + keys[k] + "' missing or not a finite number"));
                    return null;
                }
                v[k] = e.getAsDouble();
            }
            if (!(v[0] > 0 && v[1] > 0)) {
                problems.accept(new DatasetException(file, "focal lengths must be > 0, got fx=" + v[0] + " fy="
                        + v[1]));
                return null;
            }
            return new Calibration(v[0], v[1], v[2], v[3], v[4], v[5]);
        } catch (UserInputException e) {
            problems.accept(new DatasetException(file, e.getMessage(), e));
            return null;
        }
    }

    private static List<Path> pngs(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{png,PNG}")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()));
        return files;
    }

    private static boolean whiteIsInstrument(Path folder, ReadOptions o) {
        String c = o.maskConvention();
        if (c == null || c.equalsIgnoreCase("white-is-instrument")) {
            return true;
        }
        if (c.equalsIgnoreCase("white-is-tissue")) {
            return false;
        }
        throw new DatasetException(folder, "unknown mask convention '" + c + "', expected white-is-instrument or "
                + "white-is-tissue");
    }

    /** {image, depth or null, instrument mask or null}. */
    private static FloatImage[] loadFrame(Layout layout, int i, double depthScale, boolean whiteIsInstrument) {
        FloatImage image = Images.readColor(layout.frames.get(i));
        FloatImage depth = null;
        if (layout.depth != null) {
            GrayPng g = single(Images.readGray(layout.depth.get(i)), layout.depth.get(i));
            float[] v = g.values().data();
            for (int k = 0; k < v.length; k++) {
                v[k] *= (float) depthScale;
            }
            depth = g.values();
        }
        FloatImage mask = null;
        if (layout.masks != null) {
            GrayPng g = single(Images.readGray(layout.masks.get(i)), layout.masks.get(i));
            float half = (float) (g.maxValue() / 2);
            float[] v = g.values().data();
            for (int k = 0; k < v.length; k++) {
                v[k] = (v[k] > half) == whiteIsInstrument ? 1 : 0;
            }
            mask = g.values();
        }
        return new FloatImage[] {image, depth, mask};
    }

    private static GrayPng single(GrayPng g, Path file) {
        if (g.channels() >= 3) {
            throw new DatasetException(file, g.channels() + "-channel PNG, expected a single-channel (gray) image");
        }
        return g;
    }

    /** {near, far, min valid depth, max valid depth}: near/far from the file, else around the measured depth. */
    private static double[] bounds(Layout layout, FloatImage[][] loaded) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (FloatImage[] f : loaded) {
            if (f[1] != null) {
                for (float v : f[1].data()) {
                    if (v > 0) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        boolean measured = hi > 0;
        double near = Double.isNaN(layout.intrinsics.near()) ? (measured ? 0.5 * lo : 0.01) : layout.intrinsics.near();
        double far = Double.isNaN(layout.intrinsics.far()) ? (measured ? 1.5 * hi : 100) : layout.intrinsics.far();
        return new double[] {near, far, measured ? lo : Double.NaN, measured ? hi : Double.NaN};
    }

    private static Split split(String rule, int n, Path folder) {
        String r = rule == null ? "all" : rule.toLowerCase(Locale.ROOT);
        return switch (r) {
            case "all" -> new Split("all", IntStream.range(0, n).toArray(), IntStream.range(0, n).toArray());
            case "deform3dgs", "every-8th-from-1" -> new Split("deform3dgs", IntStream.range(0, n).filter(
                    i -> (i - 1) % 8 != 0).toArray(), IntStream.range(0, n).filter(i -> (i - 1) % 8 == 0).toArray());
            default -> throw new DatasetException(folder, "unknown split rule '" + rule + "', expected all or "
                    + "deform3dgs");
        };
    }
}
