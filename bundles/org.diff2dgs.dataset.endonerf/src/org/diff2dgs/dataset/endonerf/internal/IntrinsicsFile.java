package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.Intrinsics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Optional intrinsics.json beside poses_bounds.npy: {"fx": .., "fy": .., "cx": .., "cy": ..} in pixels of the stored
 * frames. It exists because poses_bounds.npy can only say "focal, principal point at the centre", while StereoMIS
 * clips keep a principal point off the centre that some loaders silently drop.
 */
public record IntrinsicsFile(double fx, double fy, double cx, double cy) {

    /** Reads the file on its own (tests, fuzzing): any problem is a {@link DatasetException} naming the file. */
    public static IntrinsicsFile read(Path file) {
        return read(file, Problems.throwing());
    }

    /** Reads the file; returns null after reporting when it is unusable. */
    static IntrinsicsFile read(Path file, Problems problems) {
        JsonElement tree;
        try {
            tree = Json.readTree(file);
        } catch (UserInputException e) {
            problems.add(file, "cannot read intrinsics: " + e.getMessage().substring(
                    e.getMessage().startsWith(file.toString()) ? file.toString().length() + 2 : 0));
            return null;
        }
        if (!tree.isJsonObject()) {
            problems.add(file, "expected a JSON object {\"fx\", \"fy\", \"cx\", \"cy\"}");
            return null;
        }
        JsonObject o = tree.getAsJsonObject();
        double[] v = new double[4];
        String[] keys = {"fx", "fy", "cx", "cy"};
        for (int k = 0; k < 4; k++) {
            JsonElement e = o.get(keys[k]);
            if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                problems.add(file, "'" + keys[k] + "' missing or not a number; expected {\"fx\", \"fy\", \"cx\", "
                        + "\"cy\"} in pixels");
                return null;
            }
            v[k] = e.getAsDouble();
            if (!Double.isFinite(v[k])) {
                problems.add(file, "'" + keys[k] + "' is " + v[k] + ", expected a finite number");
                return null;
            }
        }
        if (!(v[0] > 0) || !(v[1] > 0)) {
            problems.add(file, "focal lengths fx=" + v[0] + " fy=" + v[1] + ", expected > 0 (pixels)");
            return null;
        }
        return new IntrinsicsFile(v[0], v[1], v[2], v[3]);
    }

    Intrinsics at(int width, int height) {
        return new Intrinsics(fx, fy, cx, cy, width, height);
    }

    /** True when the principal point is more than half a pixel off the image centre. */
    boolean offCentre(int width, int height) {
        return Math.abs(cx - width / 2.0) > 0.5 || Math.abs(cy - height / 2.0) > 0.5;
    }
}
