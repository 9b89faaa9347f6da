package org.diff2dgs.inpaint.diffusion.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.inpaint.diffusion.internal.Denoiser;
import org.diff2dgs.inpaint.diffusion.internal.TcdSchedule;
import org.diff2dgs.inpaint.diffusion.internal.VideoSampler;
import org.junit.jupiter.api.Test;

class VideoSamplerTest {

    private static final int LATENT = 6; // C*h*w of the test latents
    private static final int COND = 8;

    private static double alphaBar(int t) {
        double log = 0;
        for (int s = 0; s <= t; s++) {
            double beta = Math.pow(Math.sqrt(0.00085) + s * (Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999.0, 2);
            log += Math.log1p(-beta);
        }
        return Math.exp(log);
    }

    /** A per-element noise model, the same for every frame and window: eps = 0.5 x + 0.1 cond + t / 1000. */
    private static double perFrameNoise(double x, double cond, int t) {
        return 0.5 * x + 0.1 * cond + t / 1000.0;
    }

    private static final Denoiser PER_FRAME = (sample, t, cond) -> {
        int frames = sample.length / LATENT;
        float[] eps = new float[sample.length];
        for (int f = 0; f < frames; f++) {
            for (int j = 0; j < LATENT; j++) {
                eps[f * LATENT + j] = (float) perFrameNoise(sample[f * LATENT + j], cond[f * COND + j], t);
            }
        }
        return eps;
    };

    /** Couples the frames of a window: eps = 0.3 x + 0.4 (mean over the window's frames of x). */
    private static final Denoiser WINDOW_MEAN = (sample, t, cond) -> {
        int frames = sample.length / LATENT;
        float[] eps = new float[sample.length];
        for (int j = 0; j < LATENT; j++) {
            double mean = 0;
            for (int f = 0; f < frames; f++) {
                mean += sample[f * LATENT + j];
            }
            mean /= frames;
            for (int f = 0; f < frames; f++) {
                eps[f * LATENT + j] = (float) (0.3 * sample[f * LATENT + j] + 0.4 * mean);
            }
        }
        return eps;
    };

    private static float[][] random(int n, int size, long seed) {
        Random r = new Random(seed);
        float[][] a = new float[n][size];
        for (float[] f : a) {
            for (int i = 0; i < size; i++) {
                f[i] = (float) r.nextGaussian();
            }
        }
        return a;
    }

    private static double[][] copy(float[][] a) {
        double[][] d = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            d[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                d[i][j] = a[i][j];
            }
        }
        return d;
    }

    @Test
    void frameIndependentModelGivesTheClosedFormStepsWhateverTheWindows() {
        for (int steps : new int[] {1, 2, 3}) {
            int n = 11;
            float[][] latents = random(n, LATENT, 5 + steps);
            float[][] cond = random(n, COND, 9);
            double[][] expected = copy(latents);
            int[] ts = new TcdSchedule(steps).timesteps();
            for (int i = 0; i < steps; i++) {
                int t = ts[i];
                int s = i + 1 < steps ? ts[i + 1] : 0;
                double at = alphaBar(t);
                double as = alphaBar(s);
                for (int f = 0; f < n; f++) {
                    for (int j = 0; j < LATENT; j++) {
                        double x = expected[f][j];
                        double eps = perFrameNoise(x, cond[f][j], t);
                        double x0 = (x - Math.sqrt(1 - at) * eps) / Math.sqrt(at);
                        expected[f][j] = Math.sqrt(as) * x0 + Math.sqrt(1 - as) * eps;
                    }
                }
            }
            new VideoSampler(new TcdSchedule(steps), 4, 1).sample(latents, cond, PER_FRAME, Progress.NONE, null);
            for (int f = 0; f < n; f++) {
                for (int j = 0; j < LATENT; j++) {
                    assertEquals(expected[f][j], latents[f][j], 2e-5 * Math.max(1, Math.abs(expected[f][j])),
                            steps + " steps, frame " + f);
                }
            }
        }
    }

    @Test
    void windowsAreBlendedWithRisingWeightsOnSharedFrames() {
        // 6 frames, windows of 4, overlap 1: both partitions are [0..3] and [2..5]; frames 2 and 3 are shared and
        // the second window weighs them 1/3 and 2/3
        int n = 6;
        float[][] latents = random(n, LATENT, 21);
        float[][] cond = random(n, COND, 22);
        double[][] x = copy(latents);
        TcdSchedule schedule = new TcdSchedule(2);
        for (int i = 0; i < 2; i++) {
            double[] ab = schedule.stepCoefficients(i);
            double[][] next = new double[n][LATENT];
            double[][] first = stepWindow(x, 0, ab);
            double[][] second = stepWindow(x, 2, ab);
            for (int j = 0; j < LATENT; j++) {
                next[0][j] = first[0][j];
                next[1][j] = first[1][j];
                next[2][j] = (2.0 / 3) * first[2][j] + (1.0 / 3) * second[0][j];
                next[3][j] = (1.0 / 3) * first[3][j] + (2.0 / 3) * second[1][j];
                next[4][j] = second[2][j];
                next[5][j] = second[3][j];
            }
            x = next;
        }
        new VideoSampler(schedule, 4, 1).sample(latents, cond, WINDOW_MEAN, Progress.NONE, null);
        for (int f = 0; f < n; f++) {
            for (int j = 0; j < LATENT; j++) {
                assertEquals(x[f][j], latents[f][j], 2e-5 * Math.max(1, Math.abs(x[f][j])), "frame " + f);
            }
        }
    }

    /** One step of the WINDOW_MEAN model on frames start..start+3, in double. */
    private static double[][] stepWindow(double[][] x, int start, double[] ab) {
        double[][] out = new double[4][LATENT];
        for (int j = 0; j < LATENT; j++) {
            double mean = 0;
            for (int k = 0; k < 4; k++) {
                mean += x[start + k][j];
            }
            mean /= 4;
            for (int k = 0; k < 4; k++) {
                double eps = 0.3 * x[start + k][j] + 0.4 * mean;
                out[k][j] = ab[0] * x[start + k][j] + ab[1] * eps;
            }
        }
        return out;
    }

    @Test
    void cancellationStopsBetweenWindows() {
        int[] calls = {0};
        Progress cancelAfterOne = new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long units, String status) {
                calls[0]++;
            }

            @Override
            public boolean isCancelled() {
                return calls[0] >= 1;
            }

            @Override
            public void done() {
            }
        };
        float[][] latents = random(11, LATENT, 1);
        float[][] cond = random(11, COND, 2);
        VideoSampler sampler = new VideoSampler(new TcdSchedule(2), 4, 1);
        assertThrows(CancelledException.class, () -> sampler.sample(latents, cond, PER_FRAME, cancelAfterOne, null));
        assertEquals(1, calls[0]);
        assertTrue(sampler.windowCalls(11) > 2);
    }
}
