package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;
import org.diff2dgs.cuda.internal.bench.TrainingRows;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainResult;
import org.junit.jupiter.api.Test;

/**
 * The training rows say what they could not measure instead of leaving the rows out, none when not asked for, and
 * their timed part reads what d2dgs run's train stage reads: the clip without its ground truth.
 */
class TrainingRowsTest {

    private static final BenchOptions WITH_TRAINING = new BenchOptions(List.of(1000), 64, 48, 3, 1, 3, 5, true);

    @Test
    void missingServicesAreNamedInTheRows() {
        List<BenchRow> rows = TrainingRows.measure(new TrainingRows.Services(null, null, null, null), WITH_TRAINING,
                null, Progress.NONE);
        assertEquals(2, rows.size());
        for (BenchRow r : rows) {
            assertTrue(!r.measured() && r.note().equals("not measured: no Reconstructor service"), r.toString());
        }
        assertTrue(rows.get(0).name().contains("full published schedule"), rows.get(0).name());
        BenchOptions without = new BenchOptions(List.of(1000), 64, 48, 3, 1, 3, 5, false);
        assertEquals(List.of(), TrainingRows.measure(new TrainingRows.Services(null, null, null, null), without, null,
                Progress.NONE));
    }

    /**
     * The scene as the generator writes it has gt/ (the synthetic scene's ground truth); the reader, called inside the
     * timed part, finds the clip without it, the clip it reads goes to training, and the row says what it timed.
     */
    @Test
    void theTimedReadTakesTheTrainingClipWithoutGroundTruth() {
        List<String> seenByReader = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        SceneGenerator generator = new SceneGenerator() {
            @Override
            public String name() {
                return "tissue";
            }

            @Override
            public String description() {
                return name();
            }

            @Override
            public void write(Path folder, SceneSpec spec, Progress progress) {
                try {
                    for (String sub : new String[] {"images", "depth", "masks", "gt/images", "gt/depth"}) {
                        Files.createDirectories(folder.resolve(sub));
                        Files.writeString(folder.resolve(sub).resolve("frame-000000.png"), sub);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Sequence clip = oneFrame();
        DatasetReader reader = new DatasetReader() {
            @Override
            public String format() {
                return "endonerf";
            }

            @Override
            public String description() {
                return format();
            }

            @Override
            public double probe(Path folder) {
                return 1;
            }

            @Override
            public Sequence read(Path folder, ReadOptions options, Progress progress) {
                folders.add(folder);
                for (String sub : new String[] {"images", "depth", "masks", "gt"}) {
                    if (Files.exists(folder.resolve(sub))) {
                        seenByReader.add(sub);
                    }
                }
                return clip;
            }

            @Override
            public ValidationReport validate(Path folder, ReadOptions options, Progress progress) {
                throw new UnsupportedOperationException();
            }
        };
        List<Sequence> trained = new ArrayList<>();
        Reconstructor reconstructor = new Reconstructor() {
            @Override
            public TrainResult train(TrainRequest request, Progress progress) {
                trained.add(request.sequence());
                return new TrainResult(3000, 0, 41_234, 2.5, 0.02, 31.5, Map.of(), null, "cuda", null, Map.of(),
                        Map.of(), 16);
            }

            @Override
            public SceneState load(Path checkpoints) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RenderOutput render(SceneState scene, Camera camera, double time, Rasterizer rasterizer) {
                throw new UnsupportedOperationException();
            }
        };
        List<BenchRow> rows = TrainingRows.measure(new TrainingRows.Services(reconstructor, generator, reader, null),
                WITH_TRAINING, null, Progress.NONE);

        assertEquals(List.of("images", "depth", "masks"), seenByReader, "what the timed read found in the clip");
        assertEquals(List.of(clip), trained);
        assertEquals(2, rows.size());
        BenchRow stage = rows.get(0);
        assertTrue(stage.measured() && stage.note().contains("41234 surfels")
                && stage.note().contains("gt/ set aside") && stage.note().contains("untimed: writing the scene"),
                stage.toString());
        assertEquals(3000 / 2.5, rows.get(1).value(), 1e-9);
        assertFalse(Files.exists(folders.get(0)), "the temporary scene is deleted");
    }

    /** What the stand-in reader hands to training (training itself is the stand-in reconstructor's). */
    private static Sequence oneFrame() {
        Camera camera = new Camera(new Intrinsics(4, 4, 2, 1.5, 4, 3), Pose.identity(), 0.03, 250);
        float[] image = new float[36];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i * 7 % 11) / 11f;
        }
        Frame f = new Frame(0, 0, "f0", camera, new FloatImage(4, 3, 3, image), null, null, null, null);
        return new Sequence("bench", Path.of("bench"), List.of(f), new Split("bench", new int[] {0}, new int[0]),
                new DatasetInfo("test", "opencv", "none", 1, new double[] {0.03, 250}, Map.of(), List.of(), false));
    }
}
