package org.diff2dgs.dataset.synthetic.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.FloatImage;
import org.osgi.service.component.annotations.Component;

/**
 * The embedded default scene: deforming vascularised tissue seen by an endoscope, with one or two graspers, written
 * in the EndoNeRF layout plus the ground truth under the instruments (gt/) and scene.json.
 */
@Component(service = SceneGenerator.class)
public final class TissueSceneGenerator implements SceneGenerator {

    public static final String NAME = "tissue";

    /** Changes whenever the same seed and options would produce different files. */
    public static final String VERSION = "1.1.0";

    /** Above this size frames are made one after another (rows still in parallel), to bound memory. */
    private static final long PARALLEL_FRAMES_MAX_PIXELS = 1_500_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return """
                Deforming soft tissue under an endoscope with laparoscopic graspers, in the EndoNeRF layout \
                (images/, depth/, masks/ with white = instrument, poses_bounds.npy) plus gt/images and gt/depth \
                (the tissue without instruments) and scene.json. Units are millimetres; depth PNGs are 16-bit with \
                depth_scale 200 per mm. Same seed, size and options give byte-identical files.
                Options:
                  camera=static|moving   endoscope still (default) or slowly drifting and turning
                  instruments=1|2        number of graspers (default 2)
                  noise=S                sensor noise sigma in [0,1] image units (default 0.01, max 0.2)
                  depthNoise=S           stereo depth noise sigma in mm at 70 mm depth, grows with depth squared \
                (default 0.5)
                  holes=F                fraction of the depth map dropped as blobs; above 0 also drops saturated \
                highlights and occlusion bands beside instruments (default 0.02, 0 = no holes)
                  specular=K             strength of wet specular highlights (default 1, 0 = matte)
                  motion=K               amplitude of breathing and of the instrument's push (default 1, 0 = rigid)
                  shadows=true|false     instruments cast shadows onto the tissue (default true)
                  correspondence=true|false  also write gt/surface/frame-NNNNNN.surface.npy: for each pixel the \
                tissue point it sees (instruments ignored) in rest-state coordinates, float32 (H, W, 2) in mm; \
                pixels of two frames with equal coordinates see the same tissue (default false)""";
    }

    @Override
    public void write(Path folder, SceneSpec spec, Progress progress) {
        SceneOptions options = SceneOptions.parse(spec.options());
        prepareFolder(folder, options);
        progress.begin("Generating synthetic tissue scene", spec.frames());
        try {
            progress.checkCancelled();
            TissueScene scene = new TissueScene(spec, options, TissueParameters.defaults());
            FrameRenderer renderer = new FrameRenderer(scene);
            double depthScale = scene.params().camera().depthScale();
            double[] minDepth = new double[spec.frames()];
            double[] maxDepth = new double[spec.frames()];
            AtomicInteger done = new AtomicInteger();
            IntStream frames = IntStream.range(0, spec.frames());
            if ((long) spec.width() * spec.height() <= PARALLEL_FRAMES_MAX_PIXELS) {
                // small frames: rows alone do not keep the cores busy, and the PNG encoding is serial per file
                frames = frames.parallel();
            }
            // a cancellation thrown inside a parallel forEach returns while other frames are still being written:
            // the caller (and a test's temporary folder) then saw files appear after write() had ended
            AtomicReference<RuntimeException> stop = new AtomicReference<>();
            frames.forEach(i -> {
                if (stop.get() != null) {
                    return;
                }
                try {
                    progress.checkCancelled();
                } catch (RuntimeException cancelled) {
                    stop.compareAndSet(null, cancelled);
                    return;
                }
                FrameImages f = renderer.render(i);
                String name = String.format(Locale.ROOT, "frame-%06d", i);
                Images.writeColor(folder.resolve("images").resolve(name + ".color.png"), f.observed());
                Images.writeGray16(folder.resolve("depth").resolve(name + ".depth.png"), f.depth(), depthScale);
                Images.writeGray8(folder.resolve("masks").resolve(name + ".mask.png"), f.mask());
                Images.writeColor(folder.resolve("gt").resolve("images").resolve(name + ".color.png"), f.truth());
                Images.writeGray16(folder.resolve("gt").resolve("depth").resolve(name + ".depth.png"),
                        f.truthDepth(), depthScale);
                if (f.surface() != null) {
                    writeSurface(folder.resolve("gt").resolve("surface").resolve(name + ".surface.npy"), f.surface());
                }
                minDepth[i] = f.minDepth();
                maxDepth[i] = f.maxDepth();
                progress.worked(1, "frame " + done.incrementAndGet() + "/" + spec.frames());
            });
            if (stop.get() != null) {
                throw stop.get();
            }
            double near = Double.POSITIVE_INFINITY;
            double far = 0;
            for (int i = 0; i < spec.frames(); i++) {
                near = Math.min(near, minDepth[i]);
                far = Math.max(far, maxDepth[i]);
            }
            // round the bounds outwards, as the EndoNeRF files carry round numbers
            near = Math.max(0, Math.floor(0.9 * near));
            far = Math.ceil(1.1 * far);
            writePoses(folder, scene, near, far);
            // scene.json last: its presence says the clip is complete
            Json.write(folder.resolve("scene.json"), SceneDescription.of(scene, VERSION, near, far));
        } finally {
            progress.done();
        }
    }

    /** Height x width x 2 float32, (u, v) interleaved per pixel, as numpy code indexes it: {@code uv[y, x]}. */
    private static void writeSurface(Path file, FloatImage surface) {
        int n = surface.pixels();
        float[] planes = surface.data();
        float[] interleaved = new float[2 * n];
        for (int p = 0; p < n; p++) {
            interleaved[2 * p] = planes[p];
            interleaved[2 * p + 1] = planes[n + p];
        }
        Npy.write(file, new long[] {surface.height(), surface.width(), 2}, interleaved);
    }

    private static void writePoses(Path folder, TissueScene scene, double near, double far) {
        int frames = scene.spec().frames();
        double[] rows = new double[frames * LlffPoses.ROW];
        for (int i = 0; i < frames; i++) {
            LlffPoses.row(scene.camera(i), scene.spec().width(), scene.spec().height(), scene.intrinsics().fx(), near,
                    far, rows, i * LlffPoses.ROW);
        }
        Npy.write(folder.resolve("poses_bounds.npy"), new long[] {frames, LlffPoses.ROW}, rows);
    }

    private static void prepareFolder(Path folder, SceneOptions options) {
        if (Files.exists(folder)) {
            if (!Files.isDirectory(folder)) {
                throw new UserInputException(folder, "output for the synthetic scene must be a folder, this is a file");
            }
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new UserInputException(folder, "output folder for the synthetic scene must be empty or "
                            + "absent");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
            }
        }
        try {
            for (String sub : new String[] {"images", "depth", "masks", "gt/images", "gt/depth"}) {
                Files.createDirectories(folder.resolve(sub));
            }
            if (options.correspondence()) {
                Files.createDirectories(folder.resolve("gt/surface"));
            }
        } catch (IOException e) {
            throw new UserInputException(folder, "cannot create the scene folders: " + e.getMessage(), e);
        }
    }
}
