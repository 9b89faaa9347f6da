package org.diff2dgs.dataset.endonerf.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Whether a clip's frames are inpainted. Stage 1 writes {@code inpainting.json} (method, options) at the root of a
 * folder it inpainted: images/ and depth/ then hold the restored frames and masks/ the original instrument masks. A
 * clip inpainted elsewhere is declared by the user (ReadOptions.inpainted, {@code --inpainted}); the user's word
 * also overrides the file.
 *
 * @param inpainted whether the frames are inpainted
 * @param source    how that was decided, for reports
 */
record Inpainting(boolean inpainted, String source) {

    static final String FILE = "inpainting.json";

    static Inpainting decide(Path folder, Boolean given, Problems problems) {
        Path file = folder.resolve(FILE);
        if (given != null) {
            return new Inpainting(given, given ? "yes (stated by the read options)" : "no (stated by the read options)");
        }
        if (!Files.isRegularFile(file)) {
            return new Inpainting(false, "no (no " + FILE + ")");
        }
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file));
            if (!root.isJsonObject()) {
                problems.add(file, "expected a JSON object (method, options) written by stage 1");
                return new Inpainting(true, "yes (" + FILE + ")");
            }
            JsonObject o = root.getAsJsonObject();
            String method = o.has("method") && o.get("method").isJsonPrimitive() ? o.get("method").getAsString()
                    : "method not named";
            return new Inpainting(true, "yes (" + FILE + ": " + method + ")");
        } catch (IOException | JsonParseException e) {
            problems.add(file, "cannot read the inpainting record: " + e.getMessage());
            return new Inpainting(true, "yes (" + FILE + ", unreadable)");
        }
    }

    String describe() {
        return source;
    }
}
