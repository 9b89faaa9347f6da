package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The parts of a synthetic scene's scene.json that say how to read the clip: the factor from stored depth to scene
 * units and the declared conventions. A declaration beats detection (a synthetic camera moves, which detection would
 * take for StereoMIS) but not the user's explicit choice. Absent entries are NaN / null.
 */
public record SceneFile(double readDepthScale, String cameraConvention, String maskConvention) {

    static final String NAME = "scene.json";
    static final String SOURCE = "declared in scene.json";

    /** Reads the file on its own (tests, fuzzing): any problem is a {@link DatasetException} naming the file. */
    public static SceneFile read(Path file) {
        return read(file, Problems.throwing());
    }

    static SceneFile read(Path file, Problems problems) {
        JsonElement tree;
        try {
            tree = Json.readTree(file);
        } catch (UserInputException e) {
            problems.add(file, e.getMessage().substring(e.getMessage().startsWith(file + ": ")
                    ? file.toString().length() + 2 : 0));
            return null;
        }
        if (!tree.isJsonObject()) {
            problems.add(file, "expected a JSON object");
            return null;
        }
        JsonObject o = tree.getAsJsonObject();
        double scale = Double.NaN;
        JsonElement s = o.get("read_depth_scale");
        if (s != null) {
            if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isNumber() || !(s.getAsDouble() > 0)
                    || Double.isInfinite(s.getAsDouble())) {
                problems.add(file, "'read_depth_scale' is " + s + ", expected a positive number");
                return null;
            }
            scale = s.getAsDouble();
        }
        String camera = Conventions.normalizeCamera(string(o, "camera_convention"), file, problems);
        String mask = Conventions.normalizeMask(string(o, "mask_convention"), file, problems);
        return new SceneFile(scale, camera, mask);
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }
}
