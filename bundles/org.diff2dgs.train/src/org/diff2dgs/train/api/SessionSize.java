package org.diff2dgs.train.api;

import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;

/**
 * The size of a training run as known before it starts (no initialization yet), so each {@link TrainingBackend} can
 * state its {@link MemoryNeeds} at the surfel cap.
 *
 * @param sequence         the clip, every frame loaded
 * @param options          the run's options ({@link TrainOptions#maxSurfels()} is the cap)
 * @param deformationModel the deformation family
 * @param floatsPerSurfel  learnable floats per surfel: position 3, rotation 4, log-scale 2, opacity 1, SH 3 x K and
 *                         the deformation model's per-surfel tensors
 * @param sharedFloats     learnable floats independent of the surfel count (e.g. MLP weights)
 * @param instrumentsMasked whether the losses leave out the pixels under instruments
 *                         ({@link TrainRequest#masksInstruments()}): then every training frame with an instrument mask
 *                         gets a loss mask
 */
public record SessionSize(Sequence sequence, TrainOptions options, DeformationModel deformationModel,
        long floatsPerSurfel, long sharedFloats, boolean instrumentsMasked) {

    /** With instruments masked (frames that show them, as {@link TrainRequest#masksInstruments()} for a source clip). */
    public SessionSize(Sequence sequence, TrainOptions options, DeformationModel deformationModel,
            long floatsPerSurfel, long sharedFloats) {
        this(sequence, options, deformationModel, floatsPerSurfel, sharedFloats, true);
    }

    public int surfelCap() {
        return options.maxSurfels();
    }

    /** The frames training draws (the split's training frames, each once, in the split's order). */
    public int[] trainFrames() {
        return java.util.Arrays.stream(sequence.split().train()).distinct().toArray();
    }

    /** Whether the session gets a loss mask for {@code frame} (one channel, as the trainer makes it). */
    public boolean hasLossMask(Frame frame) {
        return instrumentsMasked && frame.instrumentMask() != null;
    }

    /** Pixels of one frame. */
    public long pixels() {
        return (long) sequence.width() * sequence.height();
    }

    /**
     * Bytes of the loaded frames as the host holds them (images, depths, instrument masks, ground truth where the
     * dataset has it) plus one loss mask per frame.
     */
    public long frameBytes() {
        long bytes = 0;
        for (Frame f : sequence.frames()) {
            bytes += bytes(f.image()) + bytes(f.depth()) + bytes(f.instrumentMask()) + bytes(f.truthImage())
                    + bytes(f.truthDepth()) + 4L * f.image().pixels();
        }
        return bytes;
    }

    /**
     * Bytes per surfel of one {@link TrainingSession#state()} copy: value and both Adam moments of every learnable
     * float plus the 3 density statistics (what a GPU session brings to the host at a checkpoint).
     */
    public long stateBytesPerSurfel() {
        return 4 * (3 * floatsPerSurfel + 3);
    }

    private static long bytes(FloatImage im) {
        return im == null ? 0 : 4L * im.data().length;
    }
}
