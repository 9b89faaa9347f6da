package org.diff2dgs.pipeline.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.train.api.TrainOptions;

/**
 * One staged run.
 *
 * @param dataset    dataset folder, or null to synthesize {@code synthetic} into the run folder
 * @param format     dataset format, or null to detect
 * @param synthetic  the scene to synthesize when {@code dataset} is null
 * @param runFolder  where everything goes
 * @param read       dataset reading choices
 * @param training   stage 2 options
 * @param backend    compute backend name, or null or "auto" for the best available (whose training falls back to
 *                   "cpu" when it refuses the run)
 * @param fromStage  first stage to (re)run, or null to continue where the run stopped
 * @param toStage    last stage to run, or null for all
 * @param force      stages to rerun; every later stage is invalidated too
 * @param exportPly  also write one PLY of the deformed surfels per frame
 * @param protocols  evaluation protocols, empty for the defaults
 * @param metrics    metric names, empty for all available
 * @param keepCheckpoints how many of the newest training checkpoints stay on disk (0: the default, 2)
 * @param inpaint    stage-1 method: an Inpainter name ("propagate", "diffusion", "oracle", ...), "none", or null for
 *                   the default (propagate when the clip has instrument pixels, else none)
 * @param inpaintOptions options of the stage-1 method, null for {@link InpaintOptions#defaults()}
 * @param snapshots  the render stage also takes 3D snapshots of the surfels into renders/3d/ (offscreen OpenGL); a
 *                   machine without it records why and goes on
 */
public record RunRequest(Path dataset, String format, SceneSpec synthetic, Path runFolder, ReadOptions read,
        TrainOptions training, String backend, String fromStage, String toStage, Set<String> force,
        boolean exportPly, List<String> protocols, List<String> metrics, int keepCheckpoints, String inpaint,
        InpaintOptions inpaintOptions, boolean snapshots) {

    public RunRequest {
        force = Set.copyOf(force);
        protocols = List.copyOf(protocols);
        metrics = List.copyOf(metrics);
        inpaintOptions = inpaintOptions == null ? InpaintOptions.defaults() : inpaintOptions;
    }

    /** With 3D snapshots. */
    public RunRequest(Path dataset, String format, SceneSpec synthetic, Path runFolder, ReadOptions read,
            TrainOptions training, String backend, String fromStage, String toStage, Set<String> force,
            boolean exportPly, List<String> protocols, List<String> metrics, int keepCheckpoints, String inpaint,
            InpaintOptions inpaintOptions) {
        this(dataset, format, synthetic, runFolder, read, training, backend, fromStage, toStage, force, exportPly,
                protocols, metrics, keepCheckpoints, inpaint, inpaintOptions, true);
    }

    /** The same request with 3D snapshots switched on or off. */
    public RunRequest withSnapshots(boolean on) {
        return new RunRequest(dataset, format, synthetic, runFolder, read, training, backend, fromStage, toStage,
                force, exportPly, protocols, metrics, keepCheckpoints, inpaint, inpaintOptions, on);
    }

    /** The default stage-1 method and options. */
    public RunRequest(Path dataset, String format, SceneSpec synthetic, Path runFolder, ReadOptions read,
            TrainOptions training, String backend, String fromStage, String toStage, Set<String> force,
            boolean exportPly, List<String> protocols, List<String> metrics, int keepCheckpoints) {
        this(dataset, format, synthetic, runFolder, read, training, backend, fromStage, toStage, force, exportPly,
                protocols, metrics, keepCheckpoints, null, null);
    }

    /** Keeping the default number of checkpoints. */
    public RunRequest(Path dataset, String format, SceneSpec synthetic, Path runFolder, ReadOptions read,
            TrainOptions training, String backend, String fromStage, String toStage, Set<String> force,
            boolean exportPly, List<String> protocols, List<String> metrics) {
        this(dataset, format, synthetic, runFolder, read, training, backend, fromStage, toStage, force, exportPly,
                protocols, metrics, 0);
    }
}
