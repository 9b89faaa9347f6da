package org.diff2dgs.cuda.internal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainResult;

/**
 * Training rows of d2dgs bench: the full published schedule (preset "published": 3000 iterations, seed 6666) on the
 * built-in full-size scene (640x512, 96 frames, scene seed 6666) through the same Reconstructor as d2dgs train, on
 * the cuda backend. The train stage's wall time counts what d2dgs run's train stage does (data loading included, as
 * the target): reading the training clip, which is what the stage reads (run trains on stage 1's inpainted/
 * folder: images/, depth/, masks/, poses, no ground truth), and training with checkpoints and the training log. The
 * scene is written into a temporary folder and its ground truth (gt/, which only evaluation reads) set aside before
 * the clock starts, both untimed; everything is deleted afterwards. Iterations per second is the training loop's own
 * rate.
 */
public final class TrainingRows {

    /** What the training rows need from the running framework; null members make the rows say so. */
    public record Services(Reconstructor reconstructor, SceneGenerator tissue, DatasetReader reader,
            ComputeBackend backend) {
    }

    private TrainingRows() {
    }

    /** What the timed part of the train-stage row holds, printed with it. */
    static final String TIMED = "timed: reading the training clip (images/, depth/, masks/, poses; gt/ set aside:"
            + " run's train stage does not read it when stage 1 inpaints), initialization, the GPU session, 3000"
            + " iterations, checkpoints, training log; untimed: writing the scene";
    /** The ground-truth folder of a clip (the EndoNeRF layout): evaluation's input, never training's. */
    static final String GROUND_TRUTH = "gt";

    /**
     * @param memory the bench's sampler of the driver's count, sampled after training; null: none
     */
    public static List<BenchRow> measure(Services services, BenchOptions options, MemorySampler memory,
            Progress progress) {
        if (!options.training()) {
            return List.of();
        }
        String schedule = "full published schedule, train stage (3000 iterations, built-in scene "
                + SceneSpec.FULL_SIZE + ", " + SceneSpec.FULL_FRAMES + " frames)";
        String rate = "iterations per second (published schedule, " + SceneSpec.FULL_SIZE + ")";
        String missing = services.reconstructor() == null ? "no Reconstructor service"
                : services.tissue() == null ? "no 'tissue' scene generator"
                : services.reader() == null ? "no 'endonerf' dataset reader" : null;
        if (missing != null) {
            return List.of(BenchRow.missing("training", schedule, "s", "not measured: " + missing),
                    BenchRow.missing("training", rate, "it/s", "not measured: " + missing));
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("d2dgs-bench-train");
            Path scene = dir.resolve("scene");
            int[] wh = {640, 512};
            services.tissue().write(scene, new SceneSpec(SceneSpec.DEFAULT_SEED, SceneSpec.FULL_FRAMES, wh[0], wh[1],
                    Map.of()), progress);
            setAsideGroundTruth(scene, dir.resolve("ground-truth"));
            TrainOptions published = TrainOptions.preset("published");
            long t0 = System.nanoTime();
            Sequence clip = services.reader().read(scene, ReadOptions.defaults(), progress);
            TrainResult r = services.reconstructor().train(new TrainRequest(clip, false, published,
                    services.backend(), dir.resolve("checkpoints"), dir.resolve("training-log.csv")), progress);
            double wall = (System.nanoTime() - t0) / 1e9;
            if (memory != null) {
                memory.sample();
            }
            String note = String.format(Locale.ROOT, "%d surfels at the end, train PSNR %.2f dB; %s", r.surfels(),
                    r.trainPsnr(), TIMED);
            return List.of(new BenchRow("training", schedule, wall, "s", note),
                    new BenchRow("training", rate, r.iterations() / r.seconds(), "it/s", String.format(Locale.ROOT,
                            "%d iterations in %.2f s of training", r.iterations(), r.seconds())));
        } catch (IOException | RuntimeException e) {
            String why = "failed: " + e.getMessage();
            return List.of(BenchRow.missing("training", schedule, "s", why), BenchRow.missing("training", rate,
                    "it/s", why));
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /**
     * Moves the scene's ground truth out of the clip so that the timed read takes only what a training clip holds
     * (the reader reads gt/ whenever it is there: 96 more colour and depth images at full size).
     */
    static void setAsideGroundTruth(Path scene, Path aside) throws IOException {
        Path truth = scene.resolve(GROUND_TRUTH);
        if (Files.exists(truth)) {
            Files.move(truth, aside);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing the benchmark for
        }
    }
}
