package org.diff2dgs.core.api;

/**
 * An image-quality or depth metric; registered as an OSGi service so that lab bundles add metrics that appear in
 * `eval`, `batch` and the workbench without code changes.
 */
public interface Metric {

    /** Short name used in tables and options, e.g. "psnr". */
    String name();

    String description();

    boolean higherIsBetter();

    /** True when the metric compares depth maps rather than colour. */
    boolean needsDepth();

    /** Null when usable, else why not (e.g. LPIPS without its ONNX weights). */
    default String unavailableReason() {
        return null;
    }

    /** The value for one sample; NaN when the sample has nothing to measure (e.g. an empty region). */
    double compute(MetricSample sample);
}
