package org.diff2dgs.core.api;

/**
 * One kernel parity check: the largest relative error (|device - java| / max(|java|, floor)) over the compared
 * tensors and the tolerance it was held to (1e-4 forward, 1e-3 gradients).
 */
public record KernelCheckResult(String name, double maxRelError, double tolerance, boolean passed, String detail) {
}
