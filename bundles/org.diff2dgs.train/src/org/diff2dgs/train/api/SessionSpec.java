package org.diff2dgs.train.api;

import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Sequence;

/**
 * What a {@link TrainingBackend} needs to open a {@link TrainingSession}.
 *
 * @param sequence         the clip: images, depths, cameras and times of every frame
 * @param trainFrames      indices of the frames training may draw (the split's train set)
 * @param lossMasks        per frame index, 1 where a pixel counts in the losses (tissue), 0 under instruments; an
 *                         entry is null when every pixel counts
 * @param options          loss weights, learning rates, Adam constants, density-control thresholds, surfel cap,
 *                         near/far planes
 * @param start            the tensors to start from: a fresh initialization (empty optimizer and statistics) or a
 *                         checkpoint
 * @param deformationModel the deformation family of {@code start.deformation()}
 * @param extent           scene radius used by density control (split vs clone, pruning of large surfels)
 */
public record SessionSpec(Sequence sequence, int[] trainFrames, FloatImage[] lossMasks, TrainOptions options,
        SessionState start, DeformationModel deformationModel, double extent) {

    public SessionSpec {
        if (lossMasks.length != sequence.size()) {
            throw new IllegalArgumentException("one loss mask entry per frame: " + lossMasks.length + " for "
                    + sequence.size() + " frames");
        }
    }
}
