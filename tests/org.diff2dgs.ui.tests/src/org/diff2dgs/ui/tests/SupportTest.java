package org.diff2dgs.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.ui.internal.support.Clips;
import org.diff2dgs.ui.internal.support.Pictures;
import org.diff2dgs.ui.internal.support.RunMetrics;
import org.diff2dgs.ui.internal.support.Settings;
import org.diff2dgs.ui.internal.support.TrainingCurve;
import org.eclipse.swt.graphics.ImageData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workbench's readers of run files and its preferences, without a display. */
class SupportTest {

    @Test
    void trainingCurveReadsTheLogWhileItIsWritten(@TempDir Path dir) throws Exception {
        Random r = new Random(3);
        StringBuilder csv = new StringBuilder("iteration,loss,l1,ssim,depth_loss,depth_weight,psnr,surfels,seconds\n");
        double[] loss = new double[20];
        for (int i = 0; i < 20; i++) {
            loss[i] = 0.5 * Math.exp(-i / 10.0) + 0.01 * r.nextDouble();
            csv.append(String.format(Locale.ROOT, "%d,%.6f,0.1,0.2,0.3,10,%.3f,%d,%.2f%n", 10 * (i + 1), loss[i],
                    20 + i * 0.3, 1000 + 17 * i, 0.5 * i));
        }
        csv.append("210,0.01"); // a line still being written
        Path log = dir.resolve("log.csv");
        Files.writeString(log, csv);
        TrainingCurve c = TrainingCurve.read(log);
        assertEquals(20, c.size());
        assertEquals(200, c.iteration()[19]);
        assertEquals(loss[7], c.loss()[7], 1e-6);
        assertEquals(20 + 19 * 0.3, c.psnr()[19], 1e-3);
        assertEquals(1000 + 17 * 19, c.surfels()[19]);
        assertEquals(0, TrainingCurve.read(dir.resolve("missing.csv")).size());
    }

    @Test
    void runMetricsKeepsProtocolsPerFrameValuesSkipsAndSpeed(@TempDir Path run) throws Exception {
        String json = """
                {"evaluations": [
                  {"protocol": "masked-mean", "protocolDescription": "x", "frames": ["f1", "f2", "f3"],
                   "results": [{"protocol": "masked-mean", "metric": "psnr", "higherIsBetter": true, "mean": 25.5,
                                "std": 1.25, "count": 3, "perFrame": [24.0, 25.75, 26.75]}],
                   "skipped": [{"protocol": "masked-mean", "metric": "lpips", "reason": "no model file"}]},
                  {"protocol": "occluded", "protocolDescription": "y", "frames": ["f1", "f2", "f3"],
                   "results": [{"protocol": "occluded", "metric": "psnr", "higherIsBetter": true, "mean": 18.0,
                                "std": null, "count": 2, "perFrame": [17.0, null, 19.0]}], "skipped": []}],
                 "speed": {"renderFps": 12.5, "width": 320, "height": 256, "surfels": 5000, "trainingSeconds": 99.5}}
                """;
        Files.writeString(run.resolve("metrics.json"), json);
        RunMetrics m = RunMetrics.read(run);
        assertEquals(2, m.byProtocol().size());
        RunMetrics.Entry e = m.byProtocol().get("masked-mean").get("psnr");
        assertEquals(25.5, e.mean());
        assertEquals(1.25, e.std());
        assertArrayEquals(new double[] {24.0, 25.75, 26.75}, e.perFrame());
        RunMetrics.Entry o = m.byProtocol().get("occluded").get("psnr");
        assertTrue(Double.isNaN(o.std()));
        assertTrue(Double.isNaN(o.perFrame()[1]));
        assertEquals("no model file", m.skipped().get("masked-mean/lpips"));
        assertEquals(12.5, m.speed().get("renderFps"));
        Path empty = run.resolve("empty");
        Files.createDirectories(empty);
        UserInputException missing = assertThrows(UserInputException.class, () -> RunMetrics.read(empty));
        assertTrue(missing.getMessage().contains("no metrics.json"), missing.getMessage());
    }

