package org.diff2dgs.cuda.internal.parity;

/**
 * The outcome of one {@link KernelCheck}: the largest relative error over the compared tensors, the tolerance it was
 * held to, and a short detail (sizes, which tensor was worst).
 */
public record CheckResult(String name, double maxRelError, double tolerance, boolean passed, String detail) {

    /** Passed when the error is finite and within the tolerance. */
    public static CheckResult of(String name, double maxRelError, double tolerance, String detail) {
        return new CheckResult(name, maxRelError, tolerance, Double.isFinite(maxRelError) && maxRelError <= tolerance,
                detail);
    }

    /** A check that could not run to the comparison (an exception): failed, error infinite. */
    public static CheckResult failed(String name, double tolerance, String why) {
        return new CheckResult(name, Double.POSITIVE_INFINITY, tolerance, false, why);
    }
}
