package org.diff2dgs.metrics.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricFailedException;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.api.Evaluation;
import org.diff2dgs.metrics.api.MetricResult;
import org.diff2dgs.metrics.api.SkippedMetric;

/**
 * Runs a set of metrics over the test frames of a clip under a protocol and summarizes them per metric. A metric
 * that cannot run is skipped with its reason: it is unavailable (e.g. LPIPS without its model), or some frame lacks
 * the data the protocol needs for it (all frames or none, so that every mean is over the same frames). A metric that
 * throws fails the evaluation with a {@link MetricFailedException} naming it and the frame.
 */
public final class Evaluator {

    private final List<Metric> metrics;

    public Evaluator(List<Metric> metrics) {
        this.metrics = List.copyOf(metrics);
    }

    /** Every protocol in turn (callers find them by name in the ServiceCatalog). */
    public List<Evaluation> evaluateAll(List<EvaluationProtocol> protocols, List<EvaluationFrame> frames) {
        return protocols.stream().map(p -> evaluate(p, frames)).toList();
    }

    public Evaluation evaluate(EvaluationProtocol protocol, List<EvaluationFrame> frames) {
        if (frames.isEmpty()) {
            throw new UserInputException("there are no test frames to evaluate");
        }
        frames.forEach(Evaluator::checkSizes);
        String name = protocol.name();
        List<SkippedMetric> skipped = new ArrayList<>();
        List<Metric> active = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Metric metric : metrics) {
            String reason = !seen.add(metric.name())
                    ? "another metric named '" + metric.name() + "' came first"
                    : whyNot(protocol, metric, frames);
            if (reason == null) {
                active.add(metric);
            } else {
                skipped.add(new SkippedMetric(name, metric.name(), reason));
            }
        }

        double[][] values = new double[active.size()][frames.size()];
        boolean anyColour = active.stream().anyMatch(m -> !m.needsDepth());
        boolean anyDepth = active.stream().anyMatch(Metric::needsDepth);
        for (int f = 0; f < frames.size(); f++) {
            EvaluationFrame frame = frames.get(f);
            // one sample per kind and frame, shared by all metrics of that kind: masking is not free
            MetricSample colour = anyColour ? protocol.sample(frame, false) : null;
            MetricSample depth = anyDepth ? protocol.sample(frame, true) : null;
            for (int m = 0; m < active.size(); m++) {
                Metric metric = active.get(m);
                try {
                    values[m][f] = metric.compute(metric.needsDepth() ? depth : colour);
                } catch (RuntimeException e) {
                    throw new MetricFailedException(metric.name(), name, frame.name(), e);
                }
            }
        }

        List<MetricResult> results = new ArrayList<>();
        for (int m = 0; m < active.size(); m++) {
            Metric metric = active.get(m);
            results.add(Summary.of(name, metric.name(), metric.higherIsBetter(), values[m]));
        }
        List<String> frameNames = frames.stream().map(EvaluationFrame::name).toList();
        return new Evaluation(name, protocol.description(), frameNames, results, skipped);
    }

    private static String whyNot(EvaluationProtocol protocol, Metric metric, List<EvaluationFrame> frames) {
        String unavailable = metric.unavailableReason();
        if (unavailable != null) {
            return unavailable;
        }
        String first = null;
        String firstFrame = null;
        int lacking = 0;
        for (EvaluationFrame frame : frames) {
            String missing = protocol.missingData(frame, metric.needsDepth());
            if (missing != null) {
                lacking++;
                if (first == null) {
                    first = missing;
                    firstFrame = frame.name();
                }
            }
        }
        if (lacking == 0) {
            return null;
        }
        return "frame " + firstFrame + ": " + first
                + (lacking > 1 ? " (" + lacking + " of " + frames.size() + " frames lack it)" : "");
    }

    private static void checkSizes(EvaluationFrame f) {
        FloatImage image = f.frame().image();
        FloatImage rendered = f.renderedImage();
        if (rendered == null) {
            throw new UserInputException("frame " + f.name() + ": no rendered image was given");
        }
        if (rendered.channels() != 3 || !rendered.sameSize(image)) {
            throw new UserInputException("frame " + f.name() + ": the rendered image is " + describe(rendered)
                    + " but the test frame is " + describe(image));
        }
        if (f.renderedDepth() != null && (f.renderedDepth().channels() != 1 || !f.renderedDepth().sameSize(image))) {
            throw new UserInputException("frame " + f.name() + ": the rendered depth is " + describe(f.renderedDepth())
                    + " but must be 1 channel of " + image.width() + "x" + image.height());
        }
        if (f.inpaintedImage() != null
                && (f.inpaintedImage().channels() != 3 || !f.inpaintedImage().sameSize(image))) {
            throw new UserInputException("frame " + f.name() + ": the inpainted image is " + describe(f.inpaintedImage())
                    + " but the test frame is " + describe(image));
        }
    }

    private static String describe(FloatImage i) {
        return i.width() + "x" + i.height() + " with " + i.channels() + " channel" + (i.channels() == 1 ? "" : "s");
    }
}
