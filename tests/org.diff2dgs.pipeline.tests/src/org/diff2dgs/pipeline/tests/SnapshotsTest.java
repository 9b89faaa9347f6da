package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The render stage's 3D snapshots of a small trained run, through the viewer's offscreen path (Mesa's EGL in CI), and
 * every way it degrades: switched off, no libEGL, no viewer bundle. The run succeeds each time and run.json says why.
 */
class SnapshotsTest {

    @TempDir
    static Path dir;
    static Path run;
    static Pipeline pipeline;

    /** One small training shared by every test; each test reruns only the render stage. */
    @BeforeAll
    static void train() {
        pipeline = Osgi.service(Pipeline.class);
        run = dir.resolve("run");
        pipeline.run(PipelineTest.request(run, PipelineTest.quick(120), Stages.TRAIN, Set.of()), Progress.NONE);
    }

    private static RunRequest render(boolean snapshots) {
        return PipelineTest.request(run, PipelineTest.quick(120), Stages.RENDER, Set.of(Stages.RENDER))
                .withSnapshots(snapshots);
    }

    private static JsonObject snapshotRecord() {
        JsonObject state = Json.readTree(run.resolve("run.json")).getAsJsonObject();
        return state.getAsJsonObject("stages").getAsJsonObject("render").getAsJsonObject("detail")
                .getAsJsonObject("snapshots3d");
    }

    private static void requireOffscreenOpenGl() {
        String reason = pipeline.snapshotsUnavailableReason();
        if (reason != null && System.getenv("CI") != null) {
            throw new AssertionError("CI must take 3D snapshots (Mesa EGL): " + reason);
        }
        assumeTrue(reason == null, reason);
    }

    /** Pixels that differ from the corner (the background) by more than 0.1 in some channel. */
    static double foregroundFraction(BufferedImage img) {
        int bg = img.getRGB(0, 0);
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    if (Math.abs(((p >> shift) & 255) - ((bg >> shift) & 255)) > 25) {
                        n++;
                        break;
                    }
                }
            }
        }
        return (double) n / (img.getWidth() * img.getHeight());
    }

    static double meanAbsDifference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 255) - ((q >> shift) & 255));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    @Test
    void renderStageWritesColourAndDepthSnapshotsAtThreeTimes() throws IOException {
        requireOffscreenOpenGl();
        RunReport r = pipeline.run(render(true), Progress.NONE);
        assertEquals(List.of(Stages.RENDER), r.ran());
        JsonObject record = snapshotRecord();
        assertFalse(record.has("skipped"), record.toString());
        List<String> files = new ArrayList<>();
        for (JsonElement e : record.getAsJsonArray("files")) {
            files.add(e.getAsString());
        }
        assertEquals(List.of("renders/3d/t0.00-color.png", "renders/3d/t0.00-depth.png", "renders/3d/t0.50-color.png",
                "renders/3d/t0.50-depth.png", "renders/3d/t1.00-color.png", "renders/3d/t1.00-depth.png"), files);
        for (String f : files) {
            BufferedImage img = ImageIO.read(run.resolve(f).toFile());
            // the tiny scene is 64x48: snapshots are at least 320 wide with its aspect
            assertEquals(320, img.getWidth(), f);
            assertEquals(240, img.getHeight(), f);
            double fg = foregroundFraction(img);
            assertTrue(fg > 0.05, f + ": the surfels should cover part of the picture, foreground " + fg);
        }
        BufferedImage colour = ImageIO.read(run.resolve(files.get(2)).toFile());
        BufferedImage depth = ImageIO.read(run.resolve(files.get(3)).toFile());
        assertTrue(meanAbsDifference(colour, depth) > 5, "colour and depth modes must differ");
    }

    @Test
    void snapshotOfTheRunAtAnyTimeAndSize() throws IOException {
        requireOffscreenOpenGl();
        Path out = dir.resolve("one/normal.png");
        assertEquals(out, pipeline.snapshot(run, 0.3, "normal", 200, 150, out));
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(200, img.getWidth());
        assertEquals(150, img.getHeight());
        assertTrue(foregroundFraction(img) > 0.05, "surfels in the normal picture");

        UserInputException mode = assertThrows(UserInputException.class,
                () -> pipeline.snapshot(run, 0.3, "xray", 0, 0, out));
        assertTrue(mode.getMessage().contains("xray") && mode.getMessage().contains("color, depth, normal"),
                mode.getMessage());
        UserInputException time = assertThrows(UserInputException.class,
                () -> pipeline.snapshot(run, 1.5, "color", 0, 0, out));
        assertTrue(time.getMessage().contains("--time"), time.getMessage());
        UserInputException notRun = assertThrows(UserInputException.class,
                () -> pipeline.snapshot(dir.resolve("nothing"), 0.3, "color", 0, 0, out));
        assertTrue(notRun.getMessage().contains("nothing"), notRun.getMessage());
    }

    @Test
    void switchedOffTheRunRecordsItAndWritesNoSnapshots() {
        pipeline.run(render(false), Progress.NONE);
        assertEquals("switched off (--no-snapshots)", snapshotRecord().get("skipped").getAsString());
        assertFalse(Files.exists(run.resolve("renders/3d")));
    }

    @Test
    void withoutEglTheRunSucceedsAndRecordsTheMissingLibraryOnOneLine() {
        List<String> notes = new ArrayList<>();
        Progress noting = new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long units, String status) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public void done() {
            }

            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        System.setProperty("d2dgs.egl.library", "libEGL-missing-for-test.so.3");
        try {
            RunReport r = pipeline.run(render(true), noting);
            assertEquals(List.of(Stages.RENDER), r.ran());
            String skipped = snapshotRecord().get("skipped").getAsString();
            assertTrue(skipped.contains("libEGL-missing-for-test.so.3"), skipped);
            assertFalse(skipped.contains("\n"), skipped);
            assertEquals(List.of("no 3D snapshots: " + skipped), notes);
            UserInputException e = assertThrows(UserInputException.class,
                    () -> pipeline.snapshot(run, 0, "color", 0, 0, dir.resolve("x.png")));
            assertTrue(e.getMessage().contains("libEGL-missing-for-test.so.3"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("x.png")));
        } finally {
            System.clearProperty("d2dgs.egl.library");
        }
    }

    @Test
    void withoutTheViewerBundleTheRunSucceedsAndSaysSo() throws BundleException, InterruptedException {
        Bundle viewer = null;
        for (Bundle b : FrameworkUtil.getBundle(SnapshotsTest.class).getBundleContext().getBundles()) {
            if ("org.diff2dgs.viewer".equals(b.getSymbolicName())) {
                viewer = b;
            }
        }
        assertTrue(viewer != null, "the test runtime holds the viewer, as the headless product does");
        viewer.stop();
        try {
            RunReport r = pipeline.run(render(true), Progress.NONE);
            assertEquals(List.of(Stages.RENDER), r.ran());
            assertEquals("the 3D viewer (bundle org.diff2dgs.viewer) is not installed",
                    snapshotRecord().get("skipped").getAsString());
            UserInputException e = assertThrows(UserInputException.class,
                    () -> pipeline.snapshot(run, 0, "color", 0, 0, dir.resolve("y.png")));
            assertTrue(e.getMessage().contains("org.diff2dgs.viewer"), e.getMessage());
        } finally {
            viewer.start();
        }
        // DS brings the service back and the pipeline binds it again (the other tests need it)
        long until = System.currentTimeMillis() + 20_000;
        while (String.valueOf(pipeline.snapshotsUnavailableReason()).contains("org.diff2dgs.viewer")
                && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertFalse(String.valueOf(pipeline.snapshotsUnavailableReason()).contains("org.diff2dgs.viewer"));
    }
}
