package org.diff2dgs.metrics.api;

/**
 * A metric that gave no result under a protocol, and why (e.g. LPIPS without its model file, "occluded" on a real clip
 * without ground truth).
 */
public record SkippedMetric(String protocol, String metric, String reason) {
}
