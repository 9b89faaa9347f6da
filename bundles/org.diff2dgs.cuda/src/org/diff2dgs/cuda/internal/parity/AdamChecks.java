package org.diff2dgs.cuda.internal.parity;

import static org.diff2dgs.cuda.internal.parity.ParityCase.download;
import static org.diff2dgs.cuda.internal.parity.ParityCase.uniform;

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
import org.diff2dgs.train.optim.Adam;

/**
 * cuda/adam.cu against org.diff2dgs.train.optim.Adam: three steps from restored random moments (step count 9), an
 * SH-like tensor with the per-column rate scale (DC 1, rest 1/20), gradients spanning many magnitudes (as the time
 * bases produce), and the gradient zeroed in the same pass. The kernel rounds every operation as the twin, so the
 * tolerance is {@link ParityCase#BITWISE} and the detail counts values that are not bit-equal.
 */
final class AdamChecks {

    private static final int ROWS = 40_009;
    private static final int WIDTH = 48;

    private AdamChecks() {
    }

    static List<KernelCheck> all() {
        return List.of(ParityCase.check("adam_step " + ROWS + "x" + WIDTH + " column scale, 3 steps",
                ParityCase.BITWISE, AdamChecks::run));
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
