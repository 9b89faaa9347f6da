package org.diff2dgs.batch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.diff2dgs.batch.api.BatchListener;
import org.diff2dgs.batch.api.BatchReport;
import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.SummaryRow;
import org.diff2dgs.core.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Aggregation, Markdown, CSV, JSON and charts, checked against the cells' metrics.json files read independently. */
class ReportTest {

    /** One grid for all read-only checks: the report with its charts is the slow part. */
    @TempDir
    static Path dir;

    private static Experiment experiment;
    private static BatchReport report;

    static Experiment grid(Path folder, String charts) {
        Fixtures.dataset(folder.resolve("clip"));
        String yaml = Fixtures.GRID_YAML.replace("charts: false", "charts: " + charts)
                .replace("methods:", """
                          - name: real
                            path: clip
                            dataset: EndoNeRF
                        methods:""");
        return Fixtures.batch(new FakePipeline()).load(Fixtures.write(folder, "grid.yaml", yaml));
    }

    @BeforeAll
    static void runGrid() {
        experiment = grid(dir, "[psnr, ssim]");
        report = Fixtures.batch(new FakePipeline()).run(experiment, BatchListener.NONE);
    }

    private static JsonObject metrics(Cell c) {
        return Json.readTree(c.folder().resolve("metrics.json")).getAsJsonObject();
    }

