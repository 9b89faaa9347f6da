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
 * the cuda backend. The train stage's wall time counts reading the clip (data loading included, as the issue's
 * target); iterations per second is the training loop's own rate. The scene is written once into a temporary folder
 * (untimed) and deleted afterwards.
 */
public final class TrainingRows {

    /** What the training rows need from the running framework; null members make the rows say so. */
    public record Services(Reconstructor reconstructor, SceneGenerator tissue, DatasetReader reader,
            ComputeBackend backend) {
    }

    private TrainingRows() {
    }

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
            TrainOptions published = TrainOptions.preset("published");
            long t0 = System.nanoTime();
            Sequence clip = services.reader().read(scene, ReadOptions.defaults(), progress);
            TrainResult r = services.reconstructor().train(new TrainRequest(clip, false, published,
                    services.backend(), dir.resolve("checkpoints"), dir.resolve("training-log.csv")), progress);
            double wall = (System.nanoTime() - t0) / 1e9;
            memory.sample();
            String note = String.format(Locale.ROOT, "%d surfels at the end, train PSNR %.2f dB, reading included",
                    r.surfels(), r.trainPsnr());
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

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing the benchmark for
        }
    }
}
