package org.diff2dgs.batch.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ExperimentScene;
import org.diff2dgs.batch.api.Method;
import org.diff2dgs.batch.api.ResultRecord;
import org.diff2dgs.batch.api.Results;
import org.diff2dgs.core.io.AtomicFiles;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts of a batch: each metric per scene (bars = methods, mean over seeds with ± std whiskers), one chart per
 * dataset group, protocol and metric; and per scene the training curves (PSNR and loss against iteration) of every
 * cell. Rendered off screen with JFreeChart, written atomically.
 */
final class ChartReport {

    static final int WIDTH = 900;
    static final int HEIGHT = 520;

    static {
        // rendering needs no display; the launch script sets this too, but a test or another launcher may not
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ChartReport() {
    }

    /** One chart to draw and where it goes (relative to the output folder). */
    private record Job(String file, java.util.function.Supplier<JFreeChart> chart) {
    }

    /** Writes the charts into {@code <out>/charts/}, in parallel; returns the paths relative to {@code <out>}. */
    static List<String> write(Experiment e, Results r) {
        if (e.charts() == null) {
            return List.of();
        }
        List<Job> jobs = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (ResultRecord rec : r.records()) {
            if (rec.status().equals("ok") && (e.charts().isEmpty() || e.charts().contains(rec.metric()))) {
                keys.add(rec.dataset() + "\u0000" + rec.protocol() + "\u0000" + rec.metric());
            }
        }
        List<String> ordered = new ArrayList<>(keys);
        ordered.sort((a, b) -> {
            String[] x = a.split("\u0000");
            String[] y = b.split("\u0000");
            int c = x[0].compareTo(y[0]);
            c = c != 0 ? c : x[1].compareTo(y[1]);
            return c != 0 ? c : Summaries.metricOrder().compare(x[2], y[2]);
        });
        for (String key : ordered) {
            String[] k = key.split("\u0000");
            jobs.add(new Job("charts/per-scene_" + safe(k[0]) + "_" + safe(k[1]) + "_" + safe(k[2]) + ".png",
                    () -> perScene(e, r, k[0], k[1], k[2])));
        }
        for (ExperimentScene s : e.scenes()) {
            Map<String, TrainingCurve> curves = new LinkedHashMap<>();
            for (Cell c : e.cells()) {
                if (c.scene().name().equals(s.name())) {
                    TrainingCurve t = TrainingCurve.read(new CellFolder(c.folder()).trainingLog());
                    if (t != null) {
                        curves.put(e.seeds().size() > 1 ? c.method().name() + " (seed " + c.seed() + ")"
                                : c.method().name(), t);
                    }
                }
            }
            if (!curves.isEmpty()) {
                jobs.add(new Job("charts/curves_" + safe(s.name()) + "_psnr.png",
                        () -> curve(s.name(), "PSNR (dB)", curves, true)));
                jobs.add(new Job("charts/curves_" + safe(s.name()) + "_loss.png",
                        () -> curve(s.name(), "loss", curves, false)));
            }
        }
        // charts are independent images: drawing them on all cores matters for grids with dozens of them
        jobs.parallelStream().forEach(j -> save(j.chart().get(), e.out().resolve(j.file())));
        return jobs.stream().map(Job::file).toList();
    }

    private static JFreeChart perScene(Experiment e, Results r, String dataset, String protocol, String metric) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        boolean higher = true;
        for (Method m : e.methods()) {
            for (ExperimentScene s : e.scenes()) {
                if (!s.dataset().equals(dataset)) {
                    continue;
                }
                List<Double> values = new ArrayList<>();
                for (ResultRecord rec : r.records()) {
                    if (rec.status().equals("ok") && rec.protocol().equals(protocol) && rec.metric().equals(metric)
                            && rec.method().equals(m.name()) && rec.scene().equals(s.name())
                            && Double.isFinite(rec.mean())) {
                        values.add(rec.mean());
                        higher = rec.higherIsBetter();
                    }
                }
                if (!values.isEmpty()) {
                    double[] ms = Summaries.meanStd(values);
                    data.add(ms[0], Double.isNaN(ms[1]) ? 0 : ms[1], m.name(), s.name());
                }
            }
        }
        String label = MarkdownReport.header(metric) + (higher ? " (higher is better)" : " (lower is better)");
        JFreeChart chart = ChartFactory.createBarChart(MarkdownReport.header(metric) + " per scene, " + protocol
                + " protocol (" + dataset + ")", "scene", label, data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        renderer.setDrawBarOutline(false);
        renderer.setShadowVisible(false);
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        // bars start at zero (a cut axis exaggerates differences); the tables carry the precise numbers
        plot.setRenderer(renderer);
        style(chart);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static JFreeChart curve(String scene, String what, Map<String, TrainingCurve> curves, boolean psnr) {
        XYSeriesCollection data = new XYSeriesCollection();
        boolean positive = true;
        for (Map.Entry<String, TrainingCurve> c : curves.entrySet()) {
            XYSeries series = new XYSeries(c.getKey(), true, false);
            double[] y = psnr ? c.getValue().psnr() : c.getValue().loss();
            double[] x = c.getValue().iteration();
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(y[i])) {
                    series.add(x[i], y[i]);
                    positive &= y[i] > 0;
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Training " + (psnr ? "PSNR" : "loss") + ", scene " + scene,
                "iteration", what, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        plot.setRenderer(renderer);
        if (!psnr && positive) {
            // losses fall over orders of magnitude; a log axis keeps the late differences between methods visible
            LogAxis log = new LogAxis(what + " (log scale)");
            log.setSmallestValue(1e-8);
            log.setNumberFormatOverride(new java.text.DecimalFormat("0.0###",
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            plot.setRangeAxis(log);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        style(chart);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
    }

    private static void save(JFreeChart chart, Path file) {
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
