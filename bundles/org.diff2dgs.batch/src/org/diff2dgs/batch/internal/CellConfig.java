package org.diff2dgs.batch.internal;

import java.util.Map;
import java.util.TreeMap;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ExperimentScene;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.io.Json;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Everything that determines a cell's numbers, as JSON kept in cell.json. A cell is finished only while this is
 * unchanged; which part changed decides which stage runs again (scene: all, training: from train, evaluation: only
 * evaluate).
 */
final class CellConfig {

    static final String SCENE = "scene";
    static final String TRAINING = "training";
    static final String INPAINT = "inpaint";
    static final String BACKEND = "backend";
    static final String PROTOCOLS = "protocols";
    static final String METRICS = "metrics";

    private CellConfig() {
    }

    static JsonObject of(Experiment e, Cell c) {
        JsonObject o = new JsonObject();
        o.add(SCENE, scene(c.scene()));
        o.add(INPAINT, inpaint(c.method()));
        o.add(TRAINING, Json.gson().toJsonTree(c.training()));
        o.add(BACKEND, e.backend() == null ? JsonNull.INSTANCE : new JsonPrimitive(e.backend()));
        o.add(PROTOCOLS, strings(e.protocols()));
        o.add(METRICS, strings(e.metrics()));
        return o;
    }

    /** The stage-1 choice of a method: its name (null = the pipeline's default) and settings. */
    static JsonObject inpaint(org.diff2dgs.batch.api.Method m) {
        JsonObject o = new JsonObject();
        o.add("method", text(m.inpaint()));
        JsonObject settings = new JsonObject();
        m.inpaintSettings().forEach(settings::addProperty);
        o.add("settings", settings);
        return o;
    }

    static JsonObject scene(ExperimentScene s) {
        JsonObject o = new JsonObject();
        if (s.isSynthetic()) {
            o.add("synthetic", synthetic(s.synthetic(), s.generator()));
        } else {
            o.addProperty("path", s.path().toString());
            o.add("format", s.format() == null ? JsonNull.INSTANCE : new JsonPrimitive(s.format()));
        }
        o.add("read", read(s.read()));
        return o;
    }

    /** The synthetic scene as generated; also kept beside the shared scene folder. */
    static JsonObject synthetic(SceneSpec spec, String generator) {
        JsonObject o = new JsonObject();
        o.add("generator", generator == null ? JsonNull.INSTANCE : new JsonPrimitive(generator));
        o.addProperty("seed", spec.seed());
        o.addProperty("frames", spec.frames());
        o.addProperty("width", spec.width());
        o.addProperty("height", spec.height());
        JsonObject options = new JsonObject();
        for (Map.Entry<String, String> e : new TreeMap<>(spec.options()).entrySet()) {
            options.addProperty(e.getKey(), e.getValue());
        }
        o.add("options", options);
        return o;
    }

    private static JsonObject read(ReadOptions r) {
        JsonObject o = new JsonObject();
        o.add("maskConvention", text(r.maskConvention()));
        o.add("cameraConvention", text(r.cameraConvention()));
        o.add("split", text(r.split()));
        o.add("depthScale", Double.isNaN(r.depthScale()) ? JsonNull.INSTANCE : new JsonPrimitive(r.depthScale()));
        o.addProperty("maxFrames", r.maxFrames());
        return o;
    }

    private static com.google.gson.JsonElement text(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonPrimitive(s);
    }

    private static JsonArray strings(java.util.List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }
}
