package org.diff2dgs.batch.internal.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ExperimentException;
import org.diff2dgs.batch.api.ExperimentException.Problem;
import org.diff2dgs.batch.api.ExperimentScene;
import org.diff2dgs.batch.api.Method;
import org.diff2dgs.batch.api.SlurmOptions;
import org.diff2dgs.batch.internal.config.ConfigNode.Entry;
import org.diff2dgs.batch.internal.config.ConfigNode.Mapping;
import org.diff2dgs.batch.internal.config.ConfigNode.Scalar;
import org.diff2dgs.batch.internal.config.ConfigNode.Sequence;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.train.api.TrainOptions;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

/**
 * Turns an experiment file into an {@link Experiment}, checking every key, name and value against what is installed.
 * All problems are collected and reported together, each with its line, before anything runs (docs/batch.md lists
 * the keys).
 */
public final class ExperimentReader {

    static final List<String> TOP_KEYS = List.of("name", "description", "out", "preset", "options", "protocols",
            "metrics", "backend", "seeds", "scenes", "methods", "slurm", "charts");
    static final List<String> SCENE_KEYS = List.of("name", "dataset", "synthetic", "path", "format", "read");
    static final List<String> SYNTHETIC_KEYS = List.of("seed", "frames", "size", "generator", "options");
    static final List<String> READ_KEYS = List.of("split", "maskConvention", "cameraConvention", "depthScale",
            "maxFrames", "inpainted");
    static final List<String> METHOD_KEYS = List.of("name", "description", "options", "inpaint",
            "inpaintSettings");
    static final List<String> SLURM_KEYS = List.of("time", "memory", "cpus", "partition", "account", "maxParallel",
            "directives");
    static final List<String> PRESETS = List.of("cpu", "published");

    /** Synthetic scene defaults: the CPU default scene of `d2dgs run`. */
    static final long DEFAULT_SCENE_SEED = SceneSpec.DEFAULT_SEED;
    static final int DEFAULT_FRAMES = SceneSpec.CPU_FRAMES;
    static final String DEFAULT_SIZE = SceneSpec.CPU_SIZE;
    static final String DEFAULT_PRESET = "published";

    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private final Installed installed;

    public ExperimentReader(Installed installed) {
        this.installed = installed;
    }

