package org.diff2dgs.cuda.internal.parity;

import java.util.ArrayList;
import java.util.List;

/** The checks of the training kernels other than the rasterizer (deform, shading, losses, adam, densify). */
final class TrainKernelChecks {

    private TrainKernelChecks() {
    }

    static List<KernelCheck> all() {
        List<KernelCheck> checks = new ArrayList<>();
        checks.addAll(DeformationChecks.all());
        checks.addAll(ShadingChecks.all());
        checks.addAll(LossChecks.all());
        checks.addAll(AdamChecks.all());
        checks.addAll(DensifyChecks.all());
        checks.addAll(SessionParityCheck.all());
        return checks;
    }
}