    private static JsonObject result(JsonObject metrics, String protocol, String metric) {
        for (JsonElement e : metrics.getAsJsonArray("evaluations")) {
            JsonObject ev = e.getAsJsonObject();
            if (ev.get("protocol").getAsString().equals(protocol)) {
                for (JsonElement r : ev.getAsJsonArray("results")) {
                    if (r.getAsJsonObject().get("metric").getAsString().equals(metric)) {
                        return r.getAsJsonObject();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void summaryIsTheMeanAndPopulationStdOfTheCellsMeansPerDatasetGroup() {
        List<SummaryRow> rows = report.results().summary();
        int checked = 0;
        for (SummaryRow row : rows) {
            if (row.protocol().equals("speed")) {
                continue;
            }
            List<Double> means = new ArrayList<>();
            for (Cell c : experiment.cells()) {
                if (c.scene().dataset().equals(row.dataset()) && c.method().name().equals(row.method())) {
                    means.add(result(metrics(c), row.protocol(), row.metric()).get("mean").getAsDouble());
                }
            }
            double mean = means.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double var = means.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / means.size();
            assertEquals(mean, row.mean(), 1e-12 * Math.abs(mean), row.toString());
            assertEquals(Math.sqrt(var), row.std(), 1e-9, row.toString());
            assertEquals(means.size(), row.count());
            checked++;
        }
        // 2 groups x 2 protocols x 2 methods x 3 computed metrics
        assertEquals(24, checked);
        SummaryRow fps = rows.stream().filter(r -> r.metric().equals("renderFps") && r.dataset().equals("EndoNeRF"))
                .findFirst().orElseThrow();
        assertEquals(2, fps.count(), "one real scene x 2 seeds");
        assertTrue(fps.higherIsBetter());
        SummaryRow trainPsnr = rows.stream().filter(r -> r.metric().equals("trainPsnr")
                && r.dataset().equals("EndoNeRF")).findFirst().orElseThrow();
        assertEquals(2, trainPsnr.count());
        assertTrue(trainPsnr.mean() >= 30 && trainPsnr.mean() <= 40, trainPsnr.toString());
        assertTrue(rows.stream().anyMatch(r -> r.metric().equals("surfels") && !r.higherIsBetter()));
    }

    @Test
    void markdownTablesBoldTheBestOfEachColumnOnePerGroupAndProtocol() throws IOException {
        String md = Files.readString(experiment.out().resolve("results.md"));
        for (String title : List.of("## synthetic / masked-mean", "## synthetic / deform3dgs",
                "## EndoNeRF / masked-mean", "## EndoNeRF / deform3dgs")) {
            assertTrue(md.contains(title), title + " in\n" + md);
        }
        String[] lines = md.split("\n");
        int tables = 0;
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("| Method |")) {
                continue;
            }
            tables++;
            String[] header = cells(lines[i]);
            assertEquals("PSNR ↑", header[1]);
            assertEquals("SSIM ↑", header[2]);
            assertEquals("depth-rmse ↓", header[3]);
            assertEquals("Train PSNR ↑", header[4]);
            assertEquals("Surfels ↓", header[5]);
            assertEquals("Train (s) ↓", header[6]);
            assertEquals("FPS ↑", header[7]);
            List<String[]> body = new ArrayList<>();
            for (int j = i + 2; j < lines.length && lines[j].startsWith("| "); j++) {
                body.add(cells(lines[j]));
            }
            assertEquals(List.of("full", "no-normal"), body.stream().map(r -> r[0]).toList());
            for (int col = 1; col <= 7; col++) {
                boolean up = header[col].endsWith("↑");
                double best = up ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (String[] r : body) {
                    double v = Double.parseDouble(r[col].replace("**", "").split(" ± ")[0]);
                    best = up ? Math.max(best, v) : Math.min(best, v);
                }
                int bold = 0;
                for (String[] r : body) {
                    double v = Double.parseDouble(r[col].replace("**", "").split(" ± ")[0]);
                    assertEquals(v == best, r[col].startsWith("**"), "column " + header[col] + ": " + r[col]);
                    bold += r[col].startsWith("**") ? 1 : 0;
                }
                assertTrue(bold >= 1);
            }
        }
        assertEquals(4, tables);
        assertTrue(md.contains("Revision: `abc123def456`"), md);
    }

    private static String[] cells(String row) {
        String inner = row.substring(1, row.length() - 1);
        String[] parts = inner.split("\\|");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }

    @Test
    void csvHasARowPerCellProtocolAndMetricWithEveryProvenanceField() throws IOException {
        List<List<String>> rows = Csv.parse(Files.readString(experiment.out().resolve("results.csv")));
        List<String> header = rows.get(0);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            col.put(header.get(i), i);
        }
        for (String needed : List.of("cell", "scene", "dataset", "method", "seed", "protocol", "metric", "mean",
                "std", "count", "revision", "device", "backend", "libraries", "method_options", "training_options",
                "dataset_fingerprint")) {
            assertTrue(col.containsKey(needed), needed);
        }
        // 12 cells x 2 protocols x (3 computed + lpips skipped)
        assertEquals(12 * 2 * 4, rows.size() - 1);
        Set<String> keys = new HashSet<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(header.size(), r.size());
            assertTrue(keys.add(r.get(col.get("cell")) + r.get(col.get("protocol")) + r.get(col.get("metric"))));
            assertEquals("abc123def456", r.get(col.get("revision")));
            assertEquals("CPU, 2 cores", r.get(col.get("device")));
            assertEquals("cpu", r.get(col.get("backend")));
            assertTrue(r.get(col.get("libraries")).contains("org.diff2dgs.train=0.1.0.test"));
            JsonObject training = JsonParser.parseString(r.get(col.get("training_options"))).getAsJsonObject();
            assertEquals(Long.parseLong(r.get(col.get("seed"))), training.get("seed").getAsLong());
            assertEquals(40, training.get("iterations").getAsInt());
            Cell c = experiment.cell(r.get(col.get("cell")));
            if (r.get(col.get("status")).equals("skipped")) {
                assertEquals("lpips", r.get(col.get("metric")));
                assertEquals("", r.get(col.get("mean")));
                continue;
            }
            JsonObject expected = result(metrics(c), r.get(col.get("protocol")), r.get(col.get("metric")));
            assertEquals(expected.get("mean").getAsDouble(), Double.parseDouble(r.get(col.get("mean"))), 0.0,
                    "full precision");
            assertEquals(c.method().name().equals("no-normal") ? "{\"iterations\":40,\"densifyFrom\":10,"
                    + "\"densifyUntil\":30,\"normalWeight\":0}" : "{\"iterations\":40,\"densifyFrom\":10,"
                    + "\"densifyUntil\":30}", r.get(col.get("method_options")));
        }
        List<List<String>> summary = Csv.parse(Files.readString(experiment.out().resolve("summary.csv")));
        assertEquals(report.results().summary().size(), summary.size() - 1);
    }

    @Test
    void resultsJsonHoldsCellsRecordsAndSummary() {
        JsonObject j = Json.readTree(experiment.out().resolve("results.json")).getAsJsonObject();
        assertEquals("grid", j.get("experiment").getAsString());
        assertEquals(12, j.get("cells").getAsInt());
        assertEquals(12, j.get("done").getAsInt());
        assertEquals(96, j.getAsJsonArray("records").size());
        assertEquals(report.results().summary().size(), j.getAsJsonArray("summary").size());
        JsonObject first = j.getAsJsonArray("cellResults").get(0).getAsJsonObject();
        assertEquals("abc123def456", first.getAsJsonObject("environment").get("revision").getAsString());
    }

    @Test
    void chartsAreWrittenForTheChosenMetricsAndDecode() throws IOException {
        List<Path> pngs = report.files().stream().filter(p -> p.toString().endsWith(".png")).toList();
        // per scene: 2 groups x 2 protocols x (psnr, ssim); curves: 3 scenes x (psnr, loss)
        assertEquals(8 + 6, pngs.size(), pngs.toString());
        assertTrue(pngs.contains(experiment.out().resolve("charts/per-scene_synthetic_masked-mean_psnr.png")));
        assertTrue(pngs.contains(experiment.out().resolve("charts/curves_a_loss.png")));
        for (Path p : pngs) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, p + " decodes");
            assertEquals(900, img.getWidth());
            assertEquals(520, img.getHeight());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 7) {
                for (int x = 0; x < img.getWidth(); x += 7) {
                    colours.add(img.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 5, p + " is not blank");
        }
    }

