package org.diff2dgs.inpaint.diffusion.internal;

import org.diff2dgs.core.api.Progress;

/**
 * The sampling loop over a whole clip: at every step each window of frames goes through the denoiser, its latents are
 * advanced one TCD step ({@link TcdSchedule#stepCoefficients}), and the windows' results are blended into one latent
 * per frame ({@link WindowPlan}); even steps use the regular partition, odd steps the swapped one (as published,
 * pipeline_diffueraser.py, the denoising loop of {@code __call__}). No classifier-free guidance: the published
 * pipeline forces guidance 0 (diffueraser.py, end of DiffuEraser.__init__), so one denoiser call per window and step.
 */
public final class VideoSampler {

    /** Wall time spent inside the denoiser and in total, for the overhead figure of the docs. */
    public static final class Timing {
        public long denoiserNanos;
        public long totalNanos;
        public int windowCalls;
    }

    private final TcdSchedule schedule;
    private final int windowFrames;
    private final int overlap;

    public VideoSampler(TcdSchedule schedule, int windowFrames, int overlap) {
        this.schedule = schedule;
        this.windowFrames = windowFrames;
        this.overlap = overlap;
    }

    /**
     * Runs all steps in place.
     *
     * @param latents   per frame the noisy latent [C*h*w] at the first timestep; replaced by the result
     * @param condition per frame the BrushNet condition [(C+1)*h*w]
     */
    public void sample(float[][] latents, float[][] condition, Denoiser denoiser, Progress progress, Timing timing) {
        long started = System.nanoTime();
        int n = latents.length;
        int latentSize = latents[0].length;
        int conditionSize = condition[0].length;
        WindowPlan[] plans = {WindowPlan.of(n, windowFrames, overlap, false),
                WindowPlan.of(n, windowFrames, overlap, true)};
        float[] sample = new float[windowFrames * latentSize];
        float[] cond = new float[windowFrames * conditionSize];
        for (int i = 0; i < schedule.steps(); i++) {
            int t = schedule.timestep(i);
            double[] ab = schedule.stepCoefficients(i);
            float a = (float) ab[0];
            float b = (float) ab[1];
            double[][] next = new double[n][latentSize];
            for (WindowPlan.Window window : plans[i % 2].windows()) {
                progress.checkCancelled();
                int[] frames = window.frames();
                for (int k = 0; k < frames.length; k++) {
                    System.arraycopy(latents[frames[k]], 0, sample, k * latentSize, latentSize);
                    System.arraycopy(condition[frames[k]], 0, cond, k * conditionSize, conditionSize);
                }
                long before = System.nanoTime();
                float[] eps = denoiser.predictNoise(sample, t, cond);
                if (timing != null) {
                    timing.denoiserNanos += System.nanoTime() - before;
                    timing.windowCalls++;
                }
                for (int k = 0; k < frames.length; k++) {
                    double w = window.weights()[k];
                    if (w == 0) {
                        continue;
                    }
                    double[] target = next[frames[k]];
                    int off = k * latentSize;
                    for (int j = 0; j < latentSize; j++) {
                        target[j] += w * (a * sample[off + j] + b * eps[off + j]);
                    }
                }
                progress.worked(1, "step " + (i + 1) + "/" + schedule.steps() + ", t=" + t);
            }
            for (int f = 0; f < n; f++) {
                for (int j = 0; j < latentSize; j++) {
                    latents[f][j] = (float) next[f][j];
                }
            }
        }
        if (timing != null) {
            timing.totalNanos += System.nanoTime() - started;
        }
    }

    /** Denoiser calls for a clip of n frames (for progress totals). */
    public int windowCalls(int n) {
        int calls = 0;
        for (int i = 0; i < schedule.steps(); i++) {
            calls += WindowPlan.of(n, windowFrames, overlap, i % 2 == 1).windows().size();
        }
        return calls;
    }
}
