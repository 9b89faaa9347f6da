package org.diff2dgs.cuda.internal.parity;

import java.util.ArrayList;
import java.util.List;

/**
 * Every kernel parity check, in the order d2dgs selftest --backend cuda runs them. Each stage adds its checks here
 * (one line per family), next to its kernels.
 */
public final class KernelChecks {

    private KernelChecks() {
    }

    public static List<KernelCheck> all() {
        List<KernelCheck> checks = new ArrayList<>();
        checks.addAll(UtilKernelChecks.all());
        checks.addAll(TrainKernelChecks.all());
        checks.addAll(RasterKernelChecks.all());
        return List.copyOf(checks);
    }
}
