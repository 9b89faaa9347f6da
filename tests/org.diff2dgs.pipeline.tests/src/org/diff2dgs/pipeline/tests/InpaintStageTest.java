package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.train.api.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/** Stage 1 inside a run: default method, R/inpainted/, resume, fingerprint, training and evaluation use. */
class InpaintStageTest {

    static RunRequest request(Path out, TrainOptions o, String toStage, Set<String> force, String inpaint) {
        return new RunRequest(null, null, PipelineTest.TINY, out, ReadOptions.defaults(), o, "cpu", null, toStage,
                force, false, List.of("occluded"), List.of("psnr"), 0, inpaint, InpaintOptions.defaults());
    }

    private static JsonObject stage(Path run, String stage) {
        return Json.readTree(run.resolve("run.json")).getAsJsonObject().getAsJsonObject("stages")
                .getAsJsonObject(stage);
    }

    @Test
    void propagateIsTheDefaultAndRecordsQualityAndFingerprint(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        RunReport r = p.run(request(run, PipelineTest.quick(20), Stages.INPAINT, Set.of(), null), Progress.NONE);
        assertEquals(List.of(Stages.PREPARE, Stages.INPAINT), r.ran());
        assertTrue(Files.isRegularFile(run.resolve("inpainted/inpainting.json")));
        JsonObject detail = stage(run, Stages.INPAINT).getAsJsonObject("detail");
        assertEquals("propagate", detail.get("method").getAsString());
        assertEquals("auto", detail.get("requested").getAsString());
        assertTrue(detail.has("fingerprint"));
        JsonObject q = detail.getAsJsonObject("quality");
        double psnr = q.get("psnr").getAsDouble();
        double raw = q.get("psnr-raw").getAsDouble();
        assertTrue(psnr > raw + 5, "inpainted " + psnr + " dB vs raw " + raw + " dB inside the masks");
        JsonObject json = Json.readTree(run.resolve("inpainted/inpainting.json")).getAsJsonObject();
        assertEquals(psnr, json.getAsJsonObject("quality").get("psnr").getAsDouble(), 1e-9);
    }

    @Test
    void resumeKeepsStage1AndNoticesChanges(@TempDir Path dir) throws IOException {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(request(run, PipelineTest.quick(20), Stages.INPAINT, Set.of(), null), Progress.NONE);
        RunReport again = p.run(request(run, PipelineTest.quick(20), Stages.INPAINT, Set.of(), null), Progress.NONE);
        assertEquals(List.of(), again.ran());
        assertEquals(List.of(Stages.PREPARE, Stages.INPAINT), again.skipped());

        UserInputException other = assertThrows(UserInputException.class, () -> p.run(
                request(run, PipelineTest.quick(20), Stages.INPAINT, Set.of(), "oracle"), Progress.NONE));
        assertTrue(other.getMessage().contains("--force inpaint"), other.getMessage());

        Path image;
        try (var s = Files.list(run.resolve("inpainted/images"))) {
            image = s.sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(image, bytes);
        UserInputException changed = assertThrows(UserInputException.class, () -> p.run(
                request(run, PipelineTest.quick(20), Stages.INPAINT, Set.of(), null), Progress.NONE));
        assertTrue(changed.getMessage().contains("changed"), changed.getMessage());

        RunReport forced = p.run(request(run, PipelineTest.quick(20), Stages.INPAINT, Set.of(Stages.INPAINT),
                "oracle"), Progress.NONE);
        assertEquals(List.of(Stages.INPAINT), forced.ran());
        assertEquals("oracle", stage(run, Stages.INPAINT).getAsJsonObject("detail").get("method").getAsString());
    }

    @Test
    void noneTrainsOnTheSourceFrames(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(request(run, PipelineTest.quick(10), Stages.TRAIN, Set.of(), "none"), Progress.NONE);
        assertFalse(Files.exists(run.resolve("inpainted")));
        assertEquals("none", stage(run, Stages.INPAINT).getAsJsonObject("detail").get("method").getAsString());
        assertTrue(stage(run, Stages.TRAIN).getAsJsonObject("detail").get("trainedOn").getAsString()
                .startsWith("the source frames"));
    }

    @Test
    void trainingUsesTheInpaintedClipAndMetricsShowStage1(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(request(run, PipelineTest.quick(20), null, Set.of(), "oracle"), Progress.NONE);
        assertTrue(stage(run, Stages.TRAIN).getAsJsonObject("detail").get("trainedOn").getAsString()
                .startsWith("inpainted/"));
        JsonObject metrics = Json.readTree(run.resolve("metrics.json")).getAsJsonObject();
        // the oracle gives the true tissue: stage-1 PSNR inside the masks is only limited by 8-bit storage
        assertTrue(PipelineTest.metricMean(metrics, "inpainting", "psnr") > 40);
        assertTrue(PipelineTest.metricMean(metrics, "occluded", "psnr") > 5);
    }

    @Test
    void unknownMethodIsAUserError(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        UserInputException e = assertThrows(UserInputException.class, () -> p.run(request(dir.resolve("run"),
                PipelineTest.quick(20), Stages.INPAINT, Set.of(), "paint-it-all"), Progress.NONE));
        assertTrue(e.getMessage().contains("paint-it-all") && e.getMessage().contains("propagate"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("run/inpainted")));
    }
}
