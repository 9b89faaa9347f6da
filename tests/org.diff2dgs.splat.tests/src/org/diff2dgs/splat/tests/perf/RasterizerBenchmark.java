package org.diff2dgs.splat.tests.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.splat.internal.CpuRasterizer;

/**
 * Times the CPU rasterizer's forward and backward on a random scene (not a test: run it by hand).
 *
 * <pre>
 *   java -cp ... org.diff2dgs.splat.tests.perf.RasterizerBenchmark [surfels=50000] [iterations=10] [threads=all]
 * </pre>
 *
 * The scene: surfels spread through the view frustum at depth 3..6, scales log-uniform 0.004..0.04 (a few pixels at
 * 320x256, so ~20 layers per pixel), random orientations, opacities 0.1..0.9. The same world scene is rendered at
 * 320x256 and 640x512 (same field of view). Reports the median of the timed iterations after warm-up, as wall time
 * and as CPU time summed over all threads (on a shared machine the wall time depends on the others' load; the load
 * average is printed before and after).
 */
public final class RasterizerBenchmark {

    private RasterizerBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        SurfelBatch scene = scene(n, 42);
        System.out.printf(Locale.ROOT, "CPU 2DGS rasterizer, %d surfels, %d threads, %d cores, Java %s%n", n, threads,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf(Locale.ROOT, "load average before: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "%-10s %8s %9s %9s %9s %9s %10s%n", "image", "visible", "fwd wall", "bwd wall",
                "fwd cpu", "bwd cpu", "fwd+bwd");
        for (int[] size : new int[][] {{320, 256}, {640, 512}}) {
            run(scene, size[0], size[1], iterations, threads);
        }
        System.out.printf(Locale.ROOT, "load average after: %.2f (times in ms, median of %d after 3 warm-up)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), iterations);
    }

    private static void run(SurfelBatch scene, int w, int h, int iterations, int threads) {
        double f = 0.9 * w; // same field of view at both sizes
        Camera cam = new Camera(new Intrinsics(f, f, w / 2.0, h / 2.0, w, h), Pose.identity(), 0.03, 250);
        RenderSettings settings = new RenderSettings(new float[] {0.1f, 0.1f, 0.1f}, 0.2, 100);
        Random rnd = new Random(7);
        float[] dColor = new float[3 * w * h];
        float[] dOthers = new float[RenderOutput.AUX_CHANNELS * w * h];
        for (int i = 0; i < dColor.length; i++) {
            dColor[i] = (float) rnd.nextGaussian() * 1e-3f;
        }
        for (int i = 0; i < dOthers.length; i++) {
            dOthers[i] = (float) rnd.nextGaussian() * 1e-3f;
        }
        int warmup = 3;
        double[] fwd = new double[iterations];
        double[] bwd = new double[iterations];
        double[] fwdCpu = new double[iterations];
        double[] bwdCpu = new double[iterations];
        long visible = 0;
        try (CpuRasterizer r = new CpuRasterizer(threads)) {
            for (int it = -warmup; it < iterations; it++) {
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                RenderOutput out = r.forward(scene, cam, settings);
                long t1 = System.nanoTime();
                long c1 = cpuNanos();
                SurfelGradients g = r.backward(out, dColor, dOthers);
                long t2 = System.nanoTime();
                long c2 = cpuNanos();
                if (it >= 0) {
                    fwd[it] = (t1 - t0) / 1e6;
                    bwd[it] = (t2 - t1) / 1e6;
                    fwdCpu[it] = (c1 - c0) / 1e6;
                    bwdCpu[it] = (c2 - c1) / 1e6;
                }
                if (!Float.isFinite(g.positions()[0])) {
                    throw new IllegalStateException("non-finite gradient");
                }
                visible = Arrays.stream(out.radii()).filter(rad -> rad > 0).count();
            }
        }
        System.out.printf(Locale.ROOT, "%-10s %8d %9.1f %9.1f %9.1f %9.1f %10.1f%n", w + "x" + h, visible, median(fwd),
                median(bwd), median(fwdCpu), median(bwdCpu), median(fwd) + median(bwd));
    }

    /** CPU time of all live threads of this JVM (the rasterizer's workers included). */
    private static long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    static SurfelBatch scene(int n, long seed) {
        Random rnd = new Random(seed);
        SurfelBatch b = SurfelBatch.allocate(n);
        double tanX = 320 / (2 * 0.9 * 320);
        double tanY = 256 / (2 * 0.9 * 320);
        for (int i = 0; i < n; i++) {
            double z = 3 + 3 * rnd.nextDouble();
            b.positions()[3 * i] = (float) ((2 * rnd.nextDouble() - 1) * tanX * z * 1.05);
            b.positions()[3 * i + 1] = (float) ((2 * rnd.nextDouble() - 1) * tanY * z * 1.05);
            b.positions()[3 * i + 2] = (float) z;
            double qw = rnd.nextGaussian();
            double qx = rnd.nextGaussian();
            double qy = rnd.nextGaussian();
            double qz = rnd.nextGaussian();
            double qn = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
            b.rotations()[4 * i] = (float) (qw / qn);
            b.rotations()[4 * i + 1] = (float) (qx / qn);
            b.rotations()[4 * i + 2] = (float) (qy / qn);
            b.rotations()[4 * i + 3] = (float) (qz / qn);
            b.scales()[2 * i] = (float) (0.004 * Math.pow(10, rnd.nextDouble()));
            b.scales()[2 * i + 1] = (float) (0.004 * Math.pow(10, rnd.nextDouble()));
            b.opacities()[i] = (float) (0.1 + 0.8 * rnd.nextDouble());
            for (int c = 0; c < 3; c++) {
                b.colors()[3 * i + c] = (float) rnd.nextDouble();
            }
        }
        return b;
    }
}
