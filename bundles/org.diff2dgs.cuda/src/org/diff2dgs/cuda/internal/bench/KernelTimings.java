package org.diff2dgs.cuda.internal.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.util.UtilKernels;

/** Every kernel timing of d2dgs bench, in report order. Each stage adds its own (one line per family). */
public final class KernelTimings {

    /** 16M floats (64 MB per array): far beyond every cache, so the util kernels show the memory bandwidth. */
    static final int UTIL_N = 1 << 24;

    private KernelTimings() {
    }

    public static List<KernelTiming> all() {
        List<KernelTiming> all = new ArrayList<>();
        all.addAll(util());
        return List.copyOf(all);
    }

    static List<KernelTiming> util() {
        return List.of(utilTiming("util_fill_f32 16M floats", 1, (u, x, y) -> u.fill(x, 0.5f, UTIL_N)),
                utilTiming("util_axpy_f32 16M floats", 3, (u, x, y) -> u.axpy(0.5f, x, y, UTIL_N)),
                utilTiming("util_sum_partials_f32 16M floats (two passes)", 1, (u, x, y) -> u.sumOnDevice(x, UTIL_N)));
    }

    private interface UtilWork {
        void queue(UtilKernels util, DeviceBuffer x, DeviceBuffer y);
    }

    /** @param arraysTouched how many 16M-float arrays the kernel streams through (fill 1, axpy 3: x, y read, y write) */
    private static KernelTiming utilTiming(String name, int arraysTouched, UtilWork work) {
        return new KernelTiming() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Prepared prepare(CudaContext cuda, long seed) {
                SplittableRandom r = new SplittableRandom(seed);
                float[] host = new float[UTIL_N];
                for (int i = 0; i < host.length; i++) {
                    host[i] = (float) r.nextDouble();
                }
                UtilKernels util = new UtilKernels(cuda);
                DeviceBuffer x = cuda.upload(host, "bench x");
                DeviceBuffer y = cuda.upload(host, "bench y");
                return new Prepared() {
                    @Override
                    public void queue() {
                        work.queue(util, x, y);
                    }

                    @Override
                    public long bytesMoved() {
                        return (long) arraysTouched * UTIL_N * Float.BYTES;
                    }

                    @Override
                    public void close() {
                        x.close();
                        y.close();
                        util.close();
                    }
                };
            }
        };
    }
}
