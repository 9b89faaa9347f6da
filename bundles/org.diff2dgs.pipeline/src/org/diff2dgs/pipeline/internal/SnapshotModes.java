package org.diff2dgs.pipeline.internal;

import java.util.Locale;

import org.diff2dgs.core.api.UserInputException;

/**
 * The names of the 3D snapshot modes, checked without touching a viewer class (the viewer bundle is optional, so
 * input is validated here before the pipeline knows whether it is installed).
 */
final class SnapshotModes {

    static final String COLOR = "color";
    static final String DEPTH = "depth";
    static final String NORMAL = "normal";

    private SnapshotModes() {
    }

    /** The mode's canonical name; a user error naming the choices for anything else. */
    static String check(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "color", "colour" -> COLOR;
            case "depth" -> DEPTH;
            case "normal", "normals" -> NORMAL;
            default -> throw new UserInputException("unknown snapshot mode '" + name + "' (modes: color, depth, "
                    + "normal)");
        };
    }
}
