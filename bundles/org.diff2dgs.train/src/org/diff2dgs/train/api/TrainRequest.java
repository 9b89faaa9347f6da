package org.diff2dgs.train.api;

import java.nio.file.Path;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.model.Sequence;

/**
 * One training run.
 *
 * @param sequence      the clip (inpainted or not)
 * @param inpainted     true when instrument pixels were restored (then they take part in the losses)
 * @param options       schedule and loss weights
 * @param backend       where rendering runs
 * @param checkpoints   folder of checkpoints; training resumes from the newest one found there
 * @param trainingLog   CSV of the training curve (iteration, losses, PSNR, surfels, time)
 * @param keepCheckpoints how many of the newest checkpoints stay on disk (0: the default, 2)
 * @param autoBackend   true when the installation chose {@code backend} ({@code --backend auto} or none): when its
 *                      training backend refuses the run (no kernels for the deformation model, no GPU, ...) the run
 *                      trains on "cpu" and the result says why; false (a backend named by the user): a refusal is a
 *                      user error
 */
public record TrainRequest(Sequence sequence, boolean inpainted, TrainOptions options, ComputeBackend backend,
        Path checkpoints, Path trainingLog, int keepCheckpoints, boolean autoBackend) {

    public TrainRequest {
        if (keepCheckpoints < 0) {
            throw new org.diff2dgs.core.api.UserInputException("--keep-checkpoints must be at least 1, got "
                    + keepCheckpoints);
        }
    }

    /**
     * Whether the losses leave out the pixels under instruments (each frame's instrument mask, where it has one):
     * always on frames that still show instruments, on inpainted ones only when {@link TrainOptions#maskInstruments()}.
     */
    public boolean masksInstruments() {
        return options.maskInstruments() || !inpainted;
    }

    /** On a backend the user named. */
    public TrainRequest(Sequence sequence, boolean inpainted, TrainOptions options, ComputeBackend backend,
            Path checkpoints, Path trainingLog, int keepCheckpoints) {
        this(sequence, inpainted, options, backend, checkpoints, trainingLog, keepCheckpoints, false);
    }

    /** On a backend the user named, keeping the default number of checkpoints. */
    public TrainRequest(Sequence sequence, boolean inpainted, TrainOptions options, ComputeBackend backend,
            Path checkpoints, Path trainingLog) {
        this(sequence, inpainted, options, backend, checkpoints, trainingLog, 0, false);
    }
}
