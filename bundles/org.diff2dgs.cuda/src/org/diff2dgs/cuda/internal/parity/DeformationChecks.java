package org.diff2dgs.cuda.internal.parity;

import static org.diff2dgs.cuda.internal.parity.ParityCase.download;
import static org.diff2dgs.cuda.internal.parity.ParityCase.uniform;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.parity.ParityCase.Outcome;
import org.diff2dgs.cuda.internal.parity.ParityCase.Worst;
import org.diff2dgs.cuda.internal.train.Deformation;
import org.diff2dgs.deform.internal.BasisShape;
import org.diff2dgs.deform.internal.GaussianBasisField;
import org.diff2dgs.deform.internal.GaussianBasisModel;
import org.diff2dgs.deform.internal.SmoothGaussianBasisModel;

/**
 * cuda/deform.cu against GaussianBasisField ("gaussian-basis" and "gaussian-basis-smooth") on random coefficients:
 * widths from the initial 0.01 up to 0.15 so that several bases overlap, centres anywhere in [0, 1], weights of both
 * signs, and gradients accumulated onto random existing values (the kernels add).
 */
final class DeformationChecks {

    private static final int N = 20_011;

    private DeformationChecks() {
    }

    static List<KernelCheck> all() {
        return List.of(
                ParityCase.check("deform_forward gaussian-basis " + N + " surfels", ParityCase.FORWARD,
                        (cuda, r) -> run(cuda, r, new GaussianBasisModel(), BasisShape.PUBLIC_CODE, false)),
                ParityCase.check("deform_backward gaussian-basis " + N + " surfels", ParityCase.GRADIENT,
                        (cuda, r) -> run(cuda, r, new GaussianBasisModel(), BasisShape.PUBLIC_CODE, true)),
                ParityCase.check("deform_backward gaussian-basis-smooth " + N + " surfels", ParityCase.GRADIENT,
                        (cuda, r) -> run(cuda, r, new SmoothGaussianBasisModel(), BasisShape.SMOOTH, true)));
    }

    private static Outcome run(CudaContext cuda, SplittableRandom r, DeformationModel model, BasisShape shape,
            boolean backward) {
        int b = shape.basisCount();
        int width = GaussianBasisField.CHANNELS * 3 * b;
        float[] coefs = new float[N * width];
        for (int row = 0; row < N * GaussianBasisField.CHANNELS; row++) {
            int base = row * 3 * b;
            for (int k = 0; k < b; k++) {
                coefs[base + k] = (float) (r.nextDouble() - 0.5);
                coefs[base + b + k] = (float) r.nextDouble();
                coefs[base + 2 * b + k] = (float) (0.01 + 0.14 * r.nextDouble());
            }
        }
        double t = r.nextDouble();
        GaussianModel canonical = new GaussianModel(N, 0, uniform(r, 3 * N, -1, 1), uniform(r, 4 * N, -1, 1),
                uniform(r, 2 * N, -6, -2), uniform(r, N, -3, 3), uniform(r, 3 * N, -1, 1));
        DeformationField field = model.restore(N, Map.of(GaussianBasisField.PARAMETER, coefs));
        Deformation kernels = new Deformation(cuda, b, shape.squaredExponent());
        try (DeviceBuffer dCoefs = cuda.upload(coefs, "coefs");
                DeviceBuffer p0 = cuda.upload(canonical.positions(), "p0");
                DeviceBuffer q0 = cuda.upload(canonical.rotations(), "q0");
                DeviceBuffer s0 = cuda.upload(canonical.logScales(), "s0");
                DeviceBuffer p = cuda.allocate(3L * N * Float.BYTES, "p");
                DeviceBuffer q = cuda.allocate(4L * N * Float.BYTES, "q");
                DeviceBuffer s = cuda.allocate(2L * N * Float.BYTES, "s")) {
            if (!backward) {
                float[] pos = new float[3 * N];
                float[] rot = new float[4 * N];
                float[] ls = new float[2 * N];
                field.deform(t, canonical, pos, rot, ls);
                kernels.forward(N, t, dCoefs, p0, q0, s0, p, q, s);
                return new Worst().tensor("positions", download(p, 3 * N), pos)
                        .tensor("rotations", download(q, 4 * N), rot)
                        .tensor("logScales", download(s, 2 * N), ls)
                        .outcome("t " + t);
            }
            float[] dPos = uniform(r, 3 * N, -1, 1);
            float[] dRot = uniform(r, 4 * N, -1, 1);
            float[] dLs = uniform(r, 2 * N, -1, 1);
            // some zero gradients: the twin skips those channels
            for (int i = 0; i < N; i += 7) {
                dPos[3 * i] = 0f;
            }
            float[] coefGrad0 = uniform(r, N * width, -1e-3, 1e-3);
            float[] pGrad = uniform(r, 3 * N, -1, 1);
            float[] qGrad = uniform(r, 4 * N, -1, 1);
            float[] sGrad = uniform(r, 2 * N, -1, 1);
            try (DeviceBuffer dp = cuda.upload(dPos, "dPos"); DeviceBuffer dq = cuda.upload(dRot, "dRot");
                    DeviceBuffer ds = cuda.upload(dLs, "dLs");
                    DeviceBuffer gCoefs = cuda.upload(coefGrad0, "coef grad");
                    DeviceBuffer gp = cuda.upload(pGrad, "p grad"); DeviceBuffer gq = cuda.upload(qGrad, "q grad");
                    DeviceBuffer gs = cuda.upload(sGrad, "s grad")) {
                kernels.backward(N, t, dCoefs, dp, dq, ds, gCoefs, true, gp, gq, gs);
                float[] cpuCoefGrad = field.parameters().get(0).grad();
                System.arraycopy(coefGrad0, 0, cpuCoefGrad, 0, coefGrad0.length);
                field.backward(t, canonical, dPos, dRot, dLs);
                // the pass-through of Trainer.chainToParameters: canonical gradients += incoming (float adds)
                addInto(pGrad, dPos);
                addInto(qGrad, dRot);
                addInto(sGrad, dLs);
                return new Worst().tensor("coefficient gradient", download(gCoefs, N * width), cpuCoefGrad)
                        .tensor("position gradient", download(gp, 3 * N), pGrad)
                        .tensor("rotation gradient", download(gq, 4 * N), qGrad)
                        .tensor("log-scale gradient", download(gs, 2 * N), sGrad)
                        .outcome("t " + t);
            }
        }
    }

    private static void addInto(float[] into, float[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }
}
