package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * A 3D picture of a trained run at any time, drawn offscreen (EGL: no display needed), from the eye of the run's own
 * snapshots in renders/3d/. Exit 1 with the reason where the machine has no usable OpenGL.
 */
@Command(mixinStandardHelpOptions = true, name = "snapshot", description = {
        "Take a 3D snapshot of a trained run's surfels at time t (offscreen OpenGL, no display needed).",
        "The eye stands beside the first camera, turned around the scene, as for the run's renders/3d/ pictures."})
final class SnapshotCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<run>", description = "Run folder with a trained model.")
    Path run;

    @Option(names = "--time", required = true, description = "Normalized time in [0, 1].")
    double time;

    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;

    @Option(names = "--mode", defaultValue = "color", description = "color, depth or normal (default: "
            + "${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--size", paramLabel = "WxH", description = "Picture size (default: the first camera's aspect, "
            + "320 to 640 pixels wide).")
    String size;

    @Override
    public Integer call() {
        int[] wh = size == null ? new int[] {0, 0} : SynthCommand.parseSize(size);
        RenderCommand.noteIfUnfinished(root.cli, run);
        Path written = root.cli.service(Pipeline.class).snapshot(run, time, mode, wh[0], wh[1], out);
        if (root.json) {
            root.cli.out().print(Json.toJson(Map.of("file", written.toString(), "time", time, "mode", mode)));
        } else {
            root.cli.out().println("wrote " + written);
        }
        return Cli.OK;
    }
}
