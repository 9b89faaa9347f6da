package org.diff2dgs.batch.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import org.diff2dgs.batch.internal.CellRunner;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.AtomicFiles;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Writes what the pipeline writes into a run folder (run.json, metrics.json, train/log.csv) without training, with
 * metric values drawn from a seed derived from the cell (scene/method/seed folder names): the batch logic is tested
 * in milliseconds, deterministically. Records every request it got.
 */
final class FakePipeline implements CellRunner {

    static final List<String> DEFAULT_PROTOCOLS = List.of("deform3dgs", "masked-mean", "occluded");
    static final List<String> DEFAULT_METRICS = List.of("depth-rmse", "lpips", "psnr", "ssim");

    final List<RunRequest> calls = Collections.synchronizedList(new ArrayList<>());
    Predicate<RunRequest> fail = r -> false;

    @Override
    public RunReport run(RunRequest req, Progress progress) {
        calls.add(req);
        if (req.dataset() != null && !Files.isDirectory(req.dataset())) {
            throw new UserInputException(req.dataset(), "dataset folder not found");
        }
        if (fail.test(req)) {
            throw new UserInputException("training option depthWeight rejected by the fake pipeline for "
                    + req.runFolder().getFileName());
        }
        writeCell(req.runFolder(), req.training(), req.protocols().isEmpty() ? DEFAULT_PROTOCOLS : req.protocols(),
                req.metrics().isEmpty() ? DEFAULT_METRICS : req.metrics());
        return new RunReport(req.runFolder(), Stages.ORDER, List.of(), "", Map.of());
    }

    /** A finished cell folder as the pipeline leaves it. */
    static void writeCell(Path folder, Object trainingOptions, List<String> protocols, List<String> metrics) {
        Path f = folder;
        String key = f.getParent().getParent().getFileName() + "/" + f.getParent().getFileName() + "/"
                + f.getFileName();
        Random rnd = new Random(key.hashCode());
        JsonObject env = new JsonObject();
        env.addProperty("revision", "abc123def456");
        env.addProperty("java", "21.0.1");
        env.addProperty("os", "Linux test");
        env.addProperty("cores", 2);
        env.addProperty("backend", "cpu");
        env.addProperty("device", "CPU, 2 cores");
        JsonObject bundles = new JsonObject();
        bundles.addProperty("org.diff2dgs.core", "0.1.0.test");
        bundles.addProperty("org.diff2dgs.train", "0.1.0.test");
        env.add("bundles", bundles);

        JsonObject run = new JsonObject();
        run.addProperty("version", 1);
        run.addProperty("datasetFingerprint", "fp-" + Integer.toHexString(key.split("/")[0].hashCode()));
        // the pipeline stores the options after a round trip through a Map: integers become doubles
        @SuppressWarnings("unchecked")
        Map<String, Object> opts = Json.gson().fromJson(Json.gson().toJsonTree(trainingOptions), Map.class);
        run.add("trainingOptions", Json.gson().toJsonTree(opts));
        run.addProperty("backend", "cpu");
        run.add("environment", env);
        JsonObject stages = new JsonObject();
        for (String s : Stages.ORDER) {
            JsonObject st = new JsonObject();
            st.addProperty("status", "done");
            stages.add(s, st);
        }
        run.add("stages", stages);

        JsonObject m = new JsonObject();
        JsonArray evaluations = new JsonArray();
        for (String p : protocols) {
            JsonObject ev = new JsonObject();
            ev.addProperty("protocol", p);
            ev.addProperty("protocolDescription", "description of " + p);
            JsonArray frames = new JsonArray();
            frames.add("frame-000001");
            frames.add("frame-000005");
            frames.add("frame-000009");
            ev.add("frames", frames);
            JsonArray results = new JsonArray();
            JsonArray skipped = new JsonArray();
            for (String metric : metrics) {
                if (metric.equals("lpips")) {
                    JsonObject s = new JsonObject();
                    s.addProperty("protocol", p);
                    s.addProperty("metric", metric);
                    s.addProperty("reason", "LPIPS needs an ONNX model file");
                    skipped.add(s);
                    continue;
                }
                double base = switch (metric) {
                    case "psnr" -> 25 + 10 * rnd.nextDouble();
                    case "ssim" -> 0.8 + 0.15 * rnd.nextDouble();
                    default -> 1 + 4 * rnd.nextDouble();
                };
                double[] perFrame = new double[3];
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    perFrame[i] = base * (1 + 0.02 * rnd.nextGaussian());
                    sum += perFrame[i];
                }
                double mean = sum / 3;
                double ss = 0;
                JsonArray pf = new JsonArray();
                for (double v : perFrame) {
                    ss += (v - mean) * (v - mean);
                    pf.add(v);
                }
                JsonObject r = new JsonObject();
                r.addProperty("protocol", p);
                r.addProperty("metric", metric);
                r.addProperty("higherIsBetter", !metric.startsWith("depth"));
                r.addProperty("mean", mean);
                r.addProperty("std", Math.sqrt(ss / 3));
                r.addProperty("count", 3);
                r.add("perFrame", pf);
                results.add(r);
            }
            ev.add("results", results);
            ev.add("skipped", skipped);
            evaluations.add(ev);
        }
        m.add("evaluations", evaluations);
        JsonObject speed = new JsonObject();
        speed.addProperty("renderFps", 50 + 100 * rnd.nextDouble());
        speed.addProperty("renderFrames", 12);
        speed.addProperty("width", 48);
        speed.addProperty("height", 40);
        speed.addProperty("trainingSeconds", 5 + 20 * rnd.nextDouble());
        speed.addProperty("surfels", 500 + rnd.nextInt(1000));
        speed.addProperty("trainPsnr", 30 + 10 * rnd.nextDouble());
        m.add("speed", speed);
        m.add("environment", env);
        m.addProperty("dataset", "somewhere");
        m.addProperty("datasetFingerprint", run.get("datasetFingerprint").getAsString());