    @Test
    void settingsRejectBadValuesAndRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prefs").resolve("workbench.properties");
        Settings s = new Settings(file);
        s.set(Settings.MEMORY, "lots");
        UserInputException bad = assertThrows(UserInputException.class, s::save);
        assertTrue(bad.getMessage().contains("memory must look like 8g"), bad.getMessage());
        assertFalse(Files.exists(file), "nothing is written when a value is bad");
        s.set(Settings.MEMORY, "12g");
        s.set(Settings.MODEL_FOLDER, dir.resolve("nowhere").toString());
        assertThrows(UserInputException.class, s::save);
        Path models = Files.createDirectories(dir.resolve("models"));
        s.set(Settings.MODEL_FOLDER, models.toString());
        s.set(Settings.BACKEND, "cpu");
        s.save();
        Settings back = new Settings(file);
        assertEquals("12g", back.get(Settings.MEMORY));
        assertEquals("cpu", back.get(Settings.BACKEND));
        assertNull(back.get(Settings.DEVICE));
        // the launch script reads "memory=12g" with sed: the file must hold it on one line
        assertTrue(Files.readAllLines(file).contains("memory=12g"));
    }

    @Test
    void picturesMapColourDepthAndMask() {
        Random r = new Random(9);
        int w = 7;
        int h = 5;
        int n = w * h;
        float[] rgb = new float[3 * n];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextFloat();
        }
        FloatImage img = new FloatImage(w, h, 3, rgb);
        ImageData d = Pictures.colour(img);
        int p = 3 * w + 4;
        int px = d.getPixel(4, 3);
        assertEquals(Math.round(rgb[p] * 255), (px >> 16) & 255);
        assertEquals(Math.round(rgb[n + p] * 255), (px >> 8) & 255);
        assertEquals(Math.round(rgb[2 * n + p] * 255), px & 255);
        float[] mask = new float[n];
        mask[p] = 1;
        ImageData m = Pictures.masked(img, new FloatImage(w, h, 1, mask));
        assertEquals(Math.round((0.5f * rgb[p] + 0.5f) * 255), (m.getPixel(4, 3) >> 16) & 255);
        assertEquals(d.getPixel(0, 0), m.getPixel(0, 0), "outside the mask the colour is unchanged");
        float[] depth = new float[n];
        for (int i = 0; i < n; i++) {
            depth[i] = 1 + 9 * r.nextFloat();
        }
        depth[0] = 0; // invalid
        ImageData g = Pictures.depth(new FloatImage(w, h, 1, depth));
        assertEquals(0, g.getPixel(0, 0), "invalid depth is black");
        int near = 1;
        int far = 1;
        for (int i = 1; i < n; i++) {
            if (depth[i] < depth[near]) {
                near = i;
            }
            if (depth[i] > depth[far]) {
                far = i;
            }
        }
        int nearGray = g.getPixel(near % w, near / w) & 255;
        int farGray = g.getPixel(far % w, far / w) & 255;
        assertTrue(nearGray > farGray, "near is brighter: " + nearGray + " vs " + farGray);
    }

    @Test
    void runFoldersLeadToTheirDataset(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path data = Files.createDirectories(dir.resolve("clip"));
        Files.writeString(run.resolve("run.json"), "{\"datasetPath\": \"" + data.toString().replace("\\", "\\\\")
                + "\"}");
        assertTrue(Clips.isRun(run));
        assertEquals(data, Clips.datasetOfRun(run));
        Files.writeString(run.resolve("run.json"), "{\"datasetPath\": \"" + dir.resolve("gone") + "\"}");
        UserInputException gone = assertThrows(UserInputException.class, () -> Clips.datasetOfRun(run));
        assertTrue(gone.getMessage().contains("dataset folder is gone"), gone.getMessage());
        Files.createDirectories(run.resolve("dataset"));
        assertEquals(run.resolve("dataset"), Clips.datasetOfRun(run));
    }
}
