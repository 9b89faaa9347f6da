package org.diff2dgs.inpaint.diffusion.internal;

import org.diff2dgs.core.api.UserInputException;

/**
 * The few-step sampling schedule of the published inpainter: a trajectory-consistency (TCD) scheduler over the
 * Stable Diffusion 1.5 noise schedule, as the phased-consistency (PCM) LoRA expects.
 * <p>
 * Published values (inpainting/diffueraser.py:235-241, the TCDScheduler(...) of DiffuEraser.__init__): 1000
 * training steps, scaled-linear betas from 0.00085 to 0.012, trailing spacing; PCM checkpoint "2-Step" by default
 * (inpainting/run.py:32; diffueraser.py:28 gives it 2 steps, and :243 sets guidance 0). The scheduler keeps its own defaults for the rest (diffusers 0.29.2, requirements.txt):
 * original_inference_steps 50, prediction type epsilon, set_alpha_to_one; the pipeline passes eta = 0 (its
 * {@code __call__} default), so every step is deterministic.
 * <p>
 * Timesteps (TCD paper, Zheng et al. 2024, sec. 4.2): the distillation grid is {@code k*j - 1}, j = 1..50, k = 1000/50;
 * the n inference timesteps are that grid reversed, sampled at indices floor(i * 50 / n), i = 0..n-1. For 2 steps:
 * 999, 499; for 4: 999, 759, 499, 259.
 * <p>
 * One step from timestep t to s (s = the next timestep, 0 after the last), epsilon prediction, eta = 0:
 * {@code x0 = (x - sqrt(1 - abar_t) eps) / sqrt(abar_t)}, {@code x_s = sqrt(abar_s) x0 + sqrt(1 - abar_s) eps},
 * i.e. {@code x_s = a x + b eps} with the coefficients of {@link #stepCoefficients(int)}.
 */
public final class TcdSchedule {

    public static final int TRAIN_STEPS = 1000;
    public static final double BETA_START = 0.00085;
    public static final double BETA_END = 0.012;
    public static final int ORIGINAL_STEPS = 50;
    public static final int PUBLISHED_STEPS = 2;

    private final double[] alphaBar = new double[TRAIN_STEPS];
    private final int[] timesteps;

    public TcdSchedule(int steps) {
        if (steps < 1 || steps > ORIGINAL_STEPS) {
            throw new UserInputException("diffusion: steps must be 1.." + ORIGINAL_STEPS + " (the consistency "
                    + "schedule has " + ORIGINAL_STEPS + " distillation steps), got " + steps);
        }
        // scaled linear: betas are squares of a linear ramp between the square roots (the latent-diffusion schedule)
        double r0 = Math.sqrt(BETA_START);
        double r1 = Math.sqrt(BETA_END);
        double product = 1;
        for (int t = 0; t < TRAIN_STEPS; t++) {
            double r = r0 + (r1 - r0) * t / (TRAIN_STEPS - 1);
            product *= 1 - r * r;
            alphaBar[t] = product;
        }
        int k = TRAIN_STEPS / ORIGINAL_STEPS;
        timesteps = new int[steps];
        for (int i = 0; i < steps; i++) {
            int index = (int) Math.floor(i * (double) ORIGINAL_STEPS / steps);
            // reversed grid: position 0 is j = 50, i.e. timestep 50k - 1
            timesteps[i] = (ORIGINAL_STEPS - index) * k - 1;
        }
    }

    public int steps() {
        return timesteps.length;
    }

    /** The timestep of step i (descending). */
    public int timestep(int i) {
        return timesteps[i];
    }

    public int[] timesteps() {
        return timesteps.clone();
    }

    /** The cumulative product of (1 - beta) up to training step t. */
    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** The timestep step i lands on: the next timestep, or 0 after the last step (as the TCD scheduler does). */
    public int target(int i) {
        return i + 1 < timesteps.length ? timesteps[i + 1] : 0;
    }

    /** {a, b} with {@code x_next = a x + b eps} for step i. */
    public double[] stepCoefficients(int i) {
        double at = alphaBar[timesteps[i]];
        double as = alphaBar[target(i)];
        double a = Math.sqrt(as / at);
        double b = Math.sqrt(1 - as) - Math.sqrt(as) * Math.sqrt(1 - at) / Math.sqrt(at);
        return new double[] {a, b};
    }

    /**
     * {signal, noise} weights that bring a clean latent to the noise level of the first timestep:
     * {@code sqrt(abar) z + sqrt(1 - abar) eps}. The published pipeline noises the prior's latents this way before
     * sampling (diffueraser.py:338 and :383, {@code noise_scheduler.add_noise(latents, noise, timesteps)} with
     * timesteps = [0] from :322, on the UniPC scheduler of :218 that has not been given a schedule yet; as we read
     * diffusers 0.29.2, its index lookup of timestep 0 on the initial descending grid 999..0 lands on position 999,
     * and its sigmas are indexed by training step, so the noise level is that of step 999, the first sampling
     * timestep).
     */
    public double[] priorNoising() {
        double a = alphaBar[timesteps[0]];
        return new double[] {Math.sqrt(a), Math.sqrt(1 - a)};
    }
}
