package org.diff2dgs.cuda.internal.parity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.util.UtilKernels;

/**
 * cuda/util.cu against plain Java loops: fill (exact), axpy (one rounding: fused on the GPU, double in Java) and
 * the two-pass sum (float tree on the GPU, double in Java). Sizes that are not multiples of the block size, so the
 * tails are covered.
 */
final class UtilKernelChecks {

    static final double FORWARD_TOLERANCE = 1e-4;

    private UtilKernelChecks() {
    }

    static List<KernelCheck> all() {
        return List.of(fill(1_000_003), axpy(1_000_003), sum(1_000_003), sum(777));
    }

    static KernelCheck fill(int n) {
        return check("util_fill_f32 " + n, (cuda, random) -> {
            float value = (float) (random.nextDouble() * 4 - 2);
            float[] cpu = randoms(random, n);
            try (UtilKernels util = new UtilKernels(cuda); DeviceBuffer x = cuda.upload(cpu, "x")) {
                util.fill(x, value, n - 1);  // the last element must stay as uploaded
                float[] gpu = new float[n];
                x.copyTo(gpu);
                Arrays.fill(cpu, 0, n - 1, value);
                return new Outcome(RelativeError.max(gpu, cpu), "value " + value + " into " + (n - 1) + " of " + n);
            }
        });
    }

    static KernelCheck axpy(int n) {
        return check("util_axpy_f32 " + n, (cuda, random) -> {
            float a = (float) (random.nextDouble() * 4 - 2);
            float[] x = randoms(random, n);
            float[] y = randoms(random, n);
            float[] cpu = new float[n];
            for (int i = 0; i < n; i++) {
                cpu[i] = (float) ((double) a * x[i] + y[i]);
            }
            try (UtilKernels util = new UtilKernels(cuda); DeviceBuffer dx = cuda.upload(x, "x");
                    DeviceBuffer dy = cuda.upload(y, "y")) {
                util.axpy(a, dx, dy, n);
                float[] gpu = new float[n];
                dy.copyTo(gpu);
                return new Outcome(RelativeError.max(gpu, cpu), "a " + a);
            }
        });
    }

    static KernelCheck sum(int n) {
        return check("util_sum_partials_f32 " + n, (cuda, random) -> {
            // positive values (as losses are): a relative error of the sum then means something
            float[] x = new float[n];
            double cpu = 0;
            for (int i = 0; i < n; i++) {
                x[i] = (float) (0.5 + random.nextDouble());
                cpu += x[i];
            }
            try (UtilKernels util = new UtilKernels(cuda); DeviceBuffer dx = cuda.upload(x, "x")) {
                float gpu = util.sum(dx, n);
                return new Outcome(RelativeError.scalar(gpu, cpu, 0), String.format(Locale.ROOT,
                        "gpu %.6f cpu %.6f", gpu, cpu));
            }
        });
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private record Outcome(double error, String detail) {
    }

    private interface Body {
        Outcome run(CudaContext cuda, SplittableRandom random);
    }

    private static KernelCheck check(String name, Body body) {
        return new KernelCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run(CudaContext cuda, long seed) {
                Outcome o = body.run(cuda, new SplittableRandom(seed));
                return CheckResult.of(name, o.error(), FORWARD_TOLERANCE, o.detail());
            }
        };
    }
}
