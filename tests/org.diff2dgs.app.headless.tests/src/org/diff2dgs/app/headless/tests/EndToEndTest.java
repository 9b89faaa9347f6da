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

        Result eval = CommandLineTest.run("eval", run.toString(), "--protocol", "occluded", "--metric", "psnr");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("occluded"), eval.out());
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
