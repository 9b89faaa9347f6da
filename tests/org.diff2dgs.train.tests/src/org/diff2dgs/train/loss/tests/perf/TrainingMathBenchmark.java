package org.diff2dgs.train.loss.tests.perf;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.train.loss.DepthDistortionLoss;
import org.diff2dgs.train.loss.InverseDepthLoss;
import org.diff2dgs.train.loss.NormalConsistencyLoss;
import org.diff2dgs.train.loss.PhotometricLoss;
import org.diff2dgs.train.loss.RenderedDepth;
import org.diff2dgs.train.sh.SphericalHarmonics;

/**
 * Times the per-iteration losses (value and gradient) at a render size and the SH colour pass for a surfel count (not
 * a test: run it by hand, pinned with {@code taskset -c 0,1 java -XX:ActiveProcessorCount=2 ...} for the 2-core
 * budget).
 *
 * <pre>
 *   java -cp ... org.diff2dgs.train.loss.tests.perf.TrainingMathBenchmark [width=640] [height=512] [surfels=100000]
 * </pre>
 */
public final class TrainingMathBenchmark {

    private TrainingMathBenchmark() {
    }

    @FunctionalInterface
    private interface Work {
        void run();
    }

    public static void main(String[] args) {
        int w = args.length > 0 ? Integer.parseInt(args[0]) : 640;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int surfels = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int n = w * h;
        SplittableRandom rnd = new SplittableRandom(42);
        float[] color = uniform(rnd, 3 * n);
        float[] others = new float[RenderOutput.AUX_CHANNELS * n];
        for (int i = 0; i < n; i++) {
            others[RenderOutput.AUX_ALPHA * n + i] = 0.9f;
            others[RenderOutput.AUX_DEPTH * n + i] = (float) (0.9 * (5 + rnd.nextDouble()));
            others[RenderOutput.AUX_NORMAL * n + i + 2 * n] = -0.9f;
            others[RenderOutput.AUX_DISTORTION * n + i] = (float) rnd.nextDouble();
        }
        RenderOutput r = new RenderOutput(w, h, color, others, new int[0], null);
        FloatImage target = new FloatImage(w, h, 3, uniform(rnd, 3 * n));
        float[] depth = new float[n];
        Arrays.fill(depth, 5.5f);
        FloatImage targetDepth = new FloatImage(w, h, 1, depth);
        float[] dColor = new float[3 * n];
        float[] dOthers = new float[RenderOutput.AUX_CHANNELS * n];
        PhotometricLoss l1 = new PhotometricLoss(0);
        PhotometricLoss dssim = new PhotometricLoss(0.2);
        InverseDepthLoss inverseDepth = new InverseDepthLoss();
        NormalConsistencyLoss normals = new NormalConsistencyLoss(Intrinsics.centred(500, w, h),
                RenderedDepth.EXPECTED);
        DepthDistortionLoss distortion = new DepthDistortionLoss();
        System.out.printf(Locale.ROOT, "losses at %dx%d, SH for %d surfels, %d cores, Java %s (median ms)%n", w, h,
                surfels, Runtime.getRuntime().availableProcessors(), Runtime.version());
        report("L1 colour", () -> l1.addGradient(r, target, null, 1, dColor));
        report("0.8 L1 + 0.2 (1 - SSIM)", () -> dssim.addGradient(r, target, null, 1, dColor));
        report("inverse depth L1", () -> inverseDepth.addGradient(r, targetDepth, null, 1, dOthers));
        report("normal consistency", () -> normals.addGradient(r, null, 1, dOthers));
        report("depth distortion", () -> distortion.addGradient(r, null, 1, dOthers));

        GaussianModel m = GaussianModel.allocate(surfels, 3);
        for (int i = 0; i < 3 * surfels; i++) {
            m.positions()[i] = (float) (2 * rnd.nextDouble() - 1) + (i % 3 == 2 ? 5 : 0);
        }
        for (int i = 0; i < m.sh().length; i++) {
            m.sh()[i] = (float) (0.2 * rnd.nextGaussian());
        }
        float[] colors = new float[3 * surfels];
        float[] dColors = uniform(rnd, 3 * surfels);
        float[] dSh = new float[m.sh().length];
        float[] dPos = new float[3 * surfels];
        double[] camera = {0, 0, 0};
        report("SH degree 3 colour", () -> SphericalHarmonics.evaluate(m, 3, m.positions(), camera, colors));
        report("SH degree 3 backward",
                () -> SphericalHarmonics.backward(m, 3, m.positions(), camera, dColors, dSh, dPos));
    }

    private static void report(String label, Work work) {
        double[] ms = new double[15];
        for (int i = -3; i < ms.length; i++) {
            long t0 = System.nanoTime();
            work.run();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-28s %8.1f%n", label, ms[ms.length / 2]);
    }

    private static float[] uniform(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        return a;
    }
}
