package org.diff2dgs.metrics.eval;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.metrics.api.MetricResult;

/** Mean and population standard deviation over the frames that have a value (NaN = nothing to measure). */
final class Summary {

    private Summary() {
    }

    static MetricResult of(String protocol, String metric, boolean higherIsBetter, double[] perFrame) {
        int count = 0;
        double sum = 0;
        for (double v : perFrame) {
            if (!Double.isNaN(v)) {
                count++;
                sum += v;
            }
        }
        double mean = count == 0 ? Double.NaN : sum / count;
        double std = Double.NaN;
        if (count > 0 && Double.isFinite(mean)) {
            double squares = 0;
            for (double v : perFrame) {
                if (!Double.isNaN(v)) {
                    squares += (v - mean) * (v - mean);
                }
            }
            std = Math.sqrt(squares / count);
        }
        List<Double> values = new ArrayList<>(perFrame.length);
        for (double v : perFrame) {
            values.add(v);
        }
        return new MetricResult(protocol, metric, higherIsBetter, mean, std, count, values);
    }
}
