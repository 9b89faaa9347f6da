package org.diff2dgs.core.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.diff2dgs.core.api.UserInputException;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

/** One Gson configuration for every JSON file the workbench reads or writes (pretty, NaN allowed, stable order). */
public final class Json {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private Json() {
    }

    public static Gson gson() {
        return GSON;
    }

    public static String toJson(Object value) {
        return GSON.toJson(value) + "\n";
    }

    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, toJson(value));
    }

    public static <T> T read(Path file, Class<T> type) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            T value = GSON.fromJson(r, type);
            if (value == null) {
                throw new UserInputException(file, "empty JSON file");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new UserInputException(file, "file not found");
        } catch (CharacterCodingException e) {
            // the decoder's own message is only "Input length = 1"
            throw new UserInputException(file, "not valid JSON: the file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UserInputException(file, "cannot read: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                // Gson wraps the reader's decoding error: "MalformedInputException: Input length = 1" said nothing
                throw new UserInputException(file, "not valid JSON: the file is not UTF-8 text", e);
            }
            throw new UserInputException(file, "not valid JSON: " + e.getMessage(), e);
        }
    }

    public static JsonElement readTree(Path file) {
        return read(file, JsonElement.class);
    }
}
