package org.diff2dgs.cuda.internal.train;

import static org.diff2dgs.cuda.internal.train.KernelSpec.D;
import static org.diff2dgs.cuda.internal.train.KernelSpec.I;
import static org.diff2dgs.cuda.internal.train.KernelSpec.P;

import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * cuda/shading.cu: activations (exp of log-scales, sigmoid of logits) and SH colours for one camera centre, and the
 * backward pass to SH coefficients, positions, log-scales and logits (SceneRenderer, SphericalHarmonics and
 * Trainer.chainToParameters on the CPU).
 */
public final class Shading {

    static final KernelSpec FORWARD = KernelSpec.of("shading_forward", I, I, I, P, P, P, P, D, D, D, P, P, P);
    static final KernelSpec BACKWARD = KernelSpec.of("shading_backward", I, I, I, P, P, D, D, D, P, P, P, P, P, P, P,
            P, P);

    private final CudaContext cuda;

    public Shading(CudaContext cuda) {
        this.cuda = cuda;
    }

    public static List<KernelSpec> specs() {
        return List.of(FORWARD, BACKWARD);
    }

    /**
     * @param coefficients K, SH coefficients per colour channel stored per surfel ((degree + 1)^2 of the model)
     * @param degree       the active degree, (degree + 1)^2 &lt;= K
     */
    public void forward(int n, int coefficients, int degree, DeviceBuffer positions, DeviceBuffer logScales,
            DeviceBuffer logits, DeviceBuffer sh, double[] cameraCentre, DeviceBuffer scales, DeviceBuffer opacities,
            DeviceBuffer colors) {
        checkDegree(coefficients, degree, cameraCentre);
        Launch.require(positions, 3L * n, "positions");
        Launch.require(logScales, 2L * n, "log-scales");
        Launch.require(logits, n, "opacity logits");
        Launch.require(sh, 3L * coefficients * n, "SH coefficients");
        Launch.require(scales, 2L * n, "scales");
        Launch.require(opacities, n, "opacities");
        Launch.require(colors, 3L * n, "colours");
        if (n == 0) {
            return;
        }
        FORWARD.launch(cuda, Launch.blocks(n, Launch.BLOCK), Launch.BLOCK, n, coefficients, degree, positions,
                logScales, logits, sh, cameraCentre[0], cameraCentre[1], cameraCentre[2], scales, opacities, colors);
    }

    /**
     * ADDS into dSh and dPositions (which holds the rasterizer's position gradient), WRITES dLogScales, ADDS into
     * dLogits.
     */
    public void backward(int n, int coefficients, int degree, DeviceBuffer positions, DeviceBuffer sh,
            double[] cameraCentre, DeviceBuffer scales, DeviceBuffer opacities, DeviceBuffer dColors,
            DeviceBuffer dScales, DeviceBuffer dOpacities, DeviceBuffer dSh, DeviceBuffer dPositions,
            DeviceBuffer dLogScales, DeviceBuffer dLogits) {
        checkDegree(coefficients, degree, cameraCentre);
        Launch.require(positions, 3L * n, "positions");
        Launch.require(sh, 3L * coefficients * n, "SH coefficients");
        Launch.require(scales, 2L * n, "scales");
        Launch.require(opacities, n, "opacities");
        Launch.require(dColors, 3L * n, "colour gradient");
        Launch.require(dScales, 2L * n, "scale gradient");
        Launch.require(dOpacities, n, "opacity gradient");
        Launch.require(dSh, 3L * coefficients * n, "SH gradient");
        Launch.require(dPositions, 3L * n, "position gradient");
        Launch.require(dLogScales, 2L * n, "log-scale gradient");
        Launch.require(dLogits, n, "logit gradient");
        if (n == 0) {
            return;
        }
        BACKWARD.launch(cuda, Launch.blocks(n, Launch.BLOCK), Launch.BLOCK, n, coefficients, degree, positions, sh,
                cameraCentre[0], cameraCentre[1], cameraCentre[2], scales, opacities, dColors, dScales, dOpacities,
                dSh, dPositions, dLogScales, dLogits);
    }

    private static void checkDegree(int coefficients, int degree, double[] cameraCentre) {
        if (degree < 0 || degree > 3 || (degree + 1) * (degree + 1) > coefficients) {
            throw new IllegalArgumentException("active SH degree " + degree + " does not fit " + coefficients
                    + " coefficients per channel");
        }
        if (cameraCentre == null || cameraCentre.length != 3) {
            throw new IllegalArgumentException("camera centre needs 3 coordinates");
        }
    }
}
