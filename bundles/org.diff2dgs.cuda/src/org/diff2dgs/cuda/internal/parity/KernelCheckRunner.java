package org.diff2dgs.cuda.internal.parity;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;

/**
 * Runs checks one after the other; a check that throws (a kernel missing, a CUDA error) becomes a failed row with
 * the reason, so one broken kernel does not hide the others' results.
 */
public final class KernelCheckRunner {

    private KernelCheckRunner() {
    }

    public static List<CheckResult> runAll(CudaContext cuda, List<KernelCheck> checks, long seed) {
        List<CheckResult> results = new ArrayList<>();
        for (KernelCheck c : checks) {
            results.add(run(cuda, c, seed));
        }
        return results;
    }

    public static CheckResult run(CudaContext cuda, KernelCheck check, long seed) {
        try {
            return check.run(cuda, seed);
        } catch (RuntimeException e) {
            return CheckResult.failed(check.name(), Double.NaN, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
