package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.Metric;
import org.osgi.service.component.annotations.Component;

/** Root mean squared depth error in scene units: sqrt(mean((d - d*)^2)) over valid region pixels. */
@Component(service = Metric.class)
public final class DepthRmseMetric extends DepthMetric {

    public static final String NAME = "depth-rmse";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Root mean squared depth error (scene units) over region pixels where both depths are > 0";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    double term(double rendered, double reference) {
        double d = rendered - reference;
        return d * d;
    }

    @Override
    double finish(double meanTerm) {
        return Math.sqrt(meanTerm);
    }
}
