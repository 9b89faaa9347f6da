package org.diff2dgs.batch.internal;

import java.nio.file.Path;
import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** A few numbers of a finished cell for the console: PSNR and SSIM under the honest protocol when it ran. */
final class Headline {

    private Headline() {
    }

    static String of(Path metricsJson) {
        JsonObject root = JsonFiles.readObject(metricsJson);
        if (root == null || !root.has("evaluations")) {
            return "";
        }
        JsonObject chosen = null;
        for (JsonElement e : root.getAsJsonArray("evaluations")) {
            JsonObject ev = e.getAsJsonObject();
            if (chosen == null || "masked-mean".equals(JsonFiles.string(ev, "protocol", ""))) {
                chosen = ev;
            }
        }
        if (chosen == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(JsonFiles.string(chosen, "protocol", "?"));
        for (JsonElement r : chosen.getAsJsonArray("results")) {
            JsonObject o = r.getAsJsonObject();
            String metric = JsonFiles.string(o, "metric", "");
            if (metric.equals("psnr") || metric.equals("ssim")) {
                sb.append(String.format(Locale.ROOT, " %s %.4g", metric, JsonFiles.number(o, "mean")));
            }
        }
        return sb.toString();
    }
}
