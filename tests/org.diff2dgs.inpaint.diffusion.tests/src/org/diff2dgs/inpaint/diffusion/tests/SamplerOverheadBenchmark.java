package org.diff2dgs.inpaint.diffusion.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.inpaint.diffusion.internal.Denoiser;
import org.diff2dgs.inpaint.diffusion.internal.DiffusionNetworks;
import org.diff2dgs.inpaint.diffusion.internal.ModelCheck;
import org.diff2dgs.inpaint.diffusion.internal.ModelLocator;
import org.diff2dgs.inpaint.diffusion.internal.ModelManifest;
import org.diff2dgs.inpaint.diffusion.internal.TcdSchedule;
import org.diff2dgs.inpaint.diffusion.internal.VideoSampler;

/**
 * Not a test: measures the Java side of the sampling loop per denoiser window (gathering a window's latents and
 * conditions, the TCD step, blending the windows back), i.e. the time that is not the network's.
 * <ol>
 * <li>on the tiny random-weight graphs of the tests (4 frames, 32x24), through ONNX Runtime;</li>
 * <li>at the published shape (22 frames, 4 x 64 x 80 latents) with a Java denoiser that returns a fixed array, so all
 * measured time is the loop's own; no real weights exist here, so no network time is reported for that shape.</li>
 * </ol>
 * Run with the quick-test classpath: {@code java -cp <classes:jars> ...SamplerOverheadBenchmark [clipFrames]}.
 */
public final class SamplerOverheadBenchmark {

    private SamplerOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 156;
        Path tmp = Files.createTempDirectory("d2dgs-diffusion-bench");
        TinyDiffusionOnnx tiny = new TinyDiffusionOnnx(32, 24, 4, 4, 1, 1);
        tiny.writeAll(tmp);
        ModelLocator locator = new ModelLocator(k -> null, k -> null, tmp);
        ModelManifest m = ModelCheck.check(new ModelLocator.Location(tmp, "benchmark"), locator);
        try (DiffusionNetworks nets = DiffusionNetworks.load(tmp, m, 1)) {
            report("tiny graphs 4x4x3x4 via ONNX Runtime", n, m.frames(), 4 * 3 * 4, 5 * 3 * 4, nets);
        }
        float[] fixed = new float[22 * 4 * 64 * 80];
        Denoiser constant = (sample, t, cond) -> fixed;
        report("published shape 22x4x64x80, Java stand-in denoiser", n, 22, 4 * 64 * 80, 5 * 64 * 80, constant);
        for (Path p : Files.list(tmp).toList()) {
            Files.delete(p);
        }
        Files.delete(tmp);
    }

    private static void report(String what, int n, int frames, int latent, int cond, Denoiser denoiser) {
        Random r = new Random(3);
        float[][] c = new float[n][cond];
        for (float[] f : c) {
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) r.nextGaussian();
            }
        }
        VideoSampler sampler = new VideoSampler(new TcdSchedule(2), frames, frames / 4);
        double best = Double.MAX_VALUE;
        double network = 0;
        int calls = 0;
        for (int rep = 0; rep < 5; rep++) {
            float[][] x = new float[n][latent];
            for (float[] f : x) {
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) r.nextGaussian();
                }
            }
            VideoSampler.Timing t = new VideoSampler.Timing();
            sampler.sample(x, c, denoiser, Progress.NONE, t);
            double overhead = (t.totalNanos - t.denoiserNanos) / 1e6 / t.windowCalls;
            if (overhead < best) {
                best = overhead;
                network = t.denoiserNanos / 1e6 / t.windowCalls;
                calls = t.windowCalls;
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d frames, 2 steps, %d window calls; Java overhead %.3f ms per window "
                + "(best of 5), denoiser %.3f ms per window%n", what, n, calls, best, network);
    }
}
