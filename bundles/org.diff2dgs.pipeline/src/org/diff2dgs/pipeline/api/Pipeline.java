package org.diff2dgs.pipeline.api;

import java.nio.file.Path;
import java.util.List;

import org.diff2dgs.core.api.Progress;

/** The one-command staged run: prepare, (inpaint), train, render, evaluate, with a state file and resume. */
public interface Pipeline {

    RunReport run(RunRequest request, Progress progress);

    /**
     * Renders a trained run at normalized time t from the camera of frame {@code cameraFrame} (-1: the frame nearest
     * to t) and writes {@code <outPrefix>.color.png}, {@code .normal.png} and the depth as {@code .depth.npy} (exact),
     * {@code .depth.png} (16 bit, scale chosen from the range and recorded in {@code .depth.json}) and
     * {@code .depth-view.png} (colour-mapped); returns the files written.
     */
    List<Path> render(Path runFolder, double time, int cameraFrame, Path outPrefix, String backend);

    /**
     * A 3D picture of a trained run's surfels at normalized time t, drawn offscreen by the viewer (no display needed),
     * from the eye of the run's own snapshots (beside the first camera, turned around the scene) and written as PNG.
     *
     * @param mode   "color", "depth" or "normal"
     * @param width  picture width in pixels, 0 (with height 0) for the default (the first camera's aspect)
     * @param height picture height in pixels
     * @return the file written
     * @throws org.diff2dgs.core.api.UserInputException when the run has no trained model, the viewer bundle is not
     *         installed or the machine has no usable offscreen OpenGL, with the reason on one line
     */
    Path snapshot(Path runFolder, double time, String mode, int width, int height, Path out);

    /** Why this installation cannot take 3D snapshots (no viewer bundle, no offscreen OpenGL), or null when it can. */
    String snapshotsUnavailableReason();

    /**
     * Null when the run's training finished; else one line saying that {@link #render} and {@link #snapshot} will
     * show its newest checkpoint (a run stopped or still training), so that a preview is never taken for the result.
     */
    default String unfinishedTraining(Path runFolder) {
        return null;
    }

    /** Evaluates (again) a finished training run; returns the metric table. */
    String evaluate(Path runFolder, List<String> protocols, List<String> metrics, String backend, Progress progress);
}
