package org.diff2dgs.train.api;

import java.util.Map;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.Camera;

/**
 * One training run's tensors where the backend keeps them (for a GPU: resident in device memory) and the work on
 * them. The Trainer owns the schedule and calls, per iteration, {@link #iterate}, then on its cadences
 * {@link #densifyAndPrune} and {@link #resetOpacity}; only scalars cross back per call. Tensors reach the host only
 * through {@link #state()} (checkpoints, the end) and {@link #render} (previews). Not thread-safe: one caller.
 */
public interface TrainingSession extends AutoCloseable {

    /** Human-readable device, e.g. "2 cores, Java 25" or "NVIDIA H100 80GB HBM3". */
    String device();

    /** Surfels now (changes only in {@link #densifyAndPrune}). */
    int surfelCount();

    /**
     * One whole iteration on {@code plan.frame()}: deform, shade, rasterize, losses, backward to every learnable
     * tensor, set the learning rates, then an Adam step ({@code plan.step()}) or only clearing the gradients, and
     * adding this iteration's screen-space gradients and radii to the density statistics
     * ({@code plan.accumulateStatistics()}).
     */
    IterationResult iterate(IterationPlan plan);

    /**
     * Adaptive density control with the options' thresholds, the spec's extent and surfel cap: clone, split (child
     * positions drawn from {@code seed}), prune; resets the statistics. {@code pruneLarge}: also prune surfels too
     * large in the world or on screen (after the first opacity reset). When it would prune every surfel it returns a
     * result with {@code surfels() == 0} and leaves the session as it was (no tensor is rebuilt to zero rows): the
     * Trainer then stops the run with the iteration and the thresholds.
     */
    DensifyResult densifyAndPrune(boolean pruneLarge, long seed);

    /** Caps every opacity at 0.01 and restarts the opacities' Adam moments (3DGS opacity reset). */
    void resetOpacity();

    /**
     * Every tensor of the session on the host, as a checkpoint stores it. A backend may hand out views of its own
     * arrays (the CPU one does): they stay valid until the next call that changes the session.
     */
    SessionState state();

    /**
     * True when {@link #state()} returns copies that later calls never change (a GPU backend downloads them), so a
     * checkpoint can be written while training goes on; false (the default) for views of live arrays.
     */
    default boolean stateIsSnapshot() {
        return false;
    }

    /**
     * Renders the current surfels at a camera and normalized time with SH up to {@code activeSh}, the spec's near and
     * far planes and a black background (previews during training; no gradients, no statistics).
     */
    RenderOutput render(Camera camera, double time, int activeSh);

    /**
     * Seconds spent so far per stage, in this order: deform (deformation, activations, SH), render (rasterizer
     * forward), loss (losses, their image gradients, PSNR), backward (rasterizer backward and the chain to the
     * parameters), step (Adam), densify (statistics, density control, opacity reset). A GPU backend measures with
     * events, without a synchronization per stage unless asked. A backend may add entries after these six (the CUDA
     * one: "host", the host's own time in iterate, launches included; "wait", the host waiting for the loss scalars):
     * a device that waits on the host shows as a small wait.
     */
    Map<String, Double> stageSeconds();

    /** Frees what the session holds (device memory, pinned buffers); idempotent. */
    @Override
    void close();
}
