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

    /**
     * What makes the newest checkpoint of a folder unusable (a cut tensor, a missing file, a bad meta.json), naming
     * the file; empty when it is complete or there is none. Training falls back past such a checkpoint by itself.
     */
    default java.util.Optional<String> checkpointProblem(Path checkpoints) {
        return java.util.Optional.empty();
    }

    /** Renders the scene at normalized time t from a camera (background black, the near/far it was trained with). */
    RenderOutput render(SceneState scene, Camera camera, double time, Rasterizer rasterizer);
}
