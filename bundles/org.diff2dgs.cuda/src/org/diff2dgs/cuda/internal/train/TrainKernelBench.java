package org.diff2dgs.cuda.internal.train;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * Device time of the training kernels other than the rasterizer, per family, at a surfel count and image size of
 * the benchmark (SH degree 3, 17 time bases): the median over repeats after warm-up of CUDA events around
 * each family, inputs resident on the device. For {@code d2dgs bench} ("time per kernel"); a density control is
 * timed once (it allocates its new tensors).
 */
public final class TrainKernelBench {

    private static final int K = 16;
    private static final int BASES = 17;

    /**
     * Median milliseconds per kernel family, in iteration order, and the bytes one Adam step streams (value,
     * gradient, two moments of every learnable float: 32 bytes each) for its effective bandwidth.
     */
    public record Result(int surfels, int width, int height, Map<String, Double> medianMs, long adamBytes) {
    }

    /** Family names of the Adam variants (d2dgs bench adds their effective bandwidth). */
    public static final String ADAM_PER_TENSOR = "adam_step per tensor (6 launches)";
    public static final String ADAM_FUSED = "adam_fused (6 groups, one launch)";
    public static final String ADAM_ZERO = "adam_fused gradients zeroed only (no-step iteration)";

    private TrainKernelBench() {
    }

