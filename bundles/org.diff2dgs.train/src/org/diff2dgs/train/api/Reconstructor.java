package org.diff2dgs.train.api;

import java.nio.file.Path;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.Camera;

/** Stage 2: fits deformable 2D Gaussian surfels to a clip, and renders the result at any camera and time. */
public interface Reconstructor {

    /** Trains, resuming inside the schedule from the newest checkpoint in the request's folder. */
    TrainResult train(TrainRequest request, Progress progress);

    /** Loads the newest checkpoint of a checkpoint folder. */
    SceneState load(Path checkpoints);

    /** Renders the scene at normalized time t from a camera (background black, near/far from the options). */
    RenderOutput render(SceneState scene, Camera camera, double time, Rasterizer rasterizer);
}
