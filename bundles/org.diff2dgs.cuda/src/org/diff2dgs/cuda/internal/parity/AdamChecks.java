package org.diff2dgs.cuda.internal.parity;

import static org.diff2dgs.cuda.internal.parity.ParityCase.download;
import static org.diff2dgs.cuda.internal.parity.ParityCase.uniform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.parity.ParityCase.Outcome;
import org.diff2dgs.cuda.internal.parity.ParityCase.Worst;
import org.diff2dgs.cuda.internal.train.AdamKernels;
import org.diff2dgs.cuda.internal.train.FusedAdam;
import org.diff2dgs.train.optim.Adam;

/**
 * cuda/adam.cu against org.diff2dgs.train.optim.Adam: three steps from restored random moments (step count 9), an
 * SH-like tensor with the per-column rate scale (DC 1, rest 1/20), gradients spanning many magnitudes (as the time
 * bases produce), and the gradient zeroed in the same pass. The kernel rounds every operation as the twin, so the
 * tolerance is {@link ParityCase#BITWISE} and the detail counts values that are not bit-equal.
 */
public final class AdamChecks {

    private static final int ROWS = 40_009;
    private static final int WIDTH = 48;

    private AdamChecks() {
    }

    static List<KernelCheck> all() {
        return List.of(ParityCase.check("adam_step " + ROWS + "x" + WIDTH + " column scale, 3 steps",
                ParityCase.BITWISE, AdamChecks::run),
                ParityCase.check("adam_fused 6 groups x " + FUSED_ROWS + " rows (widths 3 4 2 1 48 459), 4 steps"
                        + " and a zeroing", ParityCase.BITWISE, AdamChecks::runFused));
    }

    private static final int FUSED_ROWS = 20_011;

    /**
     * adam_fused as the CUDA session uses it: six groups shaped like a session's (SH with its column scale), rows
     * that leave partial chunks, a rate and a restored step count per group, one iteration without a step.
     */
    private static Outcome runFused(CudaContext cuda, SplittableRandom r) {
        int[] widths = {3, 4, 2, 1, 48, 459};
        String[] names = {"positions", "rotations", "logScales", "opacityLogits", "sh", "coefs"};
        float[] shScale = new float[48];
        Arrays.fill(shScale, 1f / 20);
        Arrays.fill(shScale, 0, 3, 1f);
        Adam twin = new Adam(0.9, 0.999, Adam.DEFAULT_EPS);
        Parameter[] params = new Parameter[widths.length];
        Map<String, float[]> restored = new HashMap<>();
        List<DeviceBuffer> held = new ArrayList<>();
        for (int k = 0; k < widths.length; k++) {
            int count = FUSED_ROWS * widths[k];
            params[k] = new Parameter(names[k], FUSED_ROWS, widths[k], uniform(r, count, -1, 1), new float[count]);
            twin.add(params[k], 1e-3 * (k + 1));
            restored.put(names[k] + ".exp_avg", uniform(r, count, -1e-3, 1e-3));
            restored.put(names[k] + ".exp_avg_sq", uniform(r, count, 0, 1e-5));
            restored.put(names[k] + ".step", new float[] {5 + k});
        }
        twin.setColumnScale("sh", shScale);
        twin.restore(restored);
        try (FusedAdam fused = new FusedAdam(cuda, 0.9, 0.999, Adam.DEFAULT_EPS)) {
            DeviceBuffer scale = keep(held, cuda.upload(shScale, "sh column scale"));
            DeviceBuffer[][] t = new DeviceBuffer[widths.length][];
            List<FusedAdam.Group> groups = new ArrayList<>();
            long[] steps = new long[widths.length];
            for (int k = 0; k < widths.length; k++) {
                int count = FUSED_ROWS * widths[k];
                t[k] = new DeviceBuffer[] {keep(held, cuda.upload(params[k].value(), names[k])),
                    keep(held, cuda.allocate((long) count * Float.BYTES, names[k] + " gradient")),
                    keep(held, cuda.upload(restored.get(names[k] + ".exp_avg"), names[k] + " exp_avg")),
                    keep(held, cuda.upload(restored.get(names[k] + ".exp_avg_sq"), names[k] + " exp_avg_sq"))};
                groups.add(new FusedAdam.Group(names[k], t[k][0], t[k][1], t[k][2], t[k][3],
                        k == 4 ? scale : null, count, widths[k]));
                steps[k] = 5 + k;
            }
            fused.describe(groups);
            for (int it = 1; it <= 5; it++) {
                for (int k = 0; k < widths.length; k++) {
                    float[] g = gradients(r, FUSED_ROWS * widths[k]);
                    System.arraycopy(g, 0, params[k].grad(), 0, g.length);
                    t[k][1].copyFrom(g);
                }
                if (it == 3) {
                    twin.zeroGrad();
                    fused.zeroGradients();
                    continue;
                }
                double[] rates = new double[widths.length];
                for (int k = 0; k < widths.length; k++) {
                    rates[k] = 1e-3 * (k + 1) / it;
                    twin.setLearningRate(names[k], rates[k]);
                    steps[k]++;
                }
                twin.stepAndZeroGrad();
                fused.step(rates, steps);
            }
            Map<String, float[]> after = twin.state();
            Worst worst = new Worst();
            for (int k = 0; k < widths.length; k++) {
                int count = FUSED_ROWS * widths[k];
                worst.tensor(names[k] + " values", download(t[k][0], count), params[k].value())
                        .tensor(names[k] + " exp_avg", download(t[k][2], count), after.get(names[k] + ".exp_avg"))
                        .tensor(names[k] + " exp_avg_sq", download(t[k][3], count),
                                after.get(names[k] + ".exp_avg_sq"))
                        .tensor(names[k] + " zeroed gradient", download(t[k][1], count), new float[count]);
            }
            return worst.outcome("4 steps, one zeroing");
        } finally {
            for (DeviceBuffer b : held) {
                b.close();
            }
        }
    }

