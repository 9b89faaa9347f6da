package org.diff2dgs.cuda.internal.parity;

import java.util.Locale;
import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * Shared pieces of the training-kernel checks: a check built from a body, random tensors, downloads, and the worst
 * error over several compared tensors (named in the detail).
 */
final class ParityCase {

    static final double FORWARD = 1e-4;
    static final double GRADIENT = 1e-3;
    /** For kernels written to round every operation as the Java twin does: any difference is a bug. */
    static final double BITWISE = 1e-6;

    private ParityCase() {
    }

    record Outcome(double error, String detail) {
    }

    interface Body {
        Outcome run(CudaContext cuda, SplittableRandom random);
    }

    static KernelCheck check(String name, double tolerance, Body body) {
        return new KernelCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run(CudaContext cuda, long seed) {
                Outcome o = body.run(cuda, new SplittableRandom(seed));
                return CheckResult.of(name, o.error(), tolerance, o.detail());
            }
        };
    }

    static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    static float[] download(DeviceBuffer b, int n) {
        float[] h = new float[n];
        b.copyTo(h, n);
        return h;
    }

    static int[] downloadInts(DeviceBuffer b, int n) {
        int[] h = new int[n];
        b.copyTo(h, n);
        return h;
    }

    static float[] toFloat(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    /** The worst relative error over named comparisons, and how many values differed at all. */
    static final class Worst {
        private double error;
        private String which = "-";
        private long differing;
        private long compared;

        Worst tensor(String name, float[] gpu, float[] cpu) {
            double e = RelativeError.max(gpu, cpu);
            if (gpu.length == cpu.length) {
                for (int i = 0; i < cpu.length; i++) {
                    if (Float.floatToIntBits(gpu[i]) != Float.floatToIntBits(cpu[i])) {
                        differing++;
                    }
                }
                compared += cpu.length;
            }
            return note(name, e);
        }

        /** A compared tensor of a {@link TensorComparison}, judged by its normwise relative error. */
        Worst normwise(TensorComparison.Row row) {
            differing += row.notBitEqual();
            compared += row.count();
            return note(row.name() + " (normwise)", row.normRelError());
        }

        Worst scalar(String name, double gpu, double cpu) {
            compared++;
            if (gpu != cpu) {
                differing++;
            }
            return note(name, RelativeError.scalar(gpu, cpu, 0));
        }

        private Worst note(String name, double e) {
            if (!(e <= error)) {
                error = e;
                which = name;
            }
            return this;
        }

        Outcome outcome(String context) {
            return new Outcome(error, String.format(Locale.ROOT, "%s; worst %s; %d of %d values not bit-equal",
                    context, which, differing, compared));
        }
    }
}
