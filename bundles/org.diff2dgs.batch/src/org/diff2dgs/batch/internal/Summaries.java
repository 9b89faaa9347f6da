package org.diff2dgs.batch.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.diff2dgs.batch.api.CellResult;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ExperimentScene;
import org.diff2dgs.batch.api.Method;
import org.diff2dgs.batch.api.ResultRecord;
import org.diff2dgs.batch.api.SummaryRow;

/**
 * The numbers of the paper-style tables: per dataset group, protocol, method and metric, the mean and population
 * standard deviation of the cells' means over scenes and seeds (each cell's mean is over its test frames, as the
 * papers report per clip). Training time, render FPS, training PSNR (the mean of the last 50 training iterations, the
 * other side of the train/test gap) and the final surfel count are summarized under the pseudo-protocol "speed".
 */
final class Summaries {

    static final String SPEED = "speed";
    static final String TRAINING_SECONDS = "trainingSeconds";
    static final String RENDER_FPS = "renderFps";
    static final String TRAIN_PSNR = "trainPsnr";
    static final String SURFELS = "surfels";

    /** Usual column order of the papers; other metrics follow by name. */
    private static final List<String> ORDER = List.of("psnr", "ssim", "lpips", "depth-rmse", "depth-absrel",
            "depth-delta1");

    private Summaries() {
    }

    static Comparator<String> metricOrder() {
        return Comparator.<String>comparingInt(m -> ORDER.contains(m) ? ORDER.indexOf(m) : ORDER.size())
                .thenComparing(Comparator.naturalOrder());
    }

    static List<SummaryRow> of(Experiment e, List<ResultRecord> records, List<CellResult> cells) {
        Set<String> datasets = new LinkedHashSet<>();
        e.scenes().stream().map(ExperimentScene::dataset).forEach(datasets::add);
        Set<String> protocols = new LinkedHashSet<>();
        records.stream().filter(r -> r.status().equals("ok")).map(ResultRecord::protocol).forEach(protocols::add);
        List<SummaryRow> rows = new ArrayList<>();
        for (String dataset : datasets) {
            for (String protocol : protocols) {
                for (Method m : e.methods()) {
                    Map<String, List<Double>> byMetric = new LinkedHashMap<>();
                    Map<String, Boolean> direction = new LinkedHashMap<>();
                    for (ResultRecord r : records) {
                        if (r.status().equals("ok") && r.dataset().equals(dataset) && r.protocol().equals(protocol)
                                && r.method().equals(m.name())) {
                            byMetric.computeIfAbsent(r.metric(), k -> new ArrayList<>()).add(r.mean());
                            direction.put(r.metric(), r.higherIsBetter());
                        }
                    }
                    byMetric.keySet().stream().sorted(metricOrder()).forEach(metric -> rows.add(row(dataset,
                            protocol, m.name(), metric, direction.get(metric), byMetric.get(metric))));
                }
            }
            for (Method m : e.methods()) {
                List<Double> train = new ArrayList<>();
                List<Double> fps = new ArrayList<>();
                List<Double> trainPsnr = new ArrayList<>();
                List<Double> surfels = new ArrayList<>();
                for (CellResult c : cells) {
                    if (c.done() && c.dataset().equals(dataset) && c.method().equals(m.name())) {
                        train.add(number(c.speed().get(TRAINING_SECONDS)));
                        fps.add(number(c.speed().get(RENDER_FPS)));
                        trainPsnr.add(number(c.speed().get(TRAIN_PSNR)));
                        surfels.add(number(c.speed().get(SURFELS)));
                    }
                }
                if (!train.isEmpty()) {
                    rows.add(row(dataset, SPEED, m.name(), TRAINING_SECONDS, false, train));
                    rows.add(row(dataset, SPEED, m.name(), RENDER_FPS, true, fps));
                    rows.add(row(dataset, SPEED, m.name(), TRAIN_PSNR, true, trainPsnr));
                    rows.add(row(dataset, SPEED, m.name(), SURFELS, false, surfels));
                }
            }
        }
        return rows;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static SummaryRow row(String dataset, String protocol, String method, String metric, boolean higher,
            List<Double> values) {
        double[] s = meanStd(values);
        return new SummaryRow(dataset, protocol, method, metric, higher, s[0], s[1], (int) s[2]);
    }

    /**
     * Mean and population std (numpy's default, as MetricResult) over the values that are not NaN; an infinite value
     * (a PSNR of an exactly reproduced frame) makes the mean infinite and the std undefined.
     */
    static double[] meanStd(List<Double> values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        double mean = sum / n;
        if (!Double.isFinite(mean)) {
            return new double[] {mean, Double.NaN, n};
        }
        double ss = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new double[] {mean, Math.sqrt(ss / n), n};
    }
}
