package org.diff2dgs.cuda.internal;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.KernelCheckResult;
import org.diff2dgs.core.api.KernelParity;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.cuda.internal.parity.CheckResult;
import org.diff2dgs.cuda.internal.parity.KernelCheck;
import org.diff2dgs.cuda.internal.parity.KernelCheckRunner;
import org.diff2dgs.cuda.internal.parity.KernelChecks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Every {@link KernelChecks} entry on the shared device context, for d2dgs selftest --backend cuda. */
@Component(service = KernelParity.class)
public final class CudaKernelParity implements KernelParity {

    private final CudaRuntime runtime;

    @Activate
    public CudaKernelParity(@Reference CudaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String backend() {
        return "cuda";
    }

    @Override
    public String unavailableReason() {
        return runtime.unavailableReason();
    }

    @Override
    public String device() {
        return runtime.device();
    }

    @Override
    public List<KernelCheckResult> check(long seed, Progress progress) {
        List<KernelCheck> checks = KernelChecks.all();
        List<KernelCheckResult> results = new ArrayList<>();
        progress.begin("kernel checks on " + runtime.device(), checks.size());
        try {
            for (KernelCheck c : checks) {
                progress.checkCancelled();
                CheckResult r = KernelCheckRunner.run(runtime.context(), c, seed);
                results.add(new KernelCheckResult(r.name(), r.maxRelError(), r.tolerance(), r.passed(), r.detail()));
                progress.worked(1, c.name());
            }
        } finally {
            progress.done();
        }
        return results;
    }
}