    public static Result run(CudaContext cuda, int width, int height, int n, int warmup, int repeats, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int hw = width * height;
        int rowWidth = Deformation.CHANNELS * 3 * BASES;
        List<DeviceBuffer> held = new ArrayList<>();
        CUevent start = new CUevent();
        CUevent end = new CUevent();
        cuda.synchronize(); // makes the context current on this thread for the events
        cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT);
        cuEventCreate(end, CUevent_flags.CU_EVENT_DEFAULT);
        try (Losses losses = new Losses(cuda, width, height);
                FusedAdam fused = new FusedAdam(cuda, 0.9, 0.999, 1e-15)) {
            DeviceBuffer coefs = keep(held, cuda.upload(coefficients(r, n), "bench coefficients"));
            DeviceBuffer p0 = keep(held, cuda.upload(uniform(r, 3 * n, -1, 1), "bench positions"));
            DeviceBuffer q0 = keep(held, cuda.upload(uniform(r, 4 * n, -1, 1), "bench rotations"));
            DeviceBuffer s0 = keep(held, cuda.upload(uniform(r, 2 * n, -6, -3), "bench log-scales"));
            DeviceBuffer logits = keep(held, cuda.upload(uniform(r, n, -4, 4), "bench logits"));
            DeviceBuffer sh = keep(held, cuda.upload(uniform(r, 3 * K * n, -0.5, 0.5), "bench SH"));
            DeviceBuffer p = keep(held, zeros(cuda, 3L * n));
            DeviceBuffer q = keep(held, zeros(cuda, 4L * n));
            DeviceBuffer s = keep(held, zeros(cuda, 2L * n));
            DeviceBuffer scales = keep(held, zeros(cuda, 2L * n));
            DeviceBuffer opacities = keep(held, zeros(cuda, n));
            DeviceBuffer colors = keep(held, zeros(cuda, 3L * n));
            DeviceBuffer gPos = keep(held, cuda.upload(uniform(r, 3 * n, -1e-3, 1e-3), "bench position gradient"));
            DeviceBuffer gRot = keep(held, cuda.upload(uniform(r, 4 * n, -1e-3, 1e-3), "bench rotation gradient"));
            DeviceBuffer gScale = keep(held, cuda.upload(uniform(r, 2 * n, -1e-3, 1e-3), "bench scale gradient"));
            DeviceBuffer gOpacity = keep(held, cuda.upload(uniform(r, n, -1e-3, 1e-3), "bench opacity gradient"));
            DeviceBuffer gColor = keep(held, cuda.upload(uniform(r, 3 * n, -1e-3, 1e-3), "bench colour gradient"));
            DeviceBuffer gLogScale = keep(held, zeros(cuda, 2L * n));
            int[] widths = {3, 4, 2, 1, 3 * K, rowWidth};
            DeviceBuffer[][] tensors = new DeviceBuffer[widths.length][];
            DeviceBuffer[] values = {p0, q0, s0, logits, sh, coefs};
            for (int t = 0; t < widths.length; t++) {
                long count = (long) widths[t] * n;
                tensors[t] = new DeviceBuffer[] {values[t], keep(held, zeros(cuda, count)),
                    keep(held, zeros(cuda, count)), keep(held, zeros(cuda, count))};
            }
            DeviceBuffer color = keep(held, cuda.upload(uniform(r, 3 * hw, 0, 1), "bench render"));
            DeviceBuffer target = keep(held, cuda.upload(uniform(r, 3 * hw, 0, 1), "bench target"));
            DeviceBuffer others = keep(held, cuda.upload(others(r, hw), "bench auxiliary planes"));
            DeviceBuffer depth = keep(held, cuda.upload(uniform(r, hw, 1, 3), "bench depth"));
            DeviceBuffer mask = keep(held, cuda.upload(uniform(r, hw, 0, 1), "bench mask"));
            DeviceBuffer dColor = keep(held, zeros(cuda, 3L * hw));
            DeviceBuffer dOthers = keep(held, zeros(cuda, (long) RenderOutput.AUX_CHANNELS * hw));
            DeviceBuffer screen = keep(held, cuda.upload(uniform(r, n, 0, 1e-3), "bench screen gradient"));
            int[] radii = new int[n];
            Arrays.fill(radii, 3);
            DeviceBuffer radiiBuffer = keep(held, cuda.upload(radii, "bench radii"));
            DeviceBuffer gradSum = keep(held, zeros(cuda, n));
            DeviceBuffer visible = keep(held, zeros(cuda, n));
            DeviceBuffer maxRadius = keep(held, zeros(cuda, n));

            Deformation deformation = new Deformation(cuda, BASES, true);
            Shading shading = new Shading(cuda);
            AdamKernels adam = new AdamKernels(cuda, 0.9, 0.999, 1e-15);
            DensifyKernels densify = new DensifyKernels(cuda);
            double[] centre = {0, 0, -3};
            double total = 3.0 * hw;
            Map<String, Runnable> families = new LinkedHashMap<>();
            families.put("deform_forward", () -> deformation.forward(n, 0.37, coefs, p0, q0, s0, p, q, s));
            families.put("shading_forward", () -> shading.forward(n, K, 3, p, s, logits, sh, centre, scales,
                    opacities, colors));
            families.put("losses (L1, SSIM, depth, finalize, gradients)", () -> {
                losses.begin();
                losses.color(color, target, mask, 1, (float) (0.8 / total), dColor);
                losses.ssim(color, target, mask, 1, total, -0.2, dColor);
                losses.depth(others, depth, mask, 0);
                losses.finish(new Losses.Totals(total, total, hw), 10, Losses.DepthRule.fixed(1), 0.5);
                losses.depthGradient(others, depth, mask, 0, dOthers);
            });
            families.put("shading_backward", () -> shading.backward(n, K, 3, p, sh, centre, scales, opacities,
                    gColor, gScale, gOpacity, tensors[4][1], gPos, gLogScale, tensors[3][1]));
            families.put("deform_backward", () -> deformation.backward(n, 0.37, coefs, gPos, gRot, gLogScale,
                    tensors[5][1], true, tensors[0][1], tensors[1][1], tensors[2][1]));
            long[] step = {0};
            families.put(ADAM_PER_TENSOR, () -> {
                step[0]++;
                for (int t = 0; t < widths.length; t++) {
                    adam.step((long) widths[t] * n, widths[t], tensors[t][0], tensors[t][1], tensors[t][2],
                            tensors[t][3], null, 1e-4, step[0], true);
                }
            });
            List<FusedAdam.Group> groups = new ArrayList<>();
            for (int t = 0; t < widths.length; t++) {
                groups.add(new FusedAdam.Group("bench tensor " + t, tensors[t][0], tensors[t][1], tensors[t][2],
                        tensors[t][3], null, (long) widths[t] * n, widths[t]));
            }
            fused.describe(groups);
            double[] rates = new double[widths.length];
            Arrays.fill(rates, 1e-4);
            long[] steps = new long[widths.length];
            families.put(ADAM_FUSED, () -> {
                step[0]++;
                Arrays.fill(steps, step[0]);
                fused.step(rates, steps);
            });
            families.put(ADAM_ZERO, fused::zeroGradients);
            families.put("densify_accumulate", () -> densify.accumulate(n, screen, radiiBuffer, gradSum, visible,
                    maxRadius));
            Map<String, Double> medians = new LinkedHashMap<>();
            for (Map.Entry<String, Runnable> f : families.entrySet()) {
                for (int i = 0; i < warmup; i++) {
                    f.getValue().run();
                }
                double[] ms = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    ms[i] = timed(cuda, start, end, f.getValue());
                }
                Arrays.sort(ms);
                medians.put(f.getKey(), ms[repeats / 2]);
            }
            medians.put("densify (plan + gather of every tensor, once)", timed(cuda, start, end, () -> {
                DensifyKernels.Rules rules = new DensifyKernels.Rules(2e-4, 0.005, 0.01, 1.0, false, 2 * n);
                try (DensifyKernels.Plan plan = densify.plan(n, gradSum, visible, maxRadius, s0, logits, rules)) {
                    for (int t = 0; t < widths.length; t++) {
                        for (int k = 0; k < 4; k++) {
                            densify.gather(plan, tensors[t][k], widths[t], k >= 2, "bench gathered").close();
                        }
                    }
                }
            }));
            return new Result(n, width, height, medians, fused.bytesPerStep());
        } finally {
            cuda.synchronize();
            for (DeviceBuffer b : held) {
                b.close();
            }
            cuEventDestroy(start);
            cuEventDestroy(end);
        }
    }

    private static double timed(CudaContext cuda, CUevent start, CUevent end, Runnable body) {
        cuEventRecord(start, cuda.stream());
        body.run();
        cuEventRecord(end, cuda.stream());
        cuEventSynchronize(end);
        float[] ms = new float[1];
        cuEventElapsedTime(ms, start, end);
        return ms[0];
    }

    private static float[] coefficients(SplittableRandom r, int n) {
        float[] v = new float[n * Deformation.CHANNELS * 3 * BASES];
        for (int row = 0; row < n * Deformation.CHANNELS; row++) {
            int base = row * 3 * BASES;
            for (int k = 0; k < BASES; k++) {
                v[base + k] = (float) (r.nextDouble() - 0.5);
                v[base + BASES + k] = (float) k / (BASES - 1);
                v[base + 2 * BASES + k] = (float) (0.01 + 0.05 * r.nextDouble());
            }
        }
        return v;
    }

    private static float[] others(SplittableRandom r, int hw) {
        float[] o = new float[RenderOutput.AUX_CHANNELS * hw];
        for (int i = 0; i < hw; i++) {
            float alpha = (float) (0.2 + 0.8 * r.nextDouble());
            o[RenderOutput.AUX_ALPHA * hw + i] = alpha;
            o[RenderOutput.AUX_DEPTH * hw + i] = (float) (alpha * (1 + 2 * r.nextDouble()));
        }
        return o;
    }

    private static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    private static DeviceBuffer zeros(CudaContext cuda, long count) {
        DeviceBuffer b = cuda.allocate(Math.max(1, count) * Float.BYTES, "bench work");
        b.zero();
        return b;
    }

    private static DeviceBuffer keep(List<DeviceBuffer> held, DeviceBuffer b) {
        held.add(b);
        return b;
    }
}
