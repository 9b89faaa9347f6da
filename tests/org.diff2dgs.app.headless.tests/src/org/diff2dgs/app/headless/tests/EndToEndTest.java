package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.diff2dgs.app.headless.internal.Cli;
import org.diff2dgs.app.headless.tests.CommandLineTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The main commands end to end inside OSGi, on a tiny synthetic scene, as a user types them. */
class EndToEndTest {

    @Test
    void labExtensionsAppearWithoutCodeChanges() throws Exception {
        Result r = CommandLineTest.run("info", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"gradient-error\""), "example metric bundle is listed");
        assertTrue(r.out().contains("\"imagefolder\""), "example dataset reader bundle is listed");
    }

    @Test
    void synthValidateRunRenderEval(@TempDir Path dir) throws Exception {
        Path scene = dir.resolve("scene");
        Result synth = CommandLineTest.run("synth", scene.toString(), "--frames", "8", "--size", "48x40", "--seed",
                "3");
        assertEquals(0, synth.code(), synth.err());
        Result validate = CommandLineTest.run("validate", scene.toString());
        assertEquals(0, validate.code(), validate.out() + validate.err());
        assertTrue(validate.out().contains("OK"), validate.out());

        Path run = dir.resolve("run");
        Result r = CommandLineTest.run("run", scene.toString(), "--out", run.toString(), "--iterations", "40",
                "--metric", "psnr", "--protocol", "masked-mean");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("masked-mean"), r.out());
        assertTrue(Files.isRegularFile(run.resolve("metrics.json")));
        assertTrue(Files.isRegularFile(run.resolve("renders/clip.mp4")));

        Result again = CommandLineTest.run("run", scene.toString(), "--out", run.toString(), "--iterations", "40",
                "--metric", "psnr", "--protocol", "masked-mean", "--json");
        assertEquals(0, again.code(), again.err());
        JsonObject j = JsonParser.parseString(again.out()).getAsJsonObject();
        assertEquals(0, j.getAsJsonArray("ran").size(), "a finished run is not redone");

        Result render = CommandLineTest.run("render", run.toString(), "--time", "0.5", "--out",
                dir.resolve("view").toString());
        assertEquals(0, render.code(), render.err());
        assertTrue(Files.isRegularFile(dir.resolve("view.color.png")));
        assertTrue(Files.isRegularFile(dir.resolve("view.depth.png")));

        snapshotsOfTheRun(dir, run);

        Result eval = CommandLineTest.run("eval", run.toString(), "--protocol", "occluded", "--metric", "psnr");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("occluded"), eval.out());
    }

    /**
     * The run's 3D snapshots and `d2dgs snapshot` where offscreen OpenGL exists (CI: Mesa's EGL), and the one-line
     * exit 1 where it does not (a libEGL that is not there) or the input is wrong.
     */
    private static void snapshotsOfTheRun(Path dir, Path run) throws Exception {
        Result info = CommandLineTest.run("info", "--json");
        String snapshots = JsonParser.parseString(info.out()).getAsJsonObject().get("snapshots3d").getAsString();
        if (System.getenv("CI") != null) {
            assertEquals("available", snapshots);
        }
        Path out = dir.resolve("view3d.png");
        if (snapshots.equals("available")) {
            assertTrue(Files.isRegularFile(run.resolve("renders/3d/t0.50-color.png")), "run snapshots");
            Result snap = CommandLineTest.run("snapshot", run.toString(), "--time", "0.25", "--out", out.toString(),
                    "--mode", "depth", "--size", "160x120");
            assertEquals(0, snap.code(), snap.err());
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.toFile());
            assertEquals(160, img.getWidth());
            assertEquals(120, img.getHeight());
            int background = img.getRGB(0, 0);
            int other = 0;
            for (int y = 0; y < 120; y++) {
                for (int x = 0; x < 160; x++) {
                    other += img.getRGB(x, y) != background ? 1 : 0;
                }
            }
            assertTrue(other > 160 * 120 / 20, "the surfels cover part of the depth picture: " + other);
        } else {
            assertTrue(snapshots.startsWith("unavailable: "), snapshots);
        }
        Result mode = CommandLineTest.run("snapshot", run.toString(), "--time", "0.25", "--out", out.toString(),
                "--mode", "thermal");
        assertEquals(Cli.USER_ERROR, mode.code(), mode.err());
        assertEquals(1, mode.err().lines().count(), mode.err());
        assertTrue(mode.err().contains("thermal"), mode.err());
        System.setProperty("d2dgs.egl.library", "libEGL-missing-for-test.so.5");
        try {
            Result missing = CommandLineTest.run("snapshot", run.toString(), "--time", "0.25", "--out",
                    dir.resolve("never.png").toString());
            assertEquals(Cli.USER_ERROR, missing.code(), missing.err());
            assertEquals(1, missing.err().lines().count(), missing.err());
            assertTrue(missing.err().contains("libEGL-missing-for-test.so.5"), missing.err());
            assertFalse(Files.exists(dir.resolve("never.png")));
        } finally {
            System.clearProperty("d2dgs.egl.library");
        }
    }

    @Test
    void trainRefusesToOverwriteCheckpointsWithoutResume(@TempDir Path dir) throws Exception {
        Path scene = dir.resolve("scene");
        assertEquals(0, CommandLineTest.run("synth", scene.toString(), "--frames", "6", "--size", "32x24").code());
        Path run = dir.resolve("run");
        assertEquals(0, CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations",
                "10").code());
        Result again = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations", "10");
        assertEquals(Cli.USER_ERROR, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        Result resumed = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations",
                "10", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
    }

    @Test
    void backendAutoTrainsOnTheBestAvailableAndAnUnknownBackendIsExitOne(@TempDir Path dir) throws Exception {
        Path scene = dir.resolve("scene");
        assertEquals(0, CommandLineTest.run("synth", scene.toString(), "--frames", "6", "--size", "32x24").code());
        Path run = dir.resolve("run");
        Result auto = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations", "5",
                "--backend", "auto");
        assertEquals(0, auto.code(), auto.err());
        JsonObject state = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        // no GPU in the test runtime: cuda (when installed) is passed over, and run.json says why
        assertEquals("cpu", state.get("backend").getAsString());
        assertEquals(state.has("backendReason"), Services.catalog().computeBackends().stream()
                .anyMatch(b -> !b.isAvailable() && b.priority() > 0), state.toString());
        Result unknown = CommandLineTest.run("train", scene.toString(), "--out", dir.resolve("other").toString(),
                "--iterations", "5", "--backend", "abacus");
        assertEquals(Cli.USER_ERROR, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("unknown backend 'abacus'") && unknown.err().contains("auto"),
                unknown.err());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    }

    @Test
    void badInputIsOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
        Result missing = CommandLineTest.run("validate", dir.resolve("nothing-here").toString());
        assertEquals(Cli.USER_ERROR, missing.code());
        assertTrue(missing.err().contains("nothing-here"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertFalse(missing.err().contains("Exception"), missing.err());

        Result badSize = CommandLineTest.run("synth", dir.resolve("s").toString(), "--size", "big");
        assertEquals(Cli.USER_ERROR, badSize.code());
        assertTrue(badSize.err().contains("--size"), badSize.err());

        Result badOption = CommandLineTest.run("run", "--out", dir.resolve("r").toString(), "--set",
                "noSuchOption=3");
        assertEquals(Cli.USER_ERROR, badOption.code());
        assertTrue(badOption.err().contains("noSuchOption"), badOption.err());

        Result notARun = CommandLineTest.run("render", dir.toString(), "--time", "0.5");
        assertEquals(Cli.USER_ERROR, notARun.code());
        assertTrue(notARun.err().contains("run.json"), notARun.err());
    }

    @Test
    void selftestAgainstTheGoldenScene() throws Exception {
        Path golden = GoldenData.goldenFile();
        Result r = CommandLineTest.run("selftest", "--golden", golden.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS"), r.out());
    }
}
