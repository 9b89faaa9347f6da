package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.diff2dgs.app.headless.internal.Cli;
import org.diff2dgs.app.headless.tests.CommandLineTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** `d2dgs inpaint`: stage 1 alone, its output, its JSON and its errors. */
class InpaintCommandTest {

    @Test
    void inpaintsASyntheticSceneAndReportsCoverage(@TempDir Path dir) throws Exception {
        Path scene = dir.resolve("scene");
        Result synth = CommandLineTest.run("synth", scene.toString(), "--size", "64x48", "--frames", "8",
                "--seed", "3");
        assertEquals(0, synth.code(), synth.err());
        Path out = dir.resolve("inpainted");
        Result r = CommandLineTest.run("--json", "inpaint", scene.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("propagate", j.get("method").getAsString());
        assertEquals(8, j.get("frames").getAsInt());
        JsonObject total = j.getAsJsonObject("total");
        assertTrue(total.get("restored").getAsLong() > 0, total.toString());
        assertEquals(total.get("restored").getAsLong(), total.get("propagated").getAsLong()
                + total.get("spatial").getAsLong(), total.toString());
        for (String sub : new String[] {"images", "depth", "masks", "inpaint_masks", "confidence"}) {
            try (Stream<Path> s = Files.list(out.resolve(sub))) {
                assertEquals(8, s.count(), sub);
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("inpainting.json")));
        assertTrue(Files.isRegularFile(out.resolve("poses_bounds.npy")));

        Result again = CommandLineTest.run("inpaint", scene.toString(), "--out", out.toString());
        assertEquals(Cli.USER_ERROR, again.code());
        assertTrue(again.err().contains("not empty"), again.err());
    }

    @Test
    void badInputIsOneLineAndNoOutput(@TempDir Path dir) throws Exception {
        Path scene = dir.resolve("scene");
        assertEquals(0, CommandLineTest.run("synth", scene.toString(), "--size", "64x48", "--frames", "6",
                "--seed", "4").code());
        // every mask white: the instruments would cover everything
        try (Stream<Path> s = Files.list(scene.resolve("masks"))) {
            Path first = s.sorted().findFirst().orElseThrow();
            var values = new org.diff2dgs.core.model.FloatImage(64, 48, 1, filled(64 * 48));
            org.diff2dgs.core.io.Images.writeGray8(first, values);
        }
        Path out = dir.resolve("out");
        Result r = CommandLineTest.run("inpaint", scene.toString(), "--out", out.toString());
        assertEquals(Cli.USER_ERROR, r.code(), r.out());
        // the progress bar of reading goes to stderr too; the error is one line, without a stack trace
        List<String> errors = r.err().lines().filter(l -> l.startsWith("d2dgs: ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("covers every pixel") && errors.get(0).contains("mask.png"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(out));

        Result unknown = CommandLineTest.run("inpaint", scene.toString(), "--out", out.toString(), "--method",
                "magic");
        assertEquals(Cli.USER_ERROR, unknown.code());
        assertTrue(unknown.err().contains("magic"), unknown.err());
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
