package org.diff2dgs.batch.internal.config;

import java.util.List;

/**
 * A parsed configuration file as a tree whose every node knows its line, so that validation can say where a problem
 * is. YAML and JSON both become this tree; the experiment reader sees no difference.
 */
public sealed interface ConfigNode permits ConfigNode.Mapping, ConfigNode.Sequence, ConfigNode.Scalar {

    /** 1-based line where the node starts. */
    int line();

    /** What the node is, for messages: "a mapping", "a list", "a number", ... */
    String kind();

    /** A key of a mapping with the line of the key itself. */
    record Entry(String key, int line, ConfigNode value) {
    }

    /** An object / mapping, in file order; keys are unique (the readers reject duplicates). */
    record Mapping(int line, List<Entry> entries) implements ConfigNode {

        public Mapping {
            entries = List.copyOf(entries);
        }

        public Entry entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(int line, List<ConfigNode> items) implements ConfigNode {

        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A single value.
     *
     * @param value Long, Double, Boolean, String, or null
     * @param text  the value as written (for a text option written as a YAML number or boolean, e.g. time 4:00:00)
     */
    record Scalar(int line, Object value, String text) implements ConfigNode {

        @Override
        public String kind() {
            if (value == null) {
                return "null";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            if (value instanceof Number) {
                return "a number";
            }
            return "text";
        }
    }
}
