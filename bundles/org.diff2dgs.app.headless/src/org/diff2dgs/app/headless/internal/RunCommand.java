package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The main job: one staged run (prepare, train, render, evaluate) into a run folder, resumable. */
@Command(mixinStandardHelpOptions = true, name = "run", description = {"Prepare (or synthesize), train, render and evaluate in one resumable run.",
        "Without a dataset it synthesizes the built-in scene (small on the CPU, full size on a GPU)."})
final class RunCommand implements Callable<Integer> {

    static final String CPU_SIZE = SceneSpec.CPU_SIZE;
    static final int CPU_FRAMES = SceneSpec.CPU_FRAMES;
    static final String FULL_SIZE = SceneSpec.FULL_SIZE;
    static final int FULL_FRAMES = SceneSpec.FULL_FRAMES;

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<dataset>", description = "Dataset folder (default: the "
            + "built-in synthetic scene).")
    Path dataset;

    @Option(names = "--out", required = true, description = "Run folder.")
    Path out;

    @Option(names = "--backend", description = BackendChoice.DESCRIPTION)
    String backend;

    @Option(names = "--from-stage", description = "Rerun from this stage: prepare, inpaint, train, render, evaluate.")
    String fromStage;

    @Option(names = "--to-stage", description = "Stop after this stage.")
    String toStage;

    @Option(names = "--force", description = "Rerun this stage (and invalidate the later ones); repeatable.")
    List<String> force = new ArrayList<>();

    @Option(names = "--export-ply", description = "Also write one PLY of the deformed surfels per frame.")
    boolean exportPly;

    @Option(names = "--no-snapshots", description = "Skip the 3D snapshots of the surfels (renders/3d/, offscreen "
            + "OpenGL) in the render stage.")
    boolean noSnapshots;

    @Option(names = "--protocol", description = "Evaluation protocol (repeatable): any installed one (`d2dgs info` "
            + "lists them; built in: deform3dgs, diff2dgs-code, masked-mean, occluded, visible-truth). Default: "
            + "deform3dgs, masked-mean, occluded.")
    List<String> protocols = new ArrayList<>();

    @Option(names = "--metric", description = "Metric (repeatable); default: every available one.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--size", description = "Synthetic scene size WxH (default " + CPU_SIZE + " on the CPU, "
            + FULL_SIZE + " otherwise).")
    String size;

    @Option(names = "--frames", description = "Synthetic scene frames (default " + CPU_FRAMES + " on the CPU, "
            + FULL_FRAMES + " otherwise).")
    Integer frames;

    @Option(names = "--scene-seed", defaultValue = "" + SceneSpec.DEFAULT_SEED, description = "Synthetic scene seed.")
    long sceneSeed;

    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "2", description = "Training checkpoints "
            + "kept on disk, newest first (default: ${DEFAULT-VALUE}, the newest and one to fall back on).")
    int keepCheckpoints;

    @Option(names = "--inpaint", paramLabel = "METHOD", description = "Stage 1: propagate (default when the clip "
            + "has instrument masks), diffusion, oracle (synthetic scenes with gt/: the true tissue), none (train on "
            + "the raw frames, instrument pixels excluded).")
    String inpaint;

    @Mixin
    ReadOptionsMixin read;

    @Mixin
    InpaintOptionsMixin inpaintOptions;

    @Mixin
    TrainingOptionsMixin training;

    @Override
    public Integer call() {
        ComputeBackend chosen = BackendChoice.choose(root.cli, backend);
        // auto (or none) goes on as such: the training stage falls back to the CPU only for an automatic choice
        String backendName = ComputeBackend.isAuto(backend) ? backend : chosen.name();
        boolean cpu = chosen.name().equals("cpu");
        int[] wh = SynthCommand.parseSize(size != null ? size : cpu ? CPU_SIZE : FULL_SIZE);
        int n = frames != null ? frames : cpu ? CPU_FRAMES : FULL_FRAMES;
        SceneSpec spec = new SceneSpec(sceneSeed, n, wh[0], wh[1], Map.of());
        Pipeline pipeline = root.cli.service(Pipeline.class);
        Set<String> forced = new LinkedHashSet<>(force);
        RunRequest req = new RunRequest(dataset, read.format, spec, out, read.toReadOptions(),
                training.toOptions(cpu), backendName, fromStage, toStage, forced, exportPly, protocols, metrics,
                KeepCheckpoints.check(keepCheckpoints), inpaint, inpaintOptions.toOptions(), !noSnapshots);
        if (dataset == null && cpu && !root.json) {
            root.cli.err().println("d2dgs: CPU run of the built-in scene at " + wh[0] + "x" + wh[1] + ", " + n
                    + " frames, " + req.training().iterations() + " iterations. Full size: d2dgs run --out DIR --size "
                    + FULL_SIZE + " --frames " + FULL_FRAMES + " --preset published (on a GPU)");
        }
        ConsoleProgress progress = root.cli.progress();
        RunReport report = pipeline.run(req, progress);
        print(report);
        return Cli.OK;
    }

    private void print(RunReport r) {
        var o = root.cli.out();
        if (root.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("runFolder", r.runFolder().toString());
            j.put("ran", r.ran());
            j.put("skipped", r.skipped());
            j.put("summary", r.summary());
            j.put("metrics", r.runFolder().resolve("metrics.json").toString());
            o.print(Json.toJson(j));
            return;
        }
        o.println("run folder: " + r.runFolder());
        o.println("stages run: " + (r.ran().isEmpty() ? "none" : String.join(", ", r.ran()))
                + (r.skipped().isEmpty() ? "" : "; already done: " + String.join(", ", r.skipped())));
        if (!r.metricTable().isEmpty()) {
            o.println();
            o.print(r.metricTable());
        }
    }
}
