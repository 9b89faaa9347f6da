package org.diff2dgs.core.api;

import java.util.List;

/**
 * A backend's device kernels checked against their Java twins on random inputs (d2dgs selftest). OSGi service, one
 * per backend that has device code; the CPU backend has none (its code is the reference).
 */
public interface KernelParity {

    /** The name of the {@link ComputeBackend} whose kernels these are, e.g. "cuda". */
    String backend();

    /**
     * Null when the checks can run; else why not (no driver, no device, ...). Independent of the backend's own
     * availability: kernels can be checked before every stage of the backend exists.
     */
    String unavailableReason();

    /** The device the checks run on, e.g. "NVIDIA H100 80GB HBM3, 79 GB". */
    String device();

    /** Runs every check, in a fixed order, on inputs drawn from {@code seed}. A check that throws is a failed row. */
    List<KernelCheckResult> check(long seed, Progress progress);
}
