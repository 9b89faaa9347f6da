package org.diff2dgs.app.headless.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.train.api.EffectiveConfig;
import org.diff2dgs.train.api.TrainOptions;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The training configuration a run would use, after presets, overrides and every scaling; trains nothing. */
@Command(mixinStandardHelpOptions = true, name = "config", description = "Print the effective training "
        + "configuration (learning rates after scaling, loss weights, densification window, ...) of a preset and "
        + "--set overrides, without training. --json prints it as one JSON object, as run.json records it.")
final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Option(names = "--backend", description = "Backend whose default preset applies when --preset is not given "
            + "(auto, the default: the best available; cpu means the cpu preset).")
    String backend;

    @Mixin
    TrainingOptionsMixin training;

    @Override
    public Integer call() {
        ComputeBackend chosen = ComputeBackend.isAuto(backend) ? root.cli.catalog().computeBackends().stream()
                .filter(ComputeBackend::isAvailable).findFirst().orElse(null)
                : root.cli.catalog().computeBackend(backend).orElseThrow(() -> new org.diff2dgs.core.api
                        .UserInputException("unknown backend '" + backend + "'"));
        boolean cpu = chosen == null || chosen.name().equals("cpu");
        TrainOptions options = training.toOptions(cpu);
        EffectiveConfig config = EffectiveConfig.of(options);
        if (root.json) {
            root.cli.out().print(Json.toJson(config));
        } else {
            String preset = training.preset != null ? training.preset : cpu ? "cpu" : "published";
            root.cli.out().println("effective training configuration (preset " + preset
                    + (training.set.isEmpty() ? "" : ", with --set " + training.set) + ")");
            Map<String, String> rows = new LinkedHashMap<>();
            flatten("", Json.gson().toJsonTree(config), rows);
            int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, String> e : rows.entrySet()) {
                root.cli.out().println(String.format(Locale.ROOT, "  %-" + width + "s  %s", e.getKey(), e.getValue()));
            }
        }
        return Cli.OK;
    }

    /** Dotted names for nested objects: lr.position.start = 0.0016. */
    static void flatten(String prefix, JsonElement e, Map<String, String> out) {
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            for (String k : o.keySet()) {
                flatten(prefix.isEmpty() ? k : prefix + "." + k, o.get(k), out);
            }
        } else {
            out.put(prefix, e.isJsonNull() ? "-" : e.isJsonPrimitive() ? e.getAsJsonPrimitive().getAsString()
                    : e.toString());
        }
    }
}
