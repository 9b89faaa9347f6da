package org.diff2dgs.core.api;

/**
 * A named way of turning a rendered frame and its references into what a metric sees: which reference, which
 * pixels, which masking or quantization. Published numbers differ mostly in this, so every number is recorded with the
 * protocol that produced it. Registered as an OSGi service like {@link Metric}: a lab adds a protocol with one bundle,
 * and `eval`, `run` and `batch` find it through the {@link ServiceCatalog}.
 */
public interface EvaluationProtocol {

    /** Short name recorded with every result, e.g. "masked-mean". */
    String name();

    /** One or two sentences for reports: what is compared against what, over which pixels. */
    String description();

    /**
     * Why this protocol cannot measure the frame for colour ({@code depth == false}) or depth metrics, or null when
     * the needed data is there.
     */
    String missingData(EvaluationFrame frame, boolean depth);

    /** The sample a colour or depth metric sees for this frame; only called when {@link #missingData} gave null. */
    MetricSample sample(EvaluationFrame frame, boolean depth);
}
