package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Writes a synthetic clip with ground truth under the instruments (the embedded default scene). */
@Command(mixinStandardHelpOptions = true, name = "synth", description = "Write a synthetic endoscopic clip (EndoNeRF layout + gt/ ground truth).")
final class SynthCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<out>", description = "Output folder (created; must be empty or absent).")
    Path out;

    @Option(names = "--seed", defaultValue = "" + SceneSpec.DEFAULT_SEED, description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--frames", defaultValue = "" + SceneSpec.FULL_FRAMES, description = "Frame count (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--size", defaultValue = SceneSpec.FULL_SIZE, description = "WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--generator", defaultValue = "tissue", description = "Scene generator (default: ${DEFAULT-VALUE}).")
    String generator;

    @Option(names = {"-o", "--option"}, description = "Generator option KEY=VALUE (repeatable), e.g. instruments=2.")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() {
        int[] wh = parseSize(size);
        SceneGenerator g = root.cli.catalog().sceneGenerator(generator).orElseThrow(
                () -> new UserInputException("unknown scene generator '" + generator + "'"));
        ConsoleProgress progress = root.cli.progress();
        g.write(out, new SceneSpec(seed, frames, wh[0], wh[1], options), progress);
        if (root.json) {
            root.cli.out().print(Json.toJson(Map.of("folder", out.toString(), "frames", frames, "width", wh[0],
                    "height", wh[1], "seed", seed)));
        } else {
            root.cli.out().println("wrote " + frames + " frames of " + wh[0] + "x" + wh[1] + " to " + out);
        }
        return Cli.OK;
    }

    static int[] parseSize(String size) {
        String[] p = size.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int w = Integer.parseInt(p[0].trim());
                int h = Integer.parseInt(p[1].trim());
                if (w >= 8 && h >= 8 && w <= 8192 && h <= 8192) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new UserInputException("--size must be WIDTHxHEIGHT between 8 and 8192, got '" + size + "'");
    }
}
