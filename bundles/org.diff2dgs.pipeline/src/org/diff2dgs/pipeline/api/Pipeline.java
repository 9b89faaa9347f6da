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

    /** Evaluates (again) a finished training run; returns the metric table. */
    String evaluate(Path runFolder, List<String> protocols, List<String> metrics, String backend, Progress progress);
}
