package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.Metric;
import org.osgi.service.component.annotations.Component;

/**
 * Mean absolute relative depth error, mean(|d - d*| / d*), the monocular-depth benchmark measure (Eigen et al. 2014);
 * independent of the scene's unit.
 */
@Component(service = Metric.class)
public final class DepthAbsRelMetric extends DepthMetric {

    public static final String NAME = "depth-absrel";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Mean absolute relative depth error |d - d*| / d* over region pixels where both depths are > 0";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    double term(double rendered, double reference) {
        return Math.abs(rendered - reference) / reference;
    }
}