    @Test
    void anExactlyReproducedFrameShowsAsInfinityNotAsAnError(@TempDir Path own) throws IOException {
        Experiment experiment = grid(own, "false");
        Fixtures.batch(new FakePipeline()).run(experiment, BatchListener.NONE);
        Cell c = experiment.cell("0");
        JsonObject m = metrics(c);
        result(m, "masked-mean", "psnr").addProperty("mean", Double.POSITIVE_INFINITY);
        Json.write(c.folder().resolve("metrics.json"), m);
        BatchReport merged = Fixtures.batch(new FakePipeline()).merge(experiment);
        SummaryRow row = merged.results().summary().stream().filter(r -> r.dataset().equals("synthetic")
                && r.protocol().equals("masked-mean") && r.method().equals("full") && r.metric().equals("psnr"))
                .findFirst().orElseThrow();
        assertEquals(Double.POSITIVE_INFINITY, row.mean());
        assertTrue(Double.isNaN(row.std()));
        String md = Files.readString(experiment.out().resolve("results.md"));
        assertTrue(md.contains("| full | **∞** |"), md);
        assertTrue(Files.readString(experiment.out().resolve("results.csv")).contains(",inf,"));
        assertFalse(md.contains("NaN"), md);
    }

    /**
     * One 3D snapshot per scene and method from the first seed's cell, linked relative to the report; a cell of the
     * first seed without one is counted under the reason its run.json gives; other seeds' pictures are not used.
     */
    @Test
    void reportEmbedsTheFirstSeedsSnapshotPerSceneAndMethod(@TempDir Path own) throws IOException {
        Experiment experiment = grid(own, "false");
        Fixtures.batch(new FakePipeline()).run(experiment, BatchListener.NONE);
        String before = Files.readString(experiment.out().resolve("results.md"));
        assertFalse(before.contains("3D views"), "no pictures, no reasons: no section");

        BufferedImage picture = new BufferedImage(8, 6, BufferedImage.TYPE_3BYTE_BGR);
        Map<String, Cell> byLabel = new HashMap<>();
        experiment.cells().forEach(c -> byLabel.put(c.label(), c));
        for (String label : List.of("a/full/seed-1", "b/no-normal/seed-1", "a/no-normal/seed-2")) {
            Path png = byLabel.get(label).folder().resolve("renders/3d/t0.50-color.png");
            Files.createDirectories(png.getParent());
            ImageIO.write(picture, "png", png.toFile());
        }
        for (String label : List.of("real/full/seed-1", "real/no-normal/seed-1")) {
            Path runJson = byLabel.get(label).folder().resolve("run.json");
            JsonObject run = Json.readTree(runJson).getAsJsonObject();
            JsonObject detail = new JsonObject();
            JsonObject snapshots = new JsonObject();
            snapshots.addProperty("skipped", "no OpenGL for offscreen 3D pictures: no EGL display (test)");
            detail.add("snapshots3d", snapshots);
            run.getAsJsonObject("stages").getAsJsonObject("render").add("detail", detail);
            Json.write(runJson, run);
        }
        BatchReport merged = Fixtures.batch(new FakePipeline()).merge(experiment);
        assertEquals(12, merged.results().cells().stream().filter(c -> c.done()).count(), "run.json edits keep cells");
        String md = Files.readString(experiment.out().resolve("results.md"));
        assertTrue(md.contains("## 3D views"), md);
        assertTrue(md.contains("| Scene | full | no-normal |"), md);
        assertTrue(md.contains("| a | ![a / full](cells/a/full/seed-1/renders/3d/t0.50-color.png) | – |"), md);
        assertTrue(md.contains("| b | – | ![b / no-normal](cells/b/no-normal/seed-1/renders/3d/t0.50-color.png) |"),
                md);
        assertTrue(md.contains("| real | – | – |"), md);
        assertFalse(md.contains("seed-2/renders"), "only the first seed's pictures: " + md);
        assertTrue(md.contains("Cells without a snapshot: no OpenGL for offscreen 3D pictures: no EGL display (test) "
                + "(2 cells)."), md);
        JsonObject json = JsonParser.parseString(Files.readString(experiment.out().resolve("results.json")))
                .getAsJsonObject();
        assertEquals("cells/b/no-normal/seed-1/renders/3d/t0.50-color.png",
                json.getAsJsonObject("snapshots3d").getAsJsonObject("b").get("no-normal").getAsString());
        for (String link : List.of("cells/a/full/seed-1/renders/3d/t0.50-color.png",
                "cells/b/no-normal/seed-1/renders/3d/t0.50-color.png")) {
            assertTrue(Files.isRegularFile(experiment.out().resolve(link)), link);
        }
    }
}
