package org.diff2dgs.app.headless.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Stage 2 alone on a dataset, into a run folder that render and eval understand. */
@Command(mixinStandardHelpOptions = true, name = "train", description = "Train the deformable surfels on a dataset (prepare + train stages).")
final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<dataset>", description = "Dataset folder.")
    Path dataset;

    @Option(names = "--out", required = true, description = "Run folder.")
    Path out;

    @Option(names = "--backend", description = BackendChoice.DESCRIPTION)
    String backend;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in the run folder.")
    boolean resume;

    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "2", description = "Checkpoints kept on "
            + "disk, newest first (default: ${DEFAULT-VALUE}, the newest and one to fall back on).")
    int keepCheckpoints;

    @Option(names = "--inpaint", paramLabel = "METHOD", description = "Stage 1 before training: propagate (default "
            + "when the clip has instrument masks), diffusion, oracle, none.")
    String inpaint;

    @Mixin
    ReadOptionsMixin read;

    @Mixin
    InpaintOptionsMixin inpaintOptions;

    @Mixin
    TrainingOptionsMixin training;

    @Override
    public Integer call() {
        Path latest = out.resolve("train").resolve("checkpoints").resolve("latest.json");
        if (Files.exists(latest) && !resume) {
            throw new UserInputException(out, "this run folder already has training checkpoints: add --resume to "
                    + "continue, or use another --out folder");
        }
        ComputeBackend chosen = BackendChoice.choose(root.cli, backend);
        boolean cpu = chosen.name().equals("cpu");
        RunRequest req = new RunRequest(dataset, read.format, new SceneSpec(0, 1, 8, 8, Map.of()), out,
                read.toReadOptions(), training.toOptions(cpu), ComputeBackend.isAuto(backend) ? backend : chosen.name(),
                null, Stages.TRAIN, Set.of(), false, List.of(), List.of(), KeepCheckpoints.check(keepCheckpoints), inpaint, inpaintOptions.toOptions());
        RunReport report = root.cli.service(Pipeline.class).run(req, root.cli.progress());
        if (root.json) {
            root.cli.out().print(Json.toJson(report.summary()));
        } else {
            // run.json numbers come back from JSON as doubles: print counts as the integers they are
            root.cli.out().println("trained: " + count(report.summary().get("surfels")) + " surfels, "
                    + count(report.summary().get("iterations")) + " iterations in " + out);
        }
        return Cli.OK;
    }

    static String count(Object n) {
        return n instanceof Number v && v.doubleValue() == Math.rint(v.doubleValue()) ? Long.toString(v.longValue())
                : String.valueOf(n);
    }
}
