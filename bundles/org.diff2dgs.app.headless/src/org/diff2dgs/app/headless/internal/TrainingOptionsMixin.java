package org.diff2dgs.app.headless.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.RecordOverrides;
import org.diff2dgs.train.api.TrainOptions;

import picocli.CommandLine.Option;

/** Stage 2 options shared by run and train: a preset plus named overrides. */
final class TrainingOptionsMixin {

    @Option(names = "--preset", description = "Schedule preset: published (3000 iterations, the public Diff2DGS "
            + "defaults) or cpu (1000 iterations, sized for a laptop). Default: cpu on the CPU backend, else published.")
    String preset;

    @Option(names = "--iterations", description = "Training iterations (overrides the preset).")
    Integer iterations;

    @Option(names = "--seed", description = "Training seed (default 6666).")
    Long seed;

    @Option(names = "--deformation", description = "Deformation model: gaussian-basis (default), gaussian-basis-smooth, mlp, or a lab's model (see d2dgs info).")
    String deformation;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any training option, e.g. --set "
            + "normalWeight=0 --set depthWeighting=fixed (see docs/reconstruction.md for the list).")
    Map<String, String> set = new LinkedHashMap<>();

    TrainOptions toOptions(boolean cpu) {
        String p = preset == null ? (cpu ? "cpu" : "published") : preset;
        TrainOptions o = TrainOptions.preset(p);
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (iterations != null) {
            overrides.put("iterations", iterations);
        }
        if (seed != null) {
            overrides.put("seed", seed);
        }
        if (deformation != null) {
            overrides.put("deformationModel", deformation);
        }
        o = o.with(overrides);
        for (Map.Entry<String, String> e : set.entrySet()) {
            o = RecordOverrides.apply(o, e.getKey(), e.getValue(), "training");
        }
        return o;
    }
}
