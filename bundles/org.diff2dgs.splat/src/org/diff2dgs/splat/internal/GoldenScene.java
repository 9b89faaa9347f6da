package org.diff2dgs.splat.internal;

import java.nio.file.Path;

import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A golden 2DGS scene (format of tests/org.diff2dgs.splat.tests/data/2dgs-golden): inputs, camera and settings, the original rasterizer's outputs
 * and its gradients for a fixed upstream gradient. Arrays are flattened row-major, images channel-first.
 */
public record GoldenScene(Path file, SurfelBatch surfels, Camera camera, RenderSettings settings, float[] upstreamColor,
        float[] upstreamOthers, float[] color, float[] others, int[] radii, float[] gradPositions,
        float[] gradScales, float[] gradRotations, float[] gradOpacities, float[] gradColors) {

    /** Depth culling and distortion planes of the golden file (its conventions.constants). */
    public static final double NEAR = 0.2;
    public static final double FAR = 100;

    public static GoldenScene load(Path file) {
        JsonElement root = Json.readTree(file);
        if (!root.isJsonObject()) {
            throw new UserInputException(file, "a golden scene must be a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        JsonObject conv = object(file, o, "conventions");
        int w = (int) number(file, conv, "width");
        int h = (int) number(file, conv, "height");
        Intrinsics k = new Intrinsics(number(file, conv, "fx"), number(file, conv, "fy"), number(file, conv, "cx"),
                number(file, conv, "cy"), w, h);
        float[] bg = floats(file, conv, "background", 3);
        int n = (int) number(file, o, "n");
        JsonObject in = object(file, o, "inputs");
        SurfelBatch batch = new SurfelBatch(n, floats(file, in, "xyz", 3 * n), floats(file, in, "rotations", 4 * n),
                floats(file, in, "scales", 2 * n), floats(file, in, "opacities", n), floats(file, in, "colors", 3 * n));
        JsonObject out = object(file, o, "outputs");
        JsonObject grad = object(file, o, "gradients");
        int hw = w * h;
        float[] radiiF = floats(file, out, "radii", n);
        int[] radii = new int[n];
        for (int i = 0; i < n; i++) {
            radii[i] = Math.round(radiiF[i]);
        }
        return new GoldenScene(file, batch, new Camera(k, Pose.identity(), NEAR, FAR),
                new RenderSettings(bg, NEAR, FAR), floats(file, o, "upstream_color", 3 * hw),
                floats(file, o, "upstream_others", 7 * hw), floats(file, out, "color", 3 * hw),
                floats(file, out, "others", 7 * hw), radii, floats(file, grad, "xyz", 3 * n),
                floats(file, grad, "scales", 2 * n), floats(file, grad, "rotations", 4 * n),
                floats(file, grad, "opacities", n), floats(file, grad, "colors", 3 * n));
    }

    private static JsonObject object(Path file, JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonObject()) {
            throw new UserInputException(file, "missing object '" + key + "'");
        }
        return e.getAsJsonObject();
    }

    private static double number(Path file, JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new UserInputException(file, "missing number '" + key + "'");
        }
        return e.getAsDouble();
    }

    private static float[] floats(Path file, JsonObject o, String key, int expected) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new UserInputException(file, "missing array '" + key + "'");
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() != expected) {
            throw new UserInputException(file, "array '" + key + "' has " + a.size() + " values, expected " + expected);
        }
        float[] f = new float[expected];
        for (int i = 0; i < expected; i++) {
            f[i] = a.get(i).getAsFloat();
        }
        return f;
    }
}
