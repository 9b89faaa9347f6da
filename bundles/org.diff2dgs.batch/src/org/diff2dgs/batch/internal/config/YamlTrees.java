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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.diff2dgs.batch.api.ExperimentException;
import org.diff2dgs.core.api.UserInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML into a {@link ConfigNode} tree. SnakeYAML composes the node graph (keeping each node's start mark, hence
 * its line) without constructing Java objects, so no YAML tag can instantiate classes; scalars are typed by the tag
 * its resolver gave them (YAML 1.1 rules, as the constructor would).
 */
public final class YamlTrees {

    private YamlTrees() {
    }

    public static ConfigNode read(Path file) {
        try (Reader r = new StringReader(Utf8Text.read(file))) {
            Node root = yaml().compose(r);
            if (root == null) {
                throw ExperimentException.at(file, 1, "the file is empty");
            }
            return new Converter(file).convert(root);
        } catch (NoSuchFileException e) {
            throw new UserInputException(file, "file not found");
        } catch (IOException e) {
            throw new UserInputException(file, "cannot read: " + e.getMessage(), e);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw ExperimentException.at(file, m == null ? 0 : m.getLine() + 1, "not valid YAML: " + problem + context);
        } catch (YAMLException e) {
            throw ExperimentException.at(file, 0, "not valid YAML: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // SnakeYAML checks some tokens (tag names) with IllegalArgumentException, without a position (found by
            // fuzzing: a tag that decodes to text with trailing spaces)
            throw ExperimentException.at(file, 0, "not valid YAML: " + e.getMessage());
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        // a small hand-written file: nested aliases that expand exponentially are an attack, not an experiment
        options.setMaxAliasesForCollections(50);
        return new Yaml(new SafeConstructor(options));
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    /** Converts composed nodes; collects duplicate keys and unsupported tags as problems. */
    private static final class Converter {
        private final Path file;
        private final List<ExperimentException.Problem> problems = new ArrayList<>();
        private final Map<Node, Boolean> active = new IdentityHashMap<>();
        private final Yaml scalars = yaml();

        Converter(Path file) {
            this.file = file;
        }

        ConfigNode convert(Node root) {
            ConfigNode tree = node(root);
            if (!problems.isEmpty()) {
                throw new ExperimentException(file, problems);
            }
            return tree;
        }

        private ConfigNode node(Node n) {
            if (active.put(n, Boolean.TRUE) != null) {
                // an alias that contains itself
                problems.add(new ExperimentException.Problem(line(n), "recursive alias"));
                return new ConfigNode.Scalar(line(n), null, "");
            }
            try {
                if (n instanceof MappingNode m) {
                    return mapping(m);
                }
                if (n instanceof SequenceNode s) {
                    List<ConfigNode> items = new ArrayList<>();
                    for (Node item : s.getValue()) {
                        items.add(node(item));
                    }
                    return new ConfigNode.Sequence(line(n), items);
                }
                return scalar((ScalarNode) n);
            } finally {
                active.remove(n);
            }
        }

        private ConfigNode mapping(MappingNode m) {
            List<ConfigNode.Entry> entries = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (NodeTuple t : m.getValue()) {
                Node k = t.getKeyNode();
                if (!(k instanceof ScalarNode ks) || Tag.MERGE.equals(k.getTag())) {
                    problems.add(new ExperimentException.Problem(line(k), "keys must be plain names"));
                    continue;
                }
                String key = ks.getValue();
                if (!seen.add(key)) {
                    problems.add(new ExperimentException.Problem(line(k), "duplicate key '" + key + "'"));
                    continue;
                }
                entries.add(new ConfigNode.Entry(key, line(k), node(t.getValueNode())));
            }
            return new ConfigNode.Mapping(line(m), entries);
        }

        private ConfigNode scalar(ScalarNode s) {
            Tag tag = s.getTag();
            String text = s.getValue();
            int line = line(s);
            Object value;
            if (Tag.NULL.equals(tag)) {
                value = null;
            } else if (Tag.BOOL.equals(tag) || Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                // the same resolution rules the constructor applies (1_000, 0x1F, .inf, yes/no ...)
                Object v = scalars.load(text);
                value = v instanceof Integer i ? Long.valueOf(i)
                        : v instanceof Long || v instanceof Boolean ? v
                        : v instanceof Double d ? d
                        : v instanceof Number big ? Double.valueOf(big.doubleValue()) : text;
            } else if (Tag.STR.equals(tag) || Tag.TIMESTAMP.equals(tag)) {
                value = text;
            } else {
                problems.add(new ExperimentException.Problem(line, "unsupported YAML tag " + tag.getValue()));
                value = text;
            }
            return new ConfigNode.Scalar(line, value, text);
        }
    }
}
