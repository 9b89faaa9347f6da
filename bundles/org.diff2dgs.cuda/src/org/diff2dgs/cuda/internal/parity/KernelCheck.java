package org.diff2dgs.cuda.internal.parity;

import org.diff2dgs.cuda.internal.driver.CudaContext;

/**
 * One kernel (or kernel family) against its Java twin on random inputs drawn from a seed. Runs on the device (d2dgs
 * selftest --backend cuda); add new checks to {@link KernelChecks#all()}.
 */
public interface KernelCheck {

    /** What is checked and at which size, e.g. "rasterize_forward 20k surfels 160x128". */
    String name();

    CheckResult run(CudaContext cuda, long seed);
}
