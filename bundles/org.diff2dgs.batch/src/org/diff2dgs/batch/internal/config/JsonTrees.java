package org.diff2dgs.batch.internal.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diff2dgs.batch.api.ExperimentException;
import org.diff2dgs.core.api.UserInputException;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

/**
 * Reads JSON into a {@link ConfigNode} tree with the line of every value. Gson's streaming reader tracks lines but does
 * not expose them except in its description ("JsonReader at line 3 column 5 path $.scenes[0]"), which is read right
 * after {@code peek()}: at that point the reader stands on the token, and no JSON token spans lines.
 */
public final class JsonTrees {

    private static final Pattern LINE = Pattern.compile(" at line (\\d+) column (\\d+)");

    private JsonTrees() {
    }

    public static ConfigNode read(Path file) {
        try (Reader r = new StringReader(Utf8Text.read(file))) {
            // Gson's default reader is strict: no comments, no NaN, no unquoted names
            JsonReader json = new JsonReader(r);
            if (json.peek() == JsonToken.END_DOCUMENT) {
                throw ExperimentException.at(file, 1, "the file is empty");
            }
            List<ExperimentException.Problem> problems = new ArrayList<>();
            ConfigNode root = node(json, problems);
            if (json.peek() != JsonToken.END_DOCUMENT) {
                problems.add(new ExperimentException.Problem(line(json), "text after the end of the JSON value"));
            }
            if (!problems.isEmpty()) {
                throw new ExperimentException(file, problems);
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new UserInputException(file, "file not found");
        } catch (MalformedJsonException | IllegalStateException | NumberFormatException e) {
            throw syntax(file, e);
        } catch (java.io.EOFException e) {
            throw ExperimentException.at(file, 0, "not valid JSON: the file ends inside a value");
        } catch (IOException e) {
            throw new UserInputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Gson's messages carry "at line N column M path ..."; moved to the file:line: form, without the help URL. */
    private static ExperimentException syntax(Path file, Exception e) {
        String m = String.valueOf(e.getMessage());
        int see = m.indexOf("\nSee ");
        if (see >= 0) {
            m = m.substring(0, see);
        }
        Matcher matcher = LINE.matcher(m);
        if (matcher.find()) {
            int line = Integer.parseInt(matcher.group(1));
            String problem = (m.substring(0, matcher.start()) + " (column " + matcher.group(2) + ")").trim();
            return ExperimentException.at(file, line, "not valid JSON: " + problem);
        }
        return ExperimentException.at(file, 0, "not valid JSON: " + m);
    }

    private static int line(JsonReader r) {
        Matcher m = LINE.matcher(r.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static ConfigNode node(JsonReader r, List<ExperimentException.Problem> problems) throws IOException {
        JsonToken token = r.peek();
        int line = line(r);
        switch (token) {
            case BEGIN_OBJECT -> {
                r.beginObject();
                List<ConfigNode.Entry> entries = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                while (r.hasNext()) {
                    r.peek();
                    int keyLine = line(r);
                    String key = r.nextName();
                    ConfigNode value = node(r, problems);
                    if (!seen.add(key)) {
                        problems.add(new ExperimentException.Problem(keyLine, "duplicate key '" + key + "'"));
                    } else {
                        entries.add(new ConfigNode.Entry(key, keyLine, value));
                    }
                }
                r.endObject();
                return new ConfigNode.Mapping(line, entries);
            }
            case BEGIN_ARRAY -> {
                r.beginArray();
                List<ConfigNode> items = new ArrayList<>();
                while (r.hasNext()) {
                    items.add(node(r, problems));
                }
                r.endArray();
                return new ConfigNode.Sequence(line, items);
            }
            case STRING -> {
                String s = r.nextString();
                return new ConfigNode.Scalar(line, s, s);
            }
            case NUMBER -> {
                String text = r.nextString();
                Object v = integral(text) ? (Object) Long.valueOf(text) : (Object) Double.valueOf(text);
                return new ConfigNode.Scalar(line, v, text);
            }
            case BOOLEAN -> {
                boolean b = r.nextBoolean();
                return new ConfigNode.Scalar(line, b, String.valueOf(b));
            }
            case NULL -> {
                r.nextNull();
                return new ConfigNode.Scalar(line, null, "null");
            }
            default -> throw new MalformedJsonException("unexpected " + token + r.toString().substring(
                    r.toString().indexOf(" at line")));
        }
    }

    private static boolean integral(String text) {
        if (!text.matches("-?\\d+")) {
            return false;
        }
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
