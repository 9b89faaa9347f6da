package org.diff2dgs.core.io;

import java.util.Map;
import java.util.TreeSet;

import org.diff2dgs.core.api.UserInputException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * Changes named components of an options record, e.g. a batch "method" {"iterations": 500, "normalWeight": 0}. One
 * generic mechanism instead of a with-method per field; unknown names and wrong types are user errors that list what
 * is allowed.
 */
public final class RecordOverrides {

    private RecordOverrides() {
    }

    public static <T extends Record> T apply(T base, Map<String, ?> overrides, String what) {
        if (overrides == null || overrides.isEmpty()) {
            return base;
        }
        JsonObject tree = Json.gson().toJsonTree(base).getAsJsonObject();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (!tree.has(e.getKey())) {
                throw new UserInputException("unknown " + what + " option '" + e.getKey() + "' (known: "
                        + String.join(", ", new TreeSet<>(tree.keySet())) + ")");
            }
            JsonElement value = e.getValue() instanceof JsonElement j ? j : Json.gson().toJsonTree(e.getValue());
            if (tree.get(e.getKey()).isJsonPrimitive() && tree.get(e.getKey()).getAsJsonPrimitive().isNumber()
                    && !finite(value)) {
                // NaN slips through every "x >= 0" check by comparing false, and Infinity reached BigDecimal in the
                // effective configuration as an internal error; no numeric option means anything with either
                throw new UserInputException(what + " option " + e.getKey() + " must be a finite number, got "
                        + value.getAsString());
            }
            tree.add(e.getKey(), value);
        }
        try {
            @SuppressWarnings("unchecked")
            T result = (T) Json.gson().fromJson(tree, base.getClass());
            return result;
        } catch (RuntimeException e) {
            // the record's constructor rejects values with a UserInputException, which Gson wraps
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UserInputException u) {
                    throw u;
                }
            }
            throw new UserInputException("bad " + what + " option value in " + overrides + ": " + e.getMessage());
        }
    }

    /** False for NaN and infinities, as numbers or as text ("NaN", "Infinity", YAML's .nan); true otherwise. */
    private static boolean finite(JsonElement value) {
        if (!value.isJsonPrimitive()) {
            return true;
        }
        try {
            return Double.isFinite(value.getAsDouble());
        } catch (NumberFormatException notANumber) {
            return true; // the record adapter reports it as a bad value
        }
    }

    /** Convenience for one value given as text on the command line (numbers, booleans and strings). */
    public static <T extends Record> T apply(T base, String key, String textValue, String what) {
        JsonElement v;
        try {
            v = com.google.gson.JsonParser.parseString(textValue);
            if (!v.isJsonPrimitive()) {
                v = new com.google.gson.JsonPrimitive(textValue);
            }
        } catch (JsonParseException e) {
            v = new com.google.gson.JsonPrimitive(textValue);
        }
        return apply(base, Map.of(key, v), what);
    }
}
