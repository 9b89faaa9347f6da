package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.diff2dgs.app.headless.internal.Cli;
import org.diff2dgs.app.headless.tests.CommandLineTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** d2dgs config, the configuration recorded by runs, and training on an inpainted clip. */
class ConfigAndInpaintedTest {

    @Test
    void configPrintsThePublishedRatesAfterScaling() throws Exception {
        Result r = CommandLineTest.run("config", "--preset", "published", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject c = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(3000, c.get("iterations").getAsInt());
        JsonObject lr = c.getAsJsonObject("lr");
        assertEquals(1.6e-3, lr.getAsJsonObject("position").get("start").getAsDouble(), 1e-15);
        assertEquals(1.6e-5, lr.getAsJsonObject("position").get("end").getAsDouble(), 1e-17);
        assertEquals(4000, lr.getAsJsonObject("position").get("steps").getAsInt());
        assertEquals(1.6e-3, lr.getAsJsonObject("deformation").get("start").getAsDouble(), 1e-15);
        assertEquals(2.5e-3, lr.get("shDc").getAsDouble(), 1e-15);
        assertEquals(1.25e-4, lr.get("shRest").getAsDouble(), 1e-15);
        for (String k : new String[] {"opacity", "scale", "rotation"}) {
            assertTrue(lr.has(k), k);
        }
        JsonObject loss = c.getAsJsonObject("loss");
        assertEquals("adaptive", loss.get("depth").getAsString());
        assertEquals(1.0, loss.get("l1").getAsDouble());
        assertEquals(0.0, loss.get("dssim").getAsDouble());
        assertEquals(0.0, loss.get("normal").getAsDouble());
        assertEquals(0.0, loss.get("distortion").getAsDouble());
        JsonObject d = c.getAsJsonObject("densify");
        assertEquals(500, d.get("from").getAsInt());
        assertEquals(3000, d.get("until").getAsInt());
        assertEquals(100, d.get("every").getAsInt());
        assertEquals(2e-4, d.get("gradThreshold").getAsDouble());
        assertEquals(0.1, d.get("sizeLimit").getAsDouble(), 1e-12);
        assertFalse(c.get("maskInstruments").getAsBoolean());
    }

    @Test
    void configAppliesSetOverridesAndPrintsATable() throws Exception {
        Result r = CommandLineTest.run("config", "--preset", "published", "--set", "spatialScale=1", "--set",
                "depthWeighting=fixed", "--set", "depthWeight=2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("lr.position.start"), r.out());
        assertTrue(r.out().matches("(?s).*lr\\.position\\.start\\s+1\\.6E-4.*"), r.out());
        assertTrue(r.out().matches("(?s).*loss\\.depth\\s+2\\.0.*"), r.out());

        Result bad = CommandLineTest.run("config", "--set", "frameOrder=sorted");
        assertEquals(Cli.USER_ERROR, bad.code());
        assertTrue(bad.err().contains("frameOrder"), bad.err());
        Result unknownPreset = CommandLineTest.run("config", "--preset", "fastest");
        assertEquals(Cli.USER_ERROR, unknownPreset.code());
    }

    /**
     * A synthetic clip "inpainted" with its own ground truth (the oracle of stage 1): the reader reports it, training
     * runs unmasked, run.json and train/result.json record the effective configuration, and the diff2dgs-code
     * protocol now has its reference.
     */
    @Test
    void inpaintedClipTrainsAndTheDiff2dgsCodeProtocolRuns(@TempDir Path dir) throws Exception {
        Path scene = dir.resolve("scene");
        assertEquals(0, CommandLineTest.run("synth", scene.toString(), "--frames", "8", "--size", "40x32", "--seed",
                "5").code());
        Path clip = dir.resolve("inpainted");
        copy(scene, clip);
        replace(clip.resolve("images"), scene.resolve("gt/images"));
        replace(clip.resolve("depth"), scene.resolve("gt/depth"));
        deleteTree(clip.resolve("gt"));
        Files.writeString(clip.resolve("inpainting.json"), "{\"format\": \"diff2dgs-inpainted/1\", \"method\": \"oracle\"}");

        Result validate = CommandLineTest.run("validate", clip.toString());
        assertEquals(0, validate.code(), validate.out() + validate.err());
        assertTrue(validate.out().contains("yes (inpainting.json: oracle)"), validate.out());

        Path run = dir.resolve("run");
        Result r = CommandLineTest.run("run", clip.toString(), "--out", run.toString(), "--preset", "published",
                "--iterations", "30", "--set", "maxSurfels=20000", "--protocol", "diff2dgs-code", "--metric", "psnr",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject metrics = JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject();
        JsonObject eval = metrics.getAsJsonArray("evaluations").get(0).getAsJsonObject();
        assertEquals("diff2dgs-code", eval.get("protocol").getAsString());
        assertEquals(1, eval.getAsJsonArray("results").size(), eval.toString());
        double psnr = eval.getAsJsonArray("results").get(0).getAsJsonObject().get("mean").getAsDouble();
        assertTrue(psnr > 5 && psnr < 100, "psnr " + psnr);

        JsonObject state = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        JsonObject recorded = state.getAsJsonObject("trainingConfig");
        assertEquals(30, recorded.get("iterations").getAsInt());
        assertEquals(1.6e-3, recorded.getAsJsonObject("lr").getAsJsonObject("position").get("start").getAsDouble(),
                1e-15);
        JsonObject result = JsonParser.parseString(Files.readString(run.resolve("train/result.json")))
                .getAsJsonObject();
        assertTrue(result.get("inpainted").getAsBoolean());
        assertEquals(recorded, result.getAsJsonObject("config"));

        // the same frames without the marker: not inpainted, and the protocol says what it lacks
        Files.delete(clip.resolve("inpainting.json"));
        Path plain = dir.resolve("plain");
        Result p = CommandLineTest.run("run", clip.toString(), "--out", plain.toString(), "--iterations", "10",
                "--inpaint", "none", "--protocol", "diff2dgs-code", "--metric", "psnr");
        assertEquals(0, p.code(), p.err());
        JsonElement skipped = JsonParser.parseString(Files.readString(plain.resolve("metrics.json")))
                .getAsJsonObject().getAsJsonArray("evaluations").get(0).getAsJsonObject().get("skipped");
        assertTrue(skipped.toString().contains("inpainted"), skipped.toString());
        // ... unless the user says so
        Path said = dir.resolve("said");
        Result s = CommandLineTest.run("train", clip.toString(), "--out", said.toString(), "--iterations", "10",
                "--inpainted");
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.readString(said.resolve("train/result.json")).contains("\"inpainted\": true"));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void replace(Path folder, Path with) throws IOException {
        deleteTree(folder);
        copy(with, folder);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(q);
            }
        }
    }
}
