package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.train.api.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/** Staged runs on a tiny synthetic scene, with the real DS services of the product, on the CPU backend. */
class PipelineTest {

    static final SceneSpec TINY = new SceneSpec(11, 12, 64, 48, Map.of());

    static TrainOptions quick(int iterations) {
        return TrainOptions.cpu().with(Map.of("iterations", iterations, "densifyFrom", 40, "densifyUntil",
                iterations - 20, "densifyInterval", 40, "checkpointInterval", 20, "shIncreaseInterval", 50,
                "normalFromIteration", 60, "seed", 5));
    }

    /**
     * These tests are about training, resume and state: they train on the source frames (stage 1 "none"), so that a
     * change of the stage-1 default does not move their thresholds; InpaintStageTest covers stage 1 in runs.
     */
    static RunRequest request(Path out, TrainOptions o, String toStage, Set<String> force) {
        return new RunRequest(null, null, TINY, out, ReadOptions.defaults(), o, "cpu", null, toStage, force, false,
                List.of("masked-mean", "occluded"), List.of("psnr", "ssim"), 0, "none", null);
    }

    @Test
    void tinySceneTrainsPastAPsnrThreshold(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        RunReport r = p.run(request(dir.resolve("run"), quick(300), null, Set.of()), Progress.NONE);
        assertEquals(Stages.ORDER, r.ran());
        JsonObject metrics = Json.readTree(dir.resolve("run/metrics.json")).getAsJsonObject();
        double psnr = metricMean(metrics, "masked-mean", "psnr");
        assertTrue(psnr > 24, "masked-mean test PSNR " + psnr);
        assertTrue(Files.isRegularFile(dir.resolve("run/renders/clip.mp4")));
        assertTrue(Files.isRegularFile(dir.resolve("run/train/checkpoints/iter-000300/surfels.ply")));
    }

    static double metricMean(JsonObject metrics, String protocol, String metric) {
        for (var e : metrics.getAsJsonArray("evaluations")) {
            JsonObject ev = e.getAsJsonObject();
            if (ev.get("protocol").getAsString().equals(protocol)) {
                for (var r : ev.getAsJsonArray("results")) {
                    if (r.getAsJsonObject().get("metric").getAsString().equals(metric)) {
                        return r.getAsJsonObject().get("mean").getAsDouble();
                    }
                }
            }
        }
        throw new AssertionError(protocol + "/" + metric + " missing");
    }

    /** Cancels at the start of the given training step, as Ctrl-C or a killed process would stop training. */
    static Progress cancelAfter(long units) {
        AtomicLong done = new AtomicLong();
        return new Progress() {
            String task = "";

            @Override
            public void begin(String t, long total) {
                task = t;
                done.set(0);
            }

            @Override
            public void worked(long u, String status) {
                done.addAndGet(u);
            }

            @Override
            public boolean isCancelled() {
                return task.equals("train") && done.get() >= units;
            }

            @Override
            public void done() {
            }
        };
    }

    @Test
    void killedTrainingResumesFromItsCheckpointAndEndsIdentically(@TempDir Path dir) throws IOException {
        Pipeline p = Osgi.service(Pipeline.class);
        TrainOptions o = quick(80);
        p.run(request(dir.resolve("straight"), o, Stages.TRAIN, Set.of()), Progress.NONE);

        Path resumed = dir.resolve("resumed");
        assertThrows(CancelledException.class,
                () -> p.run(request(resumed, o, Stages.TRAIN, Set.of()), cancelAfter(53)));
        assertTrue(Files.isDirectory(resumed.resolve("train/checkpoints/iter-000040")));
        RunReport second = p.run(request(resumed, o, Stages.TRAIN, Set.of()), Progress.NONE);
        assertEquals(List.of(Stages.TRAIN), second.ran());
        assertEquals(List.of(Stages.PREPARE, Stages.INPAINT), second.skipped());
        JsonObject state = Json.readTree(resumed.resolve("run.json")).getAsJsonObject();
        assertEquals(40, state.getAsJsonObject("stages").getAsJsonObject("train").getAsJsonObject("detail")
                .get("resumedFrom").getAsInt());
        for (String t : List.of("positions", "rotations", "logScales", "opacityLogits", "sh")) {
            double[] a = Npy.read(dir.resolve("straight/train/checkpoints/iter-000080/surfels/" + t + ".npy")).data();
            double[] b = Npy.read(resumed.resolve("train/checkpoints/iter-000080/surfels/" + t + ".npy")).data();
            assertArrayEquals(a, b, t + " differs after resume");
        }
        assertEquals(Files.readAllLines(dir.resolve("straight/train/log.csv")).size(),
                Files.readAllLines(resumed.resolve("train/log.csv")).size());
    }