        StringBuilder log = new StringBuilder("iteration,loss,l1,ssim,depth_loss,depth_weight,psnr,surfels,seconds\n");
        double loss = 0.3 + 0.1 * rnd.nextDouble();
        for (int it = 10; it <= 40; it += 10) {
            loss *= 0.7;
            log.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.4f,%.3f,%d,%.2f%n", it, loss, loss * 0.8,
                    0.5 + it / 100.0, 1e-6, 10.0, 15 + it / 3.0 + rnd.nextDouble(), 600, it * 0.1));
        }
        try {
            Files.createDirectories(folder.resolve("train"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(folder.resolve("train/log.csv"), log.toString());
        Json.write(folder.resolve("metrics.json"), m);
        Json.write(folder.resolve("run.json"), run);
    }

    /** Leaves the folder as a run killed during training: run.json with train running, no metrics. */
    static void interrupt(Path folder) {
        JsonObject run = Json.readTree(folder.resolve("run.json")).getAsJsonObject();
        JsonObject stages = run.getAsJsonObject("stages");
        stages.getAsJsonObject("train").addProperty("status", "running");
        stages.getAsJsonObject("render").addProperty("status", "pending");
        stages.getAsJsonObject("evaluate").addProperty("status", "pending");
        Json.write(folder.resolve("run.json"), run);
        try {
            Files.delete(folder.resolve("metrics.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonObject cell = Json.readTree(folder.resolve("cell.json")).getAsJsonObject();
        cell.addProperty("status", "running");
        Json.write(folder.resolve("cell.json"), cell);
    }

    /** Which cells (scene/method/seed-n) got a request, in order. */
    List<String> cellsCalled() {
        List<String> out = new ArrayList<>();
        synchronized (calls) {
            for (RunRequest r : calls) {
                Path f = r.runFolder();
                out.add(f.getParent().getParent().getFileName() + "/" + f.getParent().getFileName() + "/"
                        + f.getFileName());
            }
        }
        return out;
    }
}
