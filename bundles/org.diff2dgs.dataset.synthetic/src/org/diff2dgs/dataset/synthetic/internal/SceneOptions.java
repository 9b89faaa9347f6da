package org.diff2dgs.dataset.synthetic.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;

/**
 * The user-facing settings of the tissue scene, parsed from {@code SceneSpec.options}. Defaults live here and only
 * here; {@link #toMap()} gives the resolved values for scene.json.
 *
 * @param movingCamera   "camera": "static" (default, like both public EndoNeRF clips) or "moving"
 * @param instruments    "instruments": 1 or 2 (default 2)
 * @param sensorNoise    "noise": sensor noise sigma at full signal, in [0,1] image units (default 0.01)
 * @param depthNoise     "depthNoise": stereo depth noise sigma in millimetres at 70 mm; grows with depth squared
 *                       (default 0.5)
 * @param holes          "holes": fraction of the frame dropped from the depth map as random blobs; any value above 0
 *                       also drops saturated highlights and stereo occlusion bands beside instruments (default 0.02)
 * @param specular       "specular": strength of wet specular highlights, 0 = matte (default 1)
 * @param motion         "motion": amplitude factor of the tissue motion (breathing and the instrument's push), 0 =
 *                       rigid tissue (default 1)
 * @param shadows        "shadows": whether instruments cast shadows onto the tissue (default true)
 * @param correspondence "correspondence": whether gt/surface/ is written, the tissue point that each pixel sees in
 *                       rest-state coordinates (default false: it doubles the size of the clip)
 */
record SceneOptions(boolean movingCamera, int instruments, double sensorNoise, double depthNoise, double holes,
        double specular, double motion, boolean shadows, boolean correspondence) {

    static final List<String> KEYS = List.of("camera", "instruments", "noise", "depthNoise", "holes", "specular",
            "motion", "shadows", "correspondence");

    static SceneOptions defaults() {
        return new SceneOptions(false, 2, 0.01, 0.5, 0.02, 1.0, 1.0, true, false);
    }

    static SceneOptions parse(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!KEYS.contains(key)) {
                throw new UserInputException("unknown option '" + key + "' for the tissue scene; allowed: "
                        + String.join(", ", KEYS));
            }
        }
        SceneOptions d = defaults();
        boolean moving = d.movingCamera;
        String camera = options.get("camera");
        if (camera != null) {
            moving = switch (camera.trim().toLowerCase(Locale.ROOT)) {
                case "static" -> false;
                case "moving" -> true;
                default -> throw new UserInputException("option camera must be 'static' or 'moving', got '" + camera
                        + "'");
            };
        }
        int instruments = d.instruments;
        String count = options.get("instruments");
        if (count != null) {
            instruments = switch (count.trim()) {
                case "1" -> 1;
                case "2" -> 2;
                default -> throw new UserInputException("option instruments must be 1 or 2, got '" + count + "'");
            };
        }
        return new SceneOptions(moving, instruments,
                number(options, "noise", d.sensorNoise, 0, 0.2),
                number(options, "depthNoise", d.depthNoise, 0, 20),
                number(options, "holes", d.holes, 0, 0.5),
                number(options, "specular", d.specular, 0, 5),
                number(options, "motion", d.motion, 0, 3),
                flag(options, "shadows", d.shadows),
                flag(options, "correspondence", d.correspondence));
    }

    /** The resolved settings, keyed like the options they came from. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", movingCamera ? "moving" : "static");
        m.put("instruments", instruments);
        m.put("noise", sensorNoise);
        m.put("depthNoise", depthNoise);
        m.put("holes", holes);
        m.put("specular", specular);
        m.put("motion", motion);
        m.put("shadows", shadows);
        m.put("correspondence", correspondence);
        return m;
    }

    private static boolean flag(Map<String, String> options, String key, boolean fallback) {
        String text = options.get(key);
        if (text == null) {
            return fallback;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new UserInputException("option " + key + " must be true or false, got '" + text + "'");
        };
    }

    private static double number(Map<String, String> options, String key, double fallback, double min, double max) {
        String text = options.get(key);
        if (text == null) {
            return fallback;
        }
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("option " + key + " must be a number, got '" + text + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new UserInputException("option " + key + " must lie in [" + min + ", " + max + "], got " + text);
        }
        return v;
    }
}