    @Test
    void aChangedDatasetIsDetectedNotReused(@TempDir Path dir) throws IOException {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(request(run, quick(40), Stages.PREPARE, Set.of()), Progress.NONE);
        Path someImage;
        try (var s = Files.list(run.resolve("dataset/images"))) {
            someImage = s.sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(someImage);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(someImage, bytes);
        UserInputException e = assertThrows(UserInputException.class,
                () -> p.run(request(run, quick(40), Stages.TRAIN, Set.of()), Progress.NONE));
        assertTrue(e.getMessage().contains("dataset changed"), e.getMessage());
    }

    @Test
    void changedTrainingOptionsNeedForce(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(request(run, quick(40), Stages.TRAIN, Set.of()), Progress.NONE);
        UserInputException e = assertThrows(UserInputException.class,
                () -> p.run(request(run, quick(60), Stages.TRAIN, Set.of()), Progress.NONE));
        // which option changed, not only that one did (iterations, and densifyUntil that quick() derives from it)
        assertTrue(e.getMessage().contains("iterations: 40 then, 60 now") && e.getMessage().contains(
                "densifyUntil: 20 then, 40 now"), e.getMessage());
        RunReport forced = p.run(request(run, quick(60), Stages.TRAIN, Set.of(Stages.TRAIN)), Progress.NONE);
        assertEquals(List.of(Stages.TRAIN), forced.ran());
    }

    @Test
    void unknownStageIsAUserError(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        assertThrows(UserInputException.class,
                () -> p.run(request(dir, quick(20), "inpaint-everything", Set.of()), Progress.NONE));
    }

    /**
     * A run.json that parses but lost its stage records ("stages": null) is a user error naming the file, not a
     * NullPointerException (exit 2); a null record, status or detail inside reads as a stage not done.
     */
    @Test
    void aDamagedRunStateIsNamedAndNullRecordsReadAsNotDone(@TempDir Path dir) throws IOException {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(request(run, quick(40), Stages.TRAIN, Set.of()), Progress.NONE);
        Path file = run.resolve("run.json");
        JsonObject good = Json.readTree(file).getAsJsonObject();

        // explicit nulls are what a hand edit or another tool writes (the project's Gson drops them)
        com.google.gson.Gson withNulls = new com.google.gson.GsonBuilder().serializeNulls().create();
        JsonObject noStages = good.deepCopy();
        noStages.add("stages", com.google.gson.JsonNull.INSTANCE);
        Files.writeString(file, withNulls.toJson(noStages));
        UserInputException e = assertThrows(UserInputException.class,
                () -> p.run(request(run, quick(40), Stages.TRAIN, Set.of()), Progress.NONE));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("stages"), e.getMessage());
        noStages.remove("stages");
        Files.writeString(file, withNulls.toJson(noStages));
        e = assertThrows(UserInputException.class,
                () -> p.run(request(run, quick(40), Stages.TRAIN, Set.of()), Progress.NONE));
        assertEquals(file, e.file());
        e = assertThrows(UserInputException.class, () -> p.evaluate(run, List.of("masked-mean"),
                List.of("psnr"), "cpu", Progress.NONE));
        assertEquals(file, e.file());

        JsonObject nullInside = good.deepCopy();
        JsonObject stages = nullInside.getAsJsonObject("stages");
        stages.add(Stages.RENDER, com.google.gson.JsonNull.INSTANCE);
        stages.getAsJsonObject(Stages.PREPARE).add("detail", com.google.gson.JsonNull.INSTANCE);
        stages.getAsJsonObject(Stages.EVALUATE).add("status", com.google.gson.JsonNull.INSTANCE);
        Files.writeString(file, withNulls.toJson(nullInside));
        RunReport r = p.run(request(run, quick(40), Stages.TRAIN, Set.of()), Progress.NONE);
        assertEquals(List.of(), r.ran());
    }

    /**
     * The clip moved (copied to scratch, a folder renamed): the same files under another path continue the run and
     * the new path is recorded; a clip that is gone is a user error naming it (exit 2, UncheckedIOException, before).
     */
    @Test
    void aMovedClipContinuesTheRunAndAMissingOneIsNamed(@TempDir Path dir) throws IOException {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(request(run, quick(40), Stages.TRAIN, Set.of()), Progress.NONE);
        Path moved = dir.resolve("scratch").resolve("clip");
        copyTree(run.resolve("dataset"), moved);
        RunReport r = p.run(withDataset(request(run, quick(40), Stages.TRAIN, Set.of()), moved), Progress.NONE);
        assertEquals(List.of(), r.ran());
        assertEquals(moved.toAbsolutePath().normalize().toString(), Json.readTree(run.resolve("run.json"))
                .getAsJsonObject().get("datasetPath").getAsString());

        // other files under the new path are still refused
        Path other = dir.resolve("other");
        copyTree(moved, other);
        List<Path> images;
        try (var s = Files.list(other.resolve("images"))) {
            images = s.sorted().toList();
        }
        Files.copy(images.get(1), images.get(0), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        UserInputException e = assertThrows(UserInputException.class,
                () -> p.run(withDataset(request(run, quick(40), Stages.TRAIN, Set.of()), other), Progress.NONE));
        assertTrue(e.getMessage().contains("prepared from"), e.getMessage());

        org.diff2dgs.core.io.FileTrees.deleteRecursively(moved);
        e = assertThrows(UserInputException.class,
                () -> p.run(withDataset(request(run, quick(40), Stages.TRAIN, Set.of()), moved), Progress.NONE));
        assertEquals(moved, e.file());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    private static RunRequest withDataset(RunRequest r, Path dataset) {
        return new RunRequest(dataset, r.format(), r.synthetic(), r.runFolder(), r.read(), r.training(),
                r.backend(), r.fromStage(), r.toStage(), r.force(), r.exportPly(), r.protocols(), r.metrics(),
                r.keepCheckpoints(), r.inpaint(), r.inpaintOptions(), r.snapshots());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
