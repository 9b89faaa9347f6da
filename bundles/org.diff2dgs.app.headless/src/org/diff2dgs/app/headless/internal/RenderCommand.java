package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** One view of a trained scene at any time: colour, depth and normals as PNG. */
@Command(mixinStandardHelpOptions = true, name = "render", description = "Render a trained run at time t (colour, depth, normal PNGs).")
final class RenderCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<run>", description = "Run folder.")
    Path run;

    @Option(names = "--time", required = true, description = "Normalized time in [0, 1].")
    double time;

    /** Null: the frame nearest to the time (the pipeline's -1). */
    @Option(names = "--camera", description = "Use the camera of this frame index (default: the frame nearest to the "
            + "time).")
    Integer camera;

    @Option(names = "--out", description = "Output prefix (default: <run>/renders/view-t<time>).")
    Path out;

    @Option(names = "--backend", description = BackendChoice.DESCRIPTION)
    String backend;

    @Override
    public Integer call() {
        if (camera != null && camera < 0) {
            // -5 silently meant "the nearest frame" before
            throw new org.diff2dgs.core.api.UserInputException("--camera must be a frame index >= 0, got " + camera);
        }
        Path prefix = out != null ? out
                : run.resolve("renders").resolve(String.format(java.util.Locale.ROOT, "view-t%.3f", time));
        noteIfUnfinished(root.cli, run);
        List<Path> files = root.cli.service(Pipeline.class).render(run, time, camera == null ? -1 : camera, prefix,
                BackendChoice.resolve(root.cli, backend));
        if (root.json) {
            root.cli.out().print(Json.toJson(files.stream().map(Path::toString).toList()));
        } else {
            files.forEach(f -> root.cli.out().println("wrote " + f));
        }
        return Cli.OK;
    }

    /** A render or snapshot of a training that has not finished says so (stderr): it shows a checkpoint. */
    static void noteIfUnfinished(Cli cli, Path run) {
        String unfinished = cli.service(Pipeline.class).unfinishedTraining(run);
        if (unfinished != null) {
            cli.err().println("d2dgs: " + unfinished);
        }
    }
}