    /** Parses and validates; throws {@link ExperimentException} listing every problem with its line. */
    public Experiment read(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new UserInputException(abs, "experiment file not found");
        }
        ConfigNode root = isJson(abs) ? JsonTrees.read(abs) : YamlTrees.read(abs);
        return new Parse(abs).experiment(root);
    }

    /**
     * Checks that the dataset folders of these scenes exist and that a reader recognizes them; run before any cell
     * starts (and not for --merge, which reads results only).
     */
    public void checkDatasets(Experiment experiment, Collection<ExperimentScene> scenes) {
        List<Problem> problems = datasetProblems(scenes);
        if (!problems.isEmpty()) {
            throw new ExperimentException(experiment.file(), problems);
        }
    }

    private List<Problem> datasetProblems(Collection<ExperimentScene> scenes) {
        List<Problem> problems = new ArrayList<>();
        for (ExperimentScene s : scenes) {
            if (s.isSynthetic()) {
                continue;
            }
            if (!Files.isDirectory(s.path())) {
                problems.add(new Problem(s.line(), "scene '" + s.name() + "': dataset folder not found: " + s.path()));
            } else if (s.format() == null && !installed.recognizes(s.path())) {
                problems.add(new Problem(s.line(), "scene '" + s.name() + "': no installed dataset reader recognizes "
                        + s.path() + " (formats: " + sorted(installed.formats()) + ")"));
            }
        }
        return problems;
    }

    private static boolean isJson(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) {
            return true;
        }
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c == '{';
        } catch (IOException e) {
            return false;
        }
    }

    private static String sorted(Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }

    /** One parse of one file: the problems found so far. */
    private final class Parse {
        private final Path file;
        private final List<Problem> problems = new ArrayList<>();

        Parse(Path file) {
            this.file = file;
        }

        private void problem(int line, String message) {
            problems.add(new Problem(line, message));
        }

        Experiment experiment(ConfigNode root) {
            if (!(root instanceof Mapping top)) {
                throw ExperimentException.at(file, root.line(), "an experiment file must be a mapping of keys "
                        + "(name, scenes, methods, ...), got " + root.kind());
            }
            checkKeys(top, TOP_KEYS, "the experiment");
            String base = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            String name = text(top.entry("name"), "name", base);
            text(top.entry("description"), "description", "");
            Path out = path(top.entry("out"), "out", file.resolveSibling(base + "-out"));
            String preset = text(top.entry("preset"), "preset", DEFAULT_PRESET);
            if (!PRESETS.contains(preset)) {
                problem(top.entry("preset").line(), "unknown preset '" + preset + "' (known: " + String.join(", ",
                        PRESETS) + ")");
                preset = DEFAULT_PRESET;
            }
            List<String> protocols = names(top.entry("protocols"), "protocol", installed.protocols());
            List<String> metrics = names(top.entry("metrics"), "metric", installed.metrics());
            String backend = text(top.entry("backend"), "backend", null);
            if (backend != null && !installed.backends().contains(backend)) {
                problem(top.entry("backend").line(), "unknown backend '" + backend + "' (installed: "
                        + sorted(installed.backends()) + ")");
            }

            TrainOptions presetOptions = TrainOptions.preset(preset);
            Overrides common = overrides(top.entry("options"), "the experiment's options");
            TrainOptions base0 = presetOptions;
            boolean commonOk = common != null;
            if (common != null && !common.values.isEmpty()) {
                try {
                    base0 = presetOptions.with(common.values);
                } catch (RuntimeException e) {
                    problem(top.entry("options").line(), "options: " + userMessage(e));
                    commonOk = false;
                }
            }
            List<Long> seeds = seeds(top.entry("seeds"), base0.seed());
            List<ExperimentScene> scenes = scenes(top.entry("scenes"));
            List<Method> methods = methods(top.entry("methods"), base0, commonOk);
            SlurmOptions slurm = slurm(top.entry("slurm"));
            List<String> charts = charts(top.entry("charts"));
            if (!problems.isEmpty()) {
                // one round of fixes should be enough: the dataset folders are checked now too
                problems.addAll(datasetProblems(scenes));
                throw new ExperimentException(file, problems);
            }
            return new Experiment(file, name, out, preset, common == null ? Map.of() : common.raw, protocols,
                    metrics, backend, seeds, scenes, methods, slurm, charts);
        }

        // ---- scenes

        private List<ExperimentScene> scenes(Entry e) {
            List<ExperimentScene> scenes = new ArrayList<>();
            Sequence list = list(e, "scenes", true);
            if (list == null) {
                return scenes;
            }
            Set<String> names = new HashSet<>();
            int index = 0;
            for (ConfigNode item : list.items()) {
                index++;
                if (!(item instanceof Mapping m)) {
                    problem(item.line(), "scene #" + index + " must be a mapping (name, synthetic or path, ...), got "
                            + item.kind());
                    continue;
                }
                String name = name(m, "scene #" + index, names);
                String where = name == null ? "scene #" + index : "scene '" + name + "'";
                checkKeys(m, SCENE_KEYS, where);
                Entry synth = m.entry("synthetic");
                Entry pathEntry = m.entry("path");
                if (synth == null && pathEntry == null) {
                    problem(m.line(), where + " needs either 'synthetic' (a scene to generate) or 'path' (a dataset "
                            + "folder)");
                    continue;
                }
                if (synth != null && pathEntry != null) {
                    problem(pathEntry.line(), where + " has both 'synthetic' and 'path'; give one");
                    continue;
                }
                ReadOptions read = read(m.entry("read"), where);
                String format = text(m.entry("format"), "format", null);
                if (format != null && synth != null) {
                    problem(m.entry("format").line(), where + ": 'format' applies to dataset folders ('path') only");
                } else if (format != null && !installed.formats().contains(format)) {
                    problem(m.entry("format").line(), where + ": unknown dataset format '" + format + "' (installed: "
                            + sorted(installed.formats()) + ")");
                }
                String dataset = text(m.entry("dataset"), "dataset", synth != null ? "synthetic"
                        : format != null ? format : "real");
                if (synth != null) {
                    Synthetic s = synthetic(synth, where);
                    if (s != null && name != null) {
                        scenes.add(new ExperimentScene(name, dataset, s.spec, s.generator, null, null, read,
                                m.line()));
                    }
                } else {
                    Path p = path(pathEntry, "path", null);
                    if (p != null && name != null) {
                        scenes.add(new ExperimentScene(name, dataset, null, null, p, format, read, m.line()));
                    }
                }
            }
            return scenes;
        }

        private record Synthetic(SceneSpec spec, String generator) {
        }

        private Synthetic synthetic(Entry e, String where) {
            Mapping m = mapping(e, where + ": synthetic");
            if (m == null) {
                return null;
            }
            String in = "the synthetic block of " + where;
            checkKeys(m, SYNTHETIC_KEYS, in);
            Long seed = integer(m.entry("seed"), "seed", 0, Long.MAX_VALUE, DEFAULT_SCENE_SEED);
            Long frames = integer(m.entry("frames"), "frames", 2, 100_000, (long) DEFAULT_FRAMES);
            String size = text(m.entry("size"), "size", DEFAULT_SIZE);
            int[] wh = size(size);
            if (wh == null) {
                problem(m.entry("size").line(), where + ": size must be WIDTHxHEIGHT between 8 and 8192, got '"
                        + size + "'");
            }
            String generator = text(m.entry("generator"), "generator", null);
            if (generator != null && !installed.sceneGenerators().contains(generator)) {
                problem(m.entry("generator").line(), where + ": unknown scene generator '" + generator
                        + "' (installed: " + sorted(installed.sceneGenerators()) + ")");
            }
            Map<String, String> options = new LinkedHashMap<>();
            Entry o = m.entry("options");
            if (o != null) {
                Mapping om = mapping(o, where + ": synthetic options");
                if (om != null) {
                    for (Entry oe : om.entries()) {
                        if (oe.value() instanceof Scalar s && s.value() != null) {
                            options.put(oe.key(), s.text());
                        } else {
                            problem(oe.line(), where + ": synthetic option '" + oe.key() + "' must be a single "
                                    + "value, got " + oe.value().kind());
                        }
                    }
                }
            }
            if (seed == null || frames == null || wh == null) {
                return null;
            }
            return new Synthetic(new SceneSpec(seed, frames.intValue(), wh[0], wh[1], options), generator);
        }

        private ReadOptions read(Entry e, String where) {
            ReadOptions d = ReadOptions.defaults();
            if (e == null) {
                return d;
            }
            Mapping m = mapping(e, where + ": read");
            if (m == null) {
                return d;
            }
            checkKeys(m, READ_KEYS, "the read block of " + where);
            Double scale = number(m.entry("depthScale"), "depthScale", Double.NaN);
            if (scale != null && !Double.isNaN(scale) && !(scale > 0)) {
                problem(m.entry("depthScale").line(), where + ": depthScale must be positive, got " + scale);
            }
            Long maxFrames = integer(m.entry("maxFrames"), "maxFrames", 0, Integer.MAX_VALUE, 0L);
            return new ReadOptions(text(m.entry("maskConvention"), "maskConvention", null),
                    text(m.entry("cameraConvention"), "cameraConvention", null), text(m.entry("split"), "split", null),
                    scale == null ? Double.NaN : scale, maxFrames == null ? 0 : maxFrames.intValue(), true,
                    flag(m.entry("inpainted"), "inpainted"));
        }

        // ---- methods

        private List<Method> methods(Entry e, TrainOptions base, boolean baseOk) {
            List<Method> methods = new ArrayList<>();
            Sequence list = list(e, "methods", true);
            if (list == null) {
                return methods;
            }
            Set<String> names = new HashSet<>();
            int index = 0;
            for (ConfigNode item : list.items()) {
                index++;
                if (!(item instanceof Mapping m)) {
                    problem(item.line(), "method #" + index + " must be a mapping (name, options), got "
                            + item.kind());
                    continue;
                }
                String name = name(m, "method #" + index, names);
                String where = name == null ? "method #" + index : "method '" + name + "'";
                checkKeys(m, METHOD_KEYS, where);
                String description = text(m.entry("description"), "description", "");
                Overrides own = overrides(m.entry("options"), where);
                if (own == null || !baseOk) {
                    continue;
                }
                TrainOptions resolved;
                try {
                    resolved = base.with(own.values);
                } catch (RuntimeException ex) {
                    Entry o = m.entry("options");
                    problem(o != null ? o.line() : m.line(), where + ": " + userMessage(ex));
                    continue;
                }
                String model = resolved.deformationModel();
                if (!installed.deformationModels().contains(model)) {
                    // the preset's default model: a named one was checked where it is written
                    problem(m.line(), where + ": the preset's deformation model '" + model + "' is not installed "
                            + "(installed: " + sorted(installed.deformationModels()) + ")");
                    continue;
                }
                String inpaint = m.entry("inpaint") == null ? null : text(m.entry("inpaint"), "inpaint", null);
                Map<String, String> inpaintSettings = new LinkedHashMap<>();
                Entry is = m.entry("inpaintSettings");
                if (is != null) {
                    Mapping sm = mapping(is, where + ": inpaintSettings");
                    if (sm != null) {
                        for (Entry se : sm.entries()) {
                            if (se.value() instanceof Scalar sv) {
                                inpaintSettings.put(se.key(), sv.text());
                            } else {
                                problem(se.line(), where + ": inpaintSettings." + se.key() + " must be a value");
                            }
                        }
                    }
                }
                if (inpaint != null && !inpaint.equals("none") && !inpaint.equals("auto")
                        && !installed.inpainters().contains(inpaint)) {
                    problem(m.entry("inpaint").line(), where + ": inpainting method '" + inpaint + "' is not "
                            + "installed (installed: " + sorted(installed.inpainters()) + ", or none)");
                    continue;
                }
                if (name != null) {
                    methods.add(new Method(name, description, own.raw, resolved, m.line(), inpaint,
                            inpaintSettings));
                }
            }
            return methods;
        }

        /** Training overrides of one options block: checked by name and type against TrainOptions. */
        private final class Overrides {
            final Map<String, JsonElement> values = new LinkedHashMap<>();
            final Map<String, Object> raw = new LinkedHashMap<>();
        }

        private Overrides overrides(Entry e, String where) {
            Overrides o = new Overrides();
            if (e == null) {
                return o;
            }
            Mapping m = mapping(e, where + ": options");
            if (m == null) {
                return null;
            }
            Map<String, Class<?>> types = TrainingOptionTypes.ALL;
            boolean ok = true;
            for (Entry oe : m.entries()) {
                Class<?> type = types.get(oe.key());
                if (type == null) {
                    Set<String> known = new TreeSet<>(types.keySet());
                    known.remove("seed");
                    problem(oe.line(), "unknown training option '" + oe.key() + "' in " + where + " (known: "
                            + String.join(", ", known) + ")");
                    ok = false;
                    continue;
                }
                if (oe.key().equals("seed")) {
                    problem(oe.line(), "'seed' in " + where + ": training seeds are set per cell by the top-level "
                            + "'seeds' list");
                    ok = false;
                    continue;
                }
                JsonElement v = typed(oe, type, where);
                if (v == null) {
                    ok = false;
                    continue;
                }
                if (oe.key().equals("deformationModel") && !installed.deformationModels().contains(v.getAsString())) {
                    problem(oe.line(), "unknown deformation model '" + v.getAsString() + "' in " + where
                            + " (installed: " + sorted(installed.deformationModels()) + ")");
                    ok = false;
                    continue;
                }
                o.values.put(oe.key(), v);
                o.raw.put(oe.key(), ((Scalar) oe.value()).value() instanceof String
                        ? ((Scalar) oe.value()).text() : ((Scalar) oe.value()).value());
            }
            return ok ? o : null;
        }

        private JsonElement typed(Entry e, Class<?> type, String where) {
            if (!(e.value() instanceof Scalar s) || s.value() == null) {
                problem(e.line(), "training option '" + e.key() + "' in " + where + " must be a single value, got "
                        + e.value().kind());
                return null;
            }
            Object v = s.value();
            if (type == String.class) {
                return new JsonPrimitive(s.text());
            }
            if (type == boolean.class) {
                if (v instanceof Boolean b) {
                    return new JsonPrimitive(b);
                }
                problem(e.line(), "training option '" + e.key() + "' in " + where + " must be true or false, got '"
                        + s.text() + "'");
                return null;
            }
            if (!(v instanceof Number n)) {
                problem(e.line(), "training option '" + e.key() + "' in " + where + " must be a number, got '"
                        + s.text() + "'");
                return null;
            }
            if (type == int.class || type == long.class) {
                double d = n.doubleValue();
                long max = type == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
                long min = type == int.class ? Integer.MIN_VALUE : Long.MIN_VALUE;
                if (d != Math.rint(d) || d > max || d < min) {
                    problem(e.line(), "training option '" + e.key() + "' in " + where + " must be a whole number, "
                            + "got " + s.text());
                    return null;
                }
                return new JsonPrimitive(n instanceof Long l ? l : Long.valueOf((long) d));
            }
            return new JsonPrimitive(n.doubleValue());
        }

        // ---- smaller blocks

        private List<Long> seeds(Entry e, long fallback) {
            if (e == null) {
                return List.of(fallback);
            }
            Sequence list = list(e, "seeds", true);
            List<Long> seeds = new ArrayList<>();
            if (list == null) {
                return List.of(fallback);
            }
            for (ConfigNode item : list.items()) {
                if (item instanceof Scalar s && s.value() instanceof Long l && l >= 0) {
                    if (seeds.contains(l)) {
                        problem(item.line(), "seed " + l + " is listed twice");
                    } else {
                        seeds.add(l);
                    }
                } else {
                    problem(item.line(), "seeds must be whole numbers >= 0, got " + describe(item));
                }
            }
            return seeds.isEmpty() ? List.of(fallback) : seeds;
        }

        private SlurmOptions slurm(Entry e) {
            SlurmOptions d = SlurmOptions.defaults();
            if (e == null) {
                return d;
            }
            Mapping m = mapping(e, "slurm");
            if (m == null) {
                return d;
            }
            checkKeys(m, SLURM_KEYS, "slurm");
            Long cpus = integer(m.entry("cpus"), "cpus", 1, 4096, (long) d.cpus());
            Long maxParallel = integer(m.entry("maxParallel"), "maxParallel", 0, 1_000_000, 0L);
            List<String> directives = new ArrayList<>();
            Entry de = m.entry("directives");
            if (de != null) {
                Sequence list = list(de, "slurm directives", false);
                if (list != null) {
                    for (ConfigNode item : list.items()) {
                        if (item instanceof Scalar s && s.value() != null) {
                            directives.add(s.text());
                        } else {
                            problem(item.line(), "slurm directives must be text, got " + item.kind());
                        }
                    }
                }
            }
            return new SlurmOptions(text(m.entry("time"), "time", d.time()), text(m.entry("memory"), "memory",
                    d.memory()), cpus == null ? d.cpus() : cpus.intValue(), text(m.entry("partition"), "partition",
                            null), text(m.entry("account"), "account", null),
                    maxParallel == null ? 0 : maxParallel.intValue(), directives);
        }

        /** true (default): chart every metric; false: no charts; a list: chart these metrics. */
        private List<String> charts(Entry e) {
            if (e == null) {
                return List.of();
            }
            if (e.value() instanceof Scalar s && s.value() instanceof Boolean b) {
                return b ? List.of() : null;
            }
            if (e.value() instanceof Sequence) {
                return names(e, "chart metric", installed.metrics());
            }
            problem(e.line(), "'charts' must be true, false or a list of metrics, got " + describe(e.value()));
            return List.of();
        }

        private List<String> names(Entry e, String what, Set<String> known) {
            List<String> out = new ArrayList<>();
            if (e == null) {
                return out;
            }
            Sequence list = list(e, what + "s", false);
            if (list == null) {
                return out;
            }
            for (ConfigNode item : list.items()) {
                if (!(item instanceof Scalar s) || !(s.value() instanceof String n)) {
                    problem(item.line(), what + "s must be names, got " + describe(item));
                } else if (!known.contains(n)) {
                    problem(item.line(), "unknown " + what + " '" + n + "' (installed: " + sorted(known) + ")");
                } else if (out.contains(n)) {
                    problem(item.line(), what + " '" + n + "' is listed twice");
                } else {
                    out.add(n);
                }
            }
            return out;
        }

        private String name(Mapping m, String what, Set<String> taken) {
            Entry e = m.entry("name");
            if (e == null) {
                problem(m.line(), what + " has no 'name'");
                return null;
            }
            String n = text(e, "name", null);
            if (n == null) {
                return null;
            }
            if (!n.matches(NAME_PATTERN)) {
                problem(e.line(), "name '" + n + "' of " + what + " must be 1-64 letters, digits, '.', '_' or '-' "
                        + "(it names folders)");
                return null;
            }
            if (!taken.add(n)) {
                problem(e.line(), "the name '" + n + "' is used twice");
                return null;
            }
            return n;
        }

        private void checkKeys(Mapping m, List<String> known, String where) {
            for (Entry e : m.entries()) {
                if (!known.contains(e.key())) {
                    problem(e.line(), "unknown key '" + e.key() + "' in " + where + " (known: " + String.join(", ",
                            known) + ")");
                }
            }
        }

        // ---- typed values

        private Mapping mapping(Entry e, String what) {
            if (e.value() instanceof Mapping m) {
                return m;
            }
            problem(e.line(), what + " must be a mapping of keys, got " + describe(e.value()));
            return null;
        }

        private Sequence list(Entry e, String what, boolean required) {
            if (e == null) {
                if (required) {
                    problem(0, "the experiment has no '" + what + "' list");
                }
                return null;
            }
            if (!(e.value() instanceof Sequence s)) {
                problem(e.line(), "'" + what + "' must be a list, got " + describe(e.value()));
                return null;
            }
            if (required && s.items().isEmpty()) {
                problem(e.line(), "'" + what + "' is empty");
                return null;
            }
            return s;
        }

        private String text(Entry e, String what, String fallback) {
            if (e == null) {
                return fallback;
            }
            if (e.value() instanceof Scalar s && s.value() != null) {
                return s.value() instanceof String str ? str : s.text();
            }
            problem(e.line(), "'" + what + "' must be text, got " + describe(e.value()));
            return fallback;
        }

        private Path path(Entry e, String what, Path fallback) {
            String t = text(e, what, null);
            if (t == null) {
                return fallback;
            }
            try {
                Path p = Path.of(t.startsWith("~/") ? System.getProperty("user.home") + t.substring(1) : t);
                return file.getParent().resolve(p).normalize();
            } catch (java.nio.file.InvalidPathException ex) {
                problem(e.line(), "'" + what + "' is not a valid path: " + ex.getMessage());
                return fallback;
            }
        }

        private Long integer(Entry e, String what, long min, long max, Long fallback) {
            if (e == null) {
                return fallback;
            }
            if (e.value() instanceof Scalar s && s.value() instanceof Long l) {
                if (l < min || l > max) {
                    problem(e.line(), "'" + what + "' must be between " + min + " and " + max + ", got " + l);
                    return null;
                }
                return l;
            }
            problem(e.line(), "'" + what + "' must be a whole number, got " + describe(e.value()));
            return null;
        }

        /** true / false, or null when absent (the reader decides). */
        private Boolean flag(Entry e, String what) {
            if (e == null) {
                return null;
            }
            if (e.value() instanceof Scalar s && s.value() instanceof Boolean b) {
                return b;
            }
            problem(e.line(), "'" + what + "' must be true or false, got " + describe(e.value()));
            return null;
        }

        private Double number(Entry e, String what, double fallback) {
            if (e == null) {
                return fallback;
            }
            if (e.value() instanceof Scalar s && s.value() instanceof Number n) {
                return n.doubleValue();
            }
            problem(e.line(), "'" + what + "' must be a number, got " + describe(e.value()));
            return null;
        }

        private String describe(ConfigNode n) {
            return n instanceof Scalar s && s.value() != null ? n.kind() + " '" + s.text() + "'" : n.kind();
        }
    }

    /**
     * The user error behind a rejected option value: the options record's own check, which Gson's record adapter
     * wraps in a plain RuntimeException; anything else is a bug and propagates.
     */
    static String userMessage(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserInputException u) {
                return u.getMessage();
            }
        }
        throw e;
    }

    /** WIDTHxHEIGHT between 8 and 8192, or null. */
    static int[] size(String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        if (p.length != 2) {
            return null;
        }
        try {
            int w = Integer.parseInt(p[0].trim());
            int h = Integer.parseInt(p[1].trim());
            return w >= 8 && h >= 8 && w <= 8192 && h <= 8192 ? new int[] {w, h} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
