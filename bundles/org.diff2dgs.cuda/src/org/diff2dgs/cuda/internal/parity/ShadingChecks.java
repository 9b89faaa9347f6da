package org.diff2dgs.cuda.internal.parity;

import static org.diff2dgs.cuda.internal.parity.ParityCase.download;
import static org.diff2dgs.cuda.internal.parity.ParityCase.uniform;

import java.util.List;
import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.parity.ParityCase.Outcome;
import org.diff2dgs.cuda.internal.parity.ParityCase.Worst;
import org.diff2dgs.cuda.internal.train.Shading;
import org.diff2dgs.train.internal.SurfelParameters;
import org.diff2dgs.train.sh.SphericalHarmonics;

/**
 * cuda/shading.cu against SceneRenderer's activations (Math.exp, SurfelParameters.sigmoid), SphericalHarmonics and the
 * chain rule of Trainer.chainToParameters, for stored degree 3 at active degrees 3 and 1. SH coefficients are drawn
 * so that some colours fall below 0 (the clamp and its zero gradient are exercised); a few surfels sit exactly at
 * the camera centre.
 */
final class ShadingChecks {

    private static final int N = 30_007;
    private static final int K = 16;

    private ShadingChecks() {
    }

    static List<KernelCheck> all() {
        return List.of(
                ParityCase.check("shading_forward " + N + " surfels SH 3", ParityCase.FORWARD,
                        (cuda, r) -> run(cuda, r, 3, false)),
                ParityCase.check("shading_forward " + N + " surfels SH 1 of 3", ParityCase.FORWARD,
                        (cuda, r) -> run(cuda, r, 1, false)),
                ParityCase.check("shading_backward " + N + " surfels SH 3", ParityCase.GRADIENT,
                        (cuda, r) -> run(cuda, r, 3, true)),
                ParityCase.check("shading_backward " + N + " surfels SH 2 of 3", ParityCase.GRADIENT,
                        (cuda, r) -> run(cuda, r, 2, true)));
    }

    private static Outcome run(CudaContext cuda, SplittableRandom r, int degree, boolean backward) {
        // float-representable, so that the surfels placed at the centre are exactly there (length 0)
        double[] centre = {(float) (r.nextDouble() - 0.5), (float) (r.nextDouble() - 0.5),
            (float) (r.nextDouble() - 0.5)};
        float[] positions = uniform(r, 3 * N, -2, 2);
        for (int i = 0; i < N; i += 5003) {
            for (int c = 0; c < 3; c++) {
                positions[3 * i + c] = (float) centre[c];
            }
        }
        float[] logScales = uniform(r, 2 * N, -7, 0);
        float[] logits = uniform(r, N, -8, 8);
        float[] sh = uniform(r, 3 * K * N, -0.6, 0.6);
        Shading shading = new Shading(cuda);
        try (DeviceBuffer p = cuda.upload(positions, "positions"); DeviceBuffer ls = cuda.upload(logScales, "ls");
                DeviceBuffer lg = cuda.upload(logits, "logits"); DeviceBuffer c = cuda.upload(sh, "sh");
                DeviceBuffer scales = cuda.allocate(2L * N * Float.BYTES, "scales");
                DeviceBuffer opacities = cuda.allocate((long) N * Float.BYTES, "opacities");
                DeviceBuffer colors = cuda.allocate(3L * N * Float.BYTES, "colors")) {
            shading.forward(N, K, degree, p, ls, lg, c, centre, scales, opacities, colors);
            float[] cpuScales = new float[2 * N];
            for (int i = 0; i < 2 * N; i++) {
                cpuScales[i] = (float) Math.exp(logScales[i]);
            }
            float[] cpuOpacity = new float[N];
            for (int i = 0; i < N; i++) {
                cpuOpacity[i] = SurfelParameters.sigmoid(logits[i]);
            }
            float[] cpuColors = new float[3 * N];
            SphericalHarmonics.evaluate(N, K, degree, sh, positions, centre, cpuColors);
            if (!backward) {
                return new Worst().tensor("scales", download(scales, 2 * N), cpuScales)
                        .tensor("opacities", download(opacities, N), cpuOpacity)
                        .tensor("colours", download(colors, 3 * N), cpuColors)
                        .outcome("degree " + degree);
            }
            float[] dColors = uniform(r, 3 * N, -1, 1);
            float[] dScales = uniform(r, 2 * N, -1, 1);
            float[] dOpacities = uniform(r, N, -1, 1);
            float[] dSh = uniform(r, 3 * K * N, -0.1, 0.1);
            float[] dPos = uniform(r, 3 * N, -1, 1);
            float[] dLogits = uniform(r, N, -0.1, 0.1);
            try (DeviceBuffer gC = cuda.upload(dColors, "dColors"); DeviceBuffer gS = cuda.upload(dScales, "dScales");
                    DeviceBuffer gO = cuda.upload(dOpacities, "dOpacities"); DeviceBuffer gSh = cuda.upload(dSh, "dSh");
                    DeviceBuffer gP = cuda.upload(dPos, "dPos");
                    DeviceBuffer gLs = cuda.allocate(2L * N * Float.BYTES, "dLogScales");
                    DeviceBuffer gL = cuda.upload(dLogits, "dLogits")) {
                shading.backward(N, K, degree, p, c, centre, scales, opacities, gC, gS, gO, gSh, gP, gLs, gL);
                SphericalHarmonics.backward(N, K, degree, sh, positions, centre, dColors, dSh, dPos);
                // Trainer.chainToParameters
                float[] dLogScales = dScales.clone();
                for (int i = 0; i < 2 * N; i++) {
                    dLogScales[i] *= cpuScales[i];
                }
                for (int i = 0; i < N; i++) {
                    dLogits[i] += dOpacities[i] * cpuOpacity[i] * (1 - cpuOpacity[i]);
                }
                return new Worst().tensor("SH gradient", download(gSh, 3 * K * N), dSh)
                        .tensor("position gradient", download(gP, 3 * N), dPos)
                        .tensor("log-scale gradient", download(gLs, 2 * N), dLogScales)
                        .tensor("logit gradient", download(gL, N), dLogits)
                        .outcome("degree " + degree);
            }
        }
    }
}
