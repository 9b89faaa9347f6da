package org.diff2dgs.ui.internal.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A run's metrics.json (written by the evaluate stage) as the Evaluation view needs it: per protocol and metric the
 * mean, std and per-frame values, plus the speed block.
 */
public record RunMetrics(Path run, List<String> frames, Map<String, Map<String, Entry>> byProtocol,
        Map<String, String> skipped, Map<String, Double> speed) {

    /** One metric under one protocol. */
    public record Entry(double mean, double std, int count, boolean higherIsBetter, double[] perFrame,
            List<String> frames) {
    }

    public static RunMetrics read(Path run) {
        Path file = Clips.metrics(run);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(run, "no metrics.json in this run folder: evaluate it first");
        }
        JsonElement rootElement = Json.readTree(file);
        if (!rootElement.isJsonObject() || !rootElement.getAsJsonObject().has("evaluations")) {
            throw new UserInputException(file, "not a metrics file (no \"evaluations\")");
        }
        JsonObject root = rootElement.getAsJsonObject();
        Map<String, Map<String, Entry>> by = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<String> allFrames = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("evaluations")) {
            JsonObject ev = e.getAsJsonObject();
            String protocol = ev.get("protocol").getAsString();
            List<String> frames = new ArrayList<>();
            if (ev.has("frames")) {
                ev.getAsJsonArray("frames").forEach(f -> frames.add(f.getAsString()));
            }
            if (allFrames.isEmpty()) {
                allFrames.addAll(frames);
            }
            Map<String, Entry> metrics = new LinkedHashMap<>();
            for (JsonElement r : ev.getAsJsonArray("results")) {
                JsonObject o = r.getAsJsonObject();
                double[] per = new double[o.has("perFrame") ? o.getAsJsonArray("perFrame").size() : 0];
                for (int i = 0; i < per.length; i++) {
                    per[i] = num(o.getAsJsonArray("perFrame").get(i));
                }
                metrics.put(o.get("metric").getAsString(), new Entry(num(o.get("mean")), num(o.get("std")),
                        o.has("count") ? o.get("count").getAsInt() : per.length,
                        o.has("higherIsBetter") && o.get("higherIsBetter").getAsBoolean(), per, frames));
            }
            if (ev.has("skipped")) {
                for (JsonElement s : ev.getAsJsonArray("skipped")) {
                    JsonObject o = s.getAsJsonObject();
                    skipped.put(protocol + "/" + o.get("metric").getAsString(), o.get("reason").getAsString());
                }
            }
            by.put(protocol, metrics);
        }
        Map<String, Double> speed = new LinkedHashMap<>();
        if (root.has("speed") && root.get("speed").isJsonObject()) {
            root.getAsJsonObject("speed").entrySet().forEach(en -> speed.put(en.getKey(), num(en.getValue())));
        }
        return new RunMetrics(run, allFrames, by, skipped, speed);
    }

    private static double num(JsonElement e) {
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
            return Double.NaN;
        }
        try {
            return e.getAsDouble();
        } catch (NumberFormatException | UnsupportedOperationException ex) {
            String s = e.getAsString();
            return switch (s) {
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
            };
        }
    }
}
