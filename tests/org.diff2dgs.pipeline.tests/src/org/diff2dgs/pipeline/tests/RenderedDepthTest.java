package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.Stages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/** The render stage and `d2dgs render` write depth that is readable and decodes to the exact values. */
class RenderedDepthTest {

    /** The render stage writes every test frame's depth in the three forms with one recorded scale. */
    @Test
    void renderStageWritesReadableDepthOfTheMillimetreScene(@TempDir Path dir) {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        p.run(PipelineTest.request(run, PipelineTest.quick(40), Stages.RENDER, Set.of()), Progress.NONE);
        Path depthDir = run.resolve("renders/test/depth");
        JsonObject meta = Json.readTree(depthDir.resolve("depth.json")).getAsJsonObject();
        double scale = meta.get("scale").getAsDouble();
        assertTrue(meta.get("near").getAsDouble() > 5 && meta.get("far").getAsDouble() < 500,
                "the synthetic scene is in millimetres: " + meta);
        try (var files = Files.list(depthDir)) {
            List<Path> npys = files.filter(f -> f.toString().endsWith(".npy")).sorted().toList();
            assertTrue(npys.size() >= 1, "test frames have depth");
            for (Path npy : npys) {
                String name = npy.getFileName().toString().replace(".npy", "");
                float[] exact = DepthRoundTripTest.toFloat(Npy.read(npy).data());
                float[] stored = Images.readGray(depthDir.resolve(name + ".png")).values().data();
                int saturated = 0;
                int valid = 0;
                for (int i = 0; i < exact.length; i++) {
                    assertEquals(exact[i], stored[i] / scale, 0.5 / scale * (1 + 1e-6) + Math.ulp(exact[i]));
                    saturated += stored[i] >= 65535 ? 1 : 0;
                    valid += exact[i] > 0 ? 1 : 0;
                }
                assertEquals(0, saturated, name + ": no saturated pixel");
                assertTrue(valid > exact.length / 2, name + ": the surface covers the view");
                assertTrue(Files.isRegularFile(run.resolve("renders/test/depth-view/" + name + ".png")));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }

        List<Path> view = p.render(run, 0.5, -1, dir.resolve("view"), "cpu");
        for (String f : List.of("view.color.png", "view.normal.png", "view.depth.png", "view.depth.npy",
                "view.depth-view.png", "view.depth.json")) {
            assertTrue(view.contains(dir.resolve(f)), f + " in " + view);
        }
        double viewScale = Json.readTree(dir.resolve("view.depth.json")).getAsJsonObject().get("scale").getAsDouble();
        float[] exact = DepthRoundTripTest.toFloat(Npy.read(dir.resolve("view.depth.npy")).data());
        float[] stored = Images.readGray(dir.resolve("view.depth.png")).values().data();
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], stored[i] / viewScale, 0.5 / viewScale * (1 + 1e-6) + Math.ulp(exact[i]));
        }

        // render and snapshot say so when they show a checkpoint of a training that has not finished
        assertEquals(null, p.unfinishedTraining(run));
        Path prepared = dir.resolve("prepared");
        p.run(PipelineTest.request(prepared, PipelineTest.quick(40), Stages.PREPARE, Set.of()), Progress.NONE);
        String note = p.unfinishedTraining(prepared);
        assertTrue(note != null && note.contains("training of this run has not finished")
                && note.contains("newest checkpoint"), note);
        // not a run: render and snapshot report that themselves
        assertEquals(null, p.unfinishedTraining(dir.resolve("no-such-run")));
    }
}
