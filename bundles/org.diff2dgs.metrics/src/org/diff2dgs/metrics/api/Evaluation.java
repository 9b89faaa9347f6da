package org.diff2dgs.metrics.api;

import java.util.List;
import java.util.Optional;

/**
 * All metrics of one protocol over the test frames of a clip.
 *
 * @param protocol            protocol name
 * @param protocolDescription what the protocol compares, for reports
 * @param frames              names of the evaluated frames, in the order of every per-frame list
 * @param results             one entry per metric that was computed
 * @param skipped             one entry per metric that was not, with the reason
 */
public record Evaluation(String protocol, String protocolDescription, List<String> frames, List<MetricResult> results,
        List<SkippedMetric> skipped) {

    public Evaluation {
        frames = List.copyOf(frames);
        results = List.copyOf(results);
        skipped = List.copyOf(skipped);
    }

    public Optional<MetricResult> result(String metric) {
        return results.stream().filter(r -> r.metric().equals(metric)).findFirst();
    }

    public Optional<SkippedMetric> skip(String metric) {
        return skipped.stream().filter(s -> s.metric().equals(metric)).findFirst();
    }
}
