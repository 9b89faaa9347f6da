package org.diff2dgs.batch.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellResult;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ResultRecord;
import org.diff2dgs.batch.api.Results;
import org.diff2dgs.core.io.Json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Builds the results of an experiment from its cell folders alone: the pipeline's metrics.json and run.json of every
 * finished cell, cell.json of a failed one. Because nothing comes from the process that ran the cells, a merge of
 * cells run by workers or SLURM tasks gives the same results as one in-process batch.
 */
final class ResultCollector {

    private ResultCollector() {
    }

    static Results collect(Experiment e) {
        List<CellResult> cells = new ArrayList<>();
        List<ResultRecord> records = new ArrayList<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (Cell c : e.cells()) {
            CellInspector inspector = new CellInspector(e, c);
            CellStatus status = inspector.status();
            CellFolder folder = new CellFolder(c.folder());
            String rel = e.out().relativize(c.folder()).toString().replace('\\', '/');
            Map<String, Object> methodOptions = new LinkedHashMap<>(e.options());
            methodOptions.putAll(c.method().options());
            Map<String, Object> training = JsonFiles.toMap(Json.gson().toJsonTree(c.training()));
            Map<String, Object> sceneConfig = JsonFiles.toMap(CellConfig.scene(c.scene()));
            if (status != CellStatus.DONE) {
                String message = message(status, inspector.record());
                String s = status.name().toLowerCase(Locale.ROOT);
                cells.add(new CellResult(c.id(), c.label(), c.scene().name(), c.scene().dataset(), c.method().name(),
                        c.seed(), rel, s, message, Map.of(), Map.of(), ""));
                records.add(new ResultRecord(e.name(), c.id(), c.scene().name(), c.scene().dataset(),
                        c.method().name(), c.seed(), "", "", false, Double.NaN, Double.NaN, 0, s, message, Double.NaN,
                        Double.NaN, -1, "", "", "", "", "", Map.of(), e.preset(), methodOptions, training, sceneConfig,
                        "", rel));
                continue;
            }
            JsonObject metrics = JsonFiles.readObject(folder.metrics());
            JsonObject run = JsonFiles.readObject(folder.runState());
            JsonObject env = JsonFiles.object(metrics, "environment");
            if (env == null || env.isEmpty()) {
                env = JsonFiles.object(run, "environment");
            }
            JsonObject speed = JsonFiles.object(metrics, "speed");
            String fingerprint = JsonFiles.string(metrics, "datasetFingerprint",
                    JsonFiles.string(run, "datasetFingerprint", ""));
            Map<String, String> libraries = new TreeMap<>();
            JsonObject bundles = JsonFiles.object(env, "bundles");
            if (bundles != null) {
                bundles.entrySet().forEach(b -> libraries.put(b.getKey(), b.getValue().getAsString()));
            }
            double trainingSeconds = JsonFiles.number(speed, "trainingSeconds");
            double fps = JsonFiles.number(speed, "renderFps");
            double surfelsValue = JsonFiles.number(speed, "surfels");
            long surfels = Double.isNaN(surfelsValue) ? -1 : (long) surfelsValue;
            String revision = JsonFiles.string(env, "revision", "unknown");
            String device = JsonFiles.string(env, "device", "");
            String backend = JsonFiles.string(env, "backend", JsonFiles.string(run, "backend", ""));
            String java = JsonFiles.string(env, "java", "");
            String os = JsonFiles.string(env, "os", "");
            cells.add(new CellResult(c.id(), c.label(), c.scene().name(), c.scene().dataset(), c.method().name(),
                    c.seed(), rel, "done", "", JsonFiles.toMap(env), JsonFiles.toMap(speed), fingerprint));
            for (JsonElement ee : metrics.getAsJsonArray("evaluations")) {
                JsonObject ev = ee.getAsJsonObject();
                String protocol = JsonFiles.string(ev, "protocol", "?");
                descriptions.putIfAbsent(protocol, JsonFiles.string(ev, "protocolDescription", ""));
                for (JsonElement re : array(ev, "results")) {
                    JsonObject r = re.getAsJsonObject();
                    int count = (int) JsonFiles.number(r, "count");
                    records.add(new ResultRecord(e.name(), c.id(), c.scene().name(), c.scene().dataset(),
                            c.method().name(), c.seed(), protocol, JsonFiles.string(r, "metric", "?"),
                            r.has("higherIsBetter") && r.get("higherIsBetter").getAsBoolean(),
                            JsonFiles.number(r, "mean"), JsonFiles.number(r, "std"), count, "ok", "",
                            trainingSeconds, fps, surfels, revision, device, backend, java, os, libraries,
                            e.preset(), methodOptions, training, sceneConfig, fingerprint, rel));
                }
                for (JsonElement se : array(ev, "skipped")) {
                    JsonObject s = se.getAsJsonObject();
                    records.add(new ResultRecord(e.name(), c.id(), c.scene().name(), c.scene().dataset(),
                            c.method().name(), c.seed(), protocol, JsonFiles.string(s, "metric", "?"), false,
                            Double.NaN, Double.NaN, 0, "skipped", JsonFiles.string(s, "reason", ""), trainingSeconds,
                            fps, surfels, revision, device, backend, java, os, libraries, e.preset(), methodOptions,
                            training, sceneConfig, fingerprint, rel));
                }
            }
        }
        return new Results(e.name(), cells, records, Summaries.of(e, records, cells), descriptions);
    }

    private static Iterable<JsonElement> array(JsonObject o, String key) {
        JsonElement a = o.get(key);
        return a != null && a.isJsonArray() ? a.getAsJsonArray() : List.of();
    }

    private static String message(CellStatus status, CellRecord record) {
        return switch (status) {
            case FAILED -> record != null && record.message != null ? record.message : "failed";
            case STALE -> "the experiment's configuration for this cell changed since it ran; run the batch again";
            case PARTIAL -> "started but not finished (killed or cancelled); run the batch again to resume it";
            case PENDING -> "not run yet";
            case DONE -> "";
        };
    }
}