    private static DeviceBuffer keep(List<DeviceBuffer> held, DeviceBuffer b) {
        held.add(b);
        return b;
    }

    /**
     * Magnitudes from 1e-12 to 1, both signs, exact zeros in runs (whole chunks) and alone, negative zeros (also the
     * stand-in driver's test input, so both checks see the zero-skipping cases).
     */
    public static float[] gradients(SplittableRandom r, int count) {
        float[] g = new float[count];
        for (int i = 0; i < count; i++) {
            int kind = r.nextInt(10);
            g[i] = (i / 8) % 5 == 0 || kind == 0 ? 0f : kind == 1 ? -0f
                    : (float) ((r.nextDouble() - 0.5) * Math.pow(10, -12 * r.nextDouble()));
        }
        return g;
    }

    private static Outcome run(CudaContext cuda, SplittableRandom r) {
        int count = ROWS * WIDTH;
        float[] values = uniform(r, count, -1, 1);
        float[] m = uniform(r, count, -1e-3, 1e-3);
        float[] v = uniform(r, count, 0, 1e-5);
        float[] scale = new float[WIDTH];
        java.util.Arrays.fill(scale, 1f / 20);
        java.util.Arrays.fill(scale, 0, 3, 1f);
        double lr = 2.5e-3;
        long step0 = 9;
        Parameter p = new Parameter("sh", ROWS, WIDTH, values.clone(), new float[count]);
        Adam adam = new Adam(0.9, 0.999, Adam.DEFAULT_EPS);
        adam.add(p, lr);
        adam.setColumnScale("sh", scale);
        Map<String, float[]> state = new HashMap<>();
        state.put("sh.exp_avg", m);
        state.put("sh.exp_avg_sq", v);
        state.put("sh.step", new float[] {step0});
        adam.restore(state);
        AdamKernels kernels = new AdamKernels(cuda, 0.9, 0.999, Adam.DEFAULT_EPS);
        try (DeviceBuffer dv = cuda.upload(values, "values");
                DeviceBuffer dg = cuda.allocate((long) count * Float.BYTES, "grad");
                DeviceBuffer dm = cuda.upload(m, "m"); DeviceBuffer dvv = cuda.upload(v, "v");
                DeviceBuffer ds = cuda.upload(scale, "column scale")) {
            for (int s = 1; s <= 3; s++) {
                float[] g = new float[count];
                for (int i = 0; i < count; i++) {
                    // magnitudes from 1e-12 to 1, both signs, some exact zeros
                    g[i] = i % 11 == 0 ? 0f : (float) ((r.nextDouble() - 0.5) * Math.pow(10, -12 * r.nextDouble()));
                }
                System.arraycopy(g, 0, p.grad(), 0, count);
                dg.copyFrom(g);
                adam.setLearningRate("sh", lr * s);
                adam.stepAndZeroGrad();
                kernels.step(count, WIDTH, dv, dg, dm, dvv, ds, lr * s, step0 + s, true);
            }
            Map<String, float[]> after = adam.state();
            return new Worst().tensor("values", download(dv, count), p.value())
                    .tensor("exp_avg", download(dm, count), after.get("sh.exp_avg"))
                    .tensor("exp_avg_sq", download(dvv, count), after.get("sh.exp_avg_sq"))
                    .tensor("zeroed gradient", download(dg, count), new float[count])
                    .outcome("steps " + (step0 + 1) + ".." + (step0 + 3));
        }
    }
}
