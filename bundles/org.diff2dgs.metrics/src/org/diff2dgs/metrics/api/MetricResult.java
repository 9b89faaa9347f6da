package org.diff2dgs.metrics.api;

import java.util.List;

/**
 * One metric over the test frames of a clip, under one protocol.
 *
 * @param protocol       the protocol name (e.g. "deform3dgs"); a number without it is not comparable
 * @param metric         the metric name (e.g. "psnr")
 * @param higherIsBetter copied from the metric, for tables and charts
 * @param mean           mean over the frames whose value is not NaN; +Infinity when a frame was reproduced exactly
 *                       (PSNR); NaN when no frame had a value
 * @param std            population standard deviation (divides by count, as numpy's default) over the same frames;
 *                       NaN when the mean is not finite
 * @param count          number of frames that entered mean and std
 * @param perFrame       one value per input frame, in input order; NaN where the frame had nothing to measure
 */
public record MetricResult(String protocol, String metric, boolean higherIsBetter, double mean, double std, int count,
        List<Double> perFrame) {

    public MetricResult {
        perFrame = List.copyOf(perFrame);
    }
}
