package org.diff2dgs.pipeline.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.metrics.api.Evaluation;
import org.diff2dgs.metrics.eval.Evaluator;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.SceneState;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Renders the test frames and evaluates them under every requested protocol (evaluation.md), plus speed: render FPS
 * over all frames after warm-up, and training time. Each number is stored with its protocol and the environment.
 */
final class EvaluateStage {

    /** Protocols run when the user names none: the published one, the honest one, and the occluded region. */
    static final List<String> DEFAULT_PROTOCOLS = List.of("deform3dgs", "masked-mean", "occluded");

    /** What metrics.json holds. */
    record Report(List<Evaluation> evaluations, Map<String, Object> speed, Map<String, Object> environment,
            String dataset, String datasetFingerprint) {
    }

    private final Reconstructor reconstructor;
    private final ComputeBackend backend;
    private final ServiceCatalog catalog;

    EvaluateStage(Reconstructor reconstructor, ComputeBackend backend, ServiceCatalog catalog) {
        this.reconstructor = reconstructor;
        this.backend = backend;
        this.catalog = catalog;
    }

    String run(Sequence seq, RunFolder folder, List<String> protocols, List<String> metricNames, RunState state,
            Map<String, Object> detail, Progress progress) {
        List<String> chosen = protocols.isEmpty() ? DEFAULT_PROTOCOLS : protocols;
        List<EvaluationProtocol> chosenProtocols = chosen.stream().map(catalog::requireEvaluationProtocol).toList();
        List<Metric> metrics = metrics(metricNames);
        SceneState scene = reconstructor.load(folder.checkpoints());
        int[] test = seq.split().test();
        List<EvaluationFrame> frames = new ArrayList<>();
        progress.begin("evaluate", test.length + seq.size());
        Map<String, Object> speed = new LinkedHashMap<>();
        try (Rasterizer r = backend.createRasterizer()) {
            for (int i : test) {
                progress.checkCancelled();
                Frame f = seq.frame(i);
                RenderedFrame out = RenderedFrame.of(reconstructor.render(scene, f.camera(), f.time(), r));
                // the diff2dgs-code protocol compares against the inpainted test frame: the run's own stage 1, or
                // the frame itself when the dataset is an inpainted clip
                var inpainted = inpaintedImage(folder, f);
                frames.add(new EvaluationFrame(out.color(), out.depth(), f, inpainted != null ? inpainted
                        : seq.info().inpainted() ? f.image() : null));
                progress.worked(1, f.name());
            }
            // render speed over the whole clip at full resolution, after one warm-up frame
            reconstructor.render(scene, seq.frame(0).camera(), seq.frame(0).time(), r);
            long t0 = System.nanoTime();
            for (Frame f : seq.frames()) {
                reconstructor.render(scene, f.camera(), f.time(), r);
                progress.worked(1, "speed");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            speed.put("renderFps", seq.size() / seconds);
            speed.put("renderFrames", seq.size());
            speed.put("width", seq.width());
            speed.put("height", seq.height());
        } finally {
            progress.done();
        }
        Object trainSeconds = state.stages.get(org.diff2dgs.pipeline.api.Stages.TRAIN).detail.get("trainingSeconds");
        speed.put("trainingSeconds", trainSeconds);
        // training PSNR next to the test numbers: the gap between them is what held-out times lose
        speed.put("trainPsnr", state.stages.get(org.diff2dgs.pipeline.api.Stages.TRAIN).detail.get("trainPsnr"));
        speed.put("surfels", scene.surfels().count());
        List<Evaluation> evaluations = new ArrayList<>(new Evaluator(metrics).evaluateAll(chosenProtocols, frames));
        Evaluation stage1 = Stage1Evaluation.of(state, seq.size());
        if (stage1 != null) {
            evaluations.add(stage1);
        }
        Json.write(folder.metrics(), new Report(evaluations, speed, state.environment, state.datasetPath,
                state.datasetFingerprint));
        detail.put("protocols", chosen);
        detail.put("renderFps", speed.get("renderFps"));
        return tableOf(folder.metrics());
    }

    /** The inpainted version of a test frame (the "diff2dgs-code" protocol compares against it), null without one. */
    private static org.diff2dgs.core.model.FloatImage inpaintedImage(RunFolder folder, Frame f) {
        Path file = folder.inpainted().resolve(org.diff2dgs.core.io.InpaintedClipWriter.IMAGES)
                .resolve(f.name() + ".png");
        return java.nio.file.Files.isRegularFile(file) ? org.diff2dgs.core.io.Images.readColor(file) : null;
    }

    private List<Metric> metrics(List<String> names) {
        if (names.isEmpty()) {
            return catalog.metrics();
        }
        List<Metric> m = new ArrayList<>();
        for (String n : names) {
            m.add(catalog.metric(n).orElseThrow(() -> new UserInputException("unknown metric '" + n + "' (installed: "
                    + catalog.metrics().stream().map(Metric::name).toList() + ")")));
        }
        return m;
    }

    /** The metrics file as a table: one row per protocol, one column per metric (mean ± std). */
    static String tableOf(Path metricsJson) {
        JsonObject root = Json.readTree(metricsJson).getAsJsonObject();
        JsonArray evals = root.getAsJsonArray("evaluations");
        List<String> columns = new ArrayList<>();
        for (JsonElement e : evals) {
            for (JsonElement r : e.getAsJsonObject().getAsJsonArray("results")) {
                String m = r.getAsJsonObject().get("metric").getAsString();
                if (!columns.contains(m)) {
                    columns.add(m);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s", "protocol"));
        for (String c : columns) {
            sb.append(String.format(Locale.ROOT, " %16s", c));
        }
        sb.append('\n');
        for (JsonElement e : evals) {
            JsonObject ev = e.getAsJsonObject();
            sb.append(String.format(Locale.ROOT, "%-14s", ev.get("protocol").getAsString()));
            Map<String, JsonObject> byMetric = new LinkedHashMap<>();
            for (JsonElement r : ev.getAsJsonArray("results")) {
                byMetric.put(r.getAsJsonObject().get("metric").getAsString(), r.getAsJsonObject());
            }
            for (String c : columns) {
                JsonObject r = byMetric.get(c);
                sb.append(String.format(Locale.ROOT, " %16s", r == null ? "-" : format(r)));
            }
            sb.append('\n');
        }
        skippedLines(evals, sb);
        JsonObject speed = root.getAsJsonObject("speed");
        if (speed != null) {
            sb.append(String.format(Locale.ROOT, "render %.1f FPS at %sx%s, %s surfels; training %s s%n",
                    speed.get("renderFps").getAsDouble(), speed.get("width"), speed.get("height"),
                    speed.get("surfels"), speed.has("trainingSeconds") && !speed.get("trainingSeconds").isJsonNull()
                            ? String.format(Locale.ROOT, "%.1f", speed.get("trainingSeconds").getAsDouble())
                            : "?"));
        }
        return sb.toString();
    }

    /**
     * One line per metric and reason that a protocol skipped (unavailable, or data the protocol needs is missing),
     * listing the protocols it applies to, so a missing column is never mistaken for a metric that does not apply.
     */
    private static void skippedLines(JsonArray evals, StringBuilder sb) {
        Map<List<String>, List<String>> protocolsBySkip = new LinkedHashMap<>();
        for (JsonElement e : evals) {
            JsonObject ev = e.getAsJsonObject();
            JsonArray skipped = ev.getAsJsonArray("skipped");
            if (skipped == null) {
                continue;
            }
            for (JsonElement se : skipped) {
                JsonObject sk = se.getAsJsonObject();
                List<String> key = List.of(sk.get("metric").getAsString(), sk.get("reason").getAsString());
                protocolsBySkip.computeIfAbsent(key, k -> new ArrayList<>()).add(ev.get("protocol").getAsString());
            }
        }
        protocolsBySkip.forEach((key, protocols) -> sb.append(String.format(Locale.ROOT, "skipped %s (%s): %s%n",
                key.get(0), String.join(", ", protocols), key.get(1))));
    }

    private static String format(JsonObject r) {
        double mean = r.get("mean").getAsDouble();
        double std = r.get("std").isJsonNull() ? Double.NaN : r.get("std").getAsDouble();
        return Double.isNaN(std) ? String.format(Locale.ROOT, "%.4f", mean)
                : String.format(Locale.ROOT, "%.4f±%.4f", mean, std);
    }

}
