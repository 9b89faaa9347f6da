package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * Threshold accuracy delta1 (Eigen et al. 2014): the fraction of valid pixels with max(d / d*, d* / d) < 1.25.
 */
@Component(service = Metric.class)
public final class DepthDelta1Metric extends DepthMetric {

    public static final String NAME = "depth-delta1";

    /** The first of the customary thresholds 1.25, 1.25^2, 1.25^3. */
    static final double THRESHOLD = 1.25;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Fraction of region pixels with max(d/d*, d*/d) < 1.25, over pixels where both depths are > 0";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    double term(double rendered, double reference) {
        return Math.max(rendered / reference, reference / rendered) < THRESHOLD ? 1 : 0;
    }
}
