package org.diff2dgs.ui.internal.parts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.ui.internal.support.LinePlot;
import org.diff2dgs.ui.internal.support.MonitorProgress;
import org.diff2dgs.ui.internal.support.RunMetrics;
import org.diff2dgs.ui.internal.support.Settings;
import org.diff2dgs.ui.internal.support.UiJobs;
import org.diff2dgs.ui.internal.support.Workspace;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * Metrics of one run, or two side by side: a table per protocol and metric (mean ± std, and B − A), the per-frame
 * values of the selected row as a chart, and the speed figures. Evaluate runs the same evaluation as `d2dgs eval`
 * with the ticked protocols and every installed metric (a lab's metric bundle shows up here).
 */
public class EvaluationPart {

    @Inject
    Pipeline pipeline;

    @Inject
    ServiceCatalog catalog;

    @Inject
    Workspace workspace;

    private Text runA;
    private Text runB;
    private final List<Button> protocolBoxes = new ArrayList<>();
    private Label metricList;
    private Table table;
    private LinePlot perFrame;
    private Label speed;
    private ProgressBar bar;
    private RunMetrics a;
    private RunMetrics b;
    private final java.util.function.Consumer<Path> runListener = run -> {
        if (table != null && !table.isDisposed()) {
            table.getDisplay().asyncExec(() -> {
                if (!runA.isDisposed() && run != null) {
                    runA.setText(run.toString());
                    reload();
                }
            });
        }
    };

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(8, 8).numColumns(4).applyTo(parent);
        runA = runRow(parent, "Run A", true);
        runB = runRow(parent, "Run B (compare)", false);
        Composite protocols = new Composite(parent, SWT.NONE);
        // the installed protocols (DS services: a lab's protocol bundle shows up here too)
        List<EvaluationProtocol> installed = catalog.evaluationProtocols();
        GridLayoutFactory.fillDefaults().numColumns(installed.size() + 3).applyTo(protocols);
        GridDataFactory.fillDefaults().span(4, 1).applyTo(protocols);
        new Label(protocols, SWT.NONE).setText("Protocols:");
        for (EvaluationProtocol p : installed) {
            Button box = new Button(protocols, SWT.CHECK);
            box.setText(p.name());
            box.setSelection(!p.name().equals("diff2dgs-code"));
            box.setToolTipText(p.description());
            protocolBoxes.add(box);
        }
        bar = new ProgressBar(protocols, SWT.SMOOTH);
        bar.setMaximum(1000);
        metricList = new Label(protocols, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(metricList);

        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        GridDataFactory.fillDefaults().grab(true, true).span(4, 1).applyTo(sash);
        table = new Table(sash, SWT.BORDER | SWT.FULL_SELECTION);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        String[] titles = {"Protocol", "Metric", "Run A (mean ± std)", "Run B (mean ± std)", "B − A", "frames"};
        int[] widths = {130, 110, 190, 190, 110, 70};
        for (int i = 0; i < titles.length; i++) {
            TableColumn c = new TableColumn(table, SWT.NONE);
            c.setText(titles[i]);
            c.setWidth(widths[i]);
        }
        table.addListener(SWT.Selection, e -> showPerFrame());
        Composite bottom = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(bottom);
        perFrame = new LinePlot(bottom, "Per-frame values of the selected metric", "test frame");
        GridDataFactory.fillDefaults().grab(true, true).applyTo(perFrame);
        speed = new Label(bottom, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(speed);
        sash.setWeights(55, 45);
        listMetrics();
        workspace.onRun(runListener);
        if (workspace.run() != null) {
            runA.setText(workspace.run().toString());
            reload();
        }
    }

    @PreDestroy
    public void dispose() {
        workspace.remove(runListener);
    }

    private Text runRow(Composite parent, String name, boolean first) {
        new Label(parent, SWT.NONE).setText(name);
        Text t = new Text(parent, SWT.BORDER);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(t);
        Button browse = new Button(parent, SWT.PUSH);
        browse.setText("...");
        browse.addListener(SWT.Selection, e -> {
            String d = new DirectoryDialog(parent.getShell()).open();
            if (d != null) {
                t.setText(d);
                reload();
            }
        });
        Button eval = new Button(parent, SWT.PUSH);
        eval.setText("Evaluate");
        eval.addListener(SWT.Selection, e -> evaluate(first));
        return t;
    }

    /** The installed metrics, as the evaluation will use them. */
    private void listMetrics() {
        List<String> names = new ArrayList<>();
        for (Metric m : catalog.metrics()) {
            names.add(m.name() + (m.unavailableReason() == null ? "" : " (unavailable)"));
        }
        metricList.setText("Metrics: " + String.join(", ", names));
        metricList.getParent().layout();
    }

    public void setRuns(Path first, Path second) {
        runA.setText(first == null ? "" : first.toString());
        runB.setText(second == null ? "" : second.toString());
        reload();
    }

    /** Evaluates run A or B again under the ticked protocols, in a job. */
    public void evaluate(boolean first) {
        String folder = (first ? runA : runB).getText().trim();
        if (folder.isEmpty()) {
            UiJobs.showError(table, "Evaluate", "choose a run folder first");
            return;
        }
        List<String> protocols = new ArrayList<>();
        protocolBoxes.stream().filter(Button::getSelection).forEach(box -> protocols.add(box.getText()));
        if (protocols.isEmpty()) {
            UiJobs.showError(table, "Evaluate", "tick at least one protocol");
            return;
        }
        listMetrics();
        Settings.ofUser().apply();
        String backend = Settings.ofUser().get(Settings.BACKEND);
        Path run = Path.of(folder);
        bar.setSelection(0);
        UiJobs.run("Evaluate " + run.getFileName(), table, monitor -> pipeline.evaluate(run, protocols, List.of(),
                backend, new MonitorProgress(monitor, (f, s) -> table.getDisplay().asyncExec(() -> {
                    if (!bar.isDisposed() && !Double.isNaN(f)) {
                        bar.setSelection((int) Math.round(f * bar.getMaximum()));
                    }
                }))), out -> reload(), null);
    }

    /** Reads metrics.json of both runs; a run without one is reported in the dialog. */
    public void reload() {
        a = readQuietly(runA.getText().trim(), true);
        b = readQuietly(runB.getText().trim(), false);
        fill();
    }

    private RunMetrics readQuietly(String folder, boolean report) {
        if (folder.isEmpty()) {
            return null;
        }
        try {
            return RunMetrics.read(Path.of(folder));
        } catch (UserInputException e) {
            if (report) {
                speed.setText(e.getMessage());
            }
            return null;
        }
    }

    private void fill() {
        table.removeAll();
        Set<String> protocols = new LinkedHashSet<>();
        if (a != null) {
            protocols.addAll(a.byProtocol().keySet());
        }
        if (b != null) {
            protocols.addAll(b.byProtocol().keySet());
        }
        for (String p : protocols) {
            Set<String> metrics = new LinkedHashSet<>();
            if (a != null && a.byProtocol().containsKey(p)) {
                metrics.addAll(a.byProtocol().get(p).keySet());
            }
            if (b != null && b.byProtocol().containsKey(p)) {
                metrics.addAll(b.byProtocol().get(p).keySet());
            }
            for (String m : metrics) {
                RunMetrics.Entry ea = entry(a, p, m);
                RunMetrics.Entry eb = entry(b, p, m);
                TableItem it = new TableItem(table, SWT.NONE);
                it.setText(new String[] {p, m, format(ea, a, p, m), format(eb, b, p, m),
                        ea != null && eb != null ? String.format(Locale.ROOT, "%+.4f", eb.mean() - ea.mean()) : "",
                        ea != null ? String.valueOf(ea.count()) : eb != null ? String.valueOf(eb.count()) : ""});
                it.setData(new String[] {p, m});
            }
        }
        speed.setText(speedLine("A", a) + "\n" + speedLine("B", b));
        speed.getParent().layout();
        if (table.getItemCount() > 0) {
            table.select(0);
            showPerFrame();
        } else {
            perFrame.setSeries(List.of());
        }
    }

    private static RunMetrics.Entry entry(RunMetrics r, String protocol, String metric) {
        if (r == null) {
            return null;
        }
        Map<String, RunMetrics.Entry> m = r.byProtocol().get(protocol);
        return m == null ? null : m.get(metric);
    }

    private static String format(RunMetrics.Entry e, RunMetrics r, String protocol, String metric) {
        if (e == null) {
            String why = r == null ? null : r.skipped().get(protocol + "/" + metric);
            return why == null ? "" : "skipped";
        }
        return Double.isNaN(e.std()) ? String.format(Locale.ROOT, "%.4f", e.mean())
                : String.format(Locale.ROOT, "%.4f ± %.4f", e.mean(), e.std());
    }

    private static String speedLine(String name, RunMetrics r) {
        if (r == null) {
            return "";
        }
        Map<String, Double> s = r.speed();
        return String.format(Locale.ROOT, "%s: %s - render %.1f FPS at %.0fx%.0f, %.0f surfels, training %.1f s", name,
                r.run(), s.getOrDefault("renderFps", Double.NaN), s.getOrDefault("width", Double.NaN),
                s.getOrDefault("height", Double.NaN), s.getOrDefault("surfels", Double.NaN),
                s.getOrDefault("trainingSeconds", Double.NaN));
    }

    private void showPerFrame() {
        int i = table.getSelectionIndex();
        if (i < 0) {
            return;
        }
        String[] key = (String[]) table.getItem(i).getData();
        List<LinePlot.Series> series = new ArrayList<>();
        RunMetrics.Entry ea = entry(a, key[0], key[1]);
        RunMetrics.Entry eb = entry(b, key[0], key[1]);
        if (ea != null) {
            series.add(new LinePlot.Series("A " + key[1], LinePlot.BLUE, index(ea.perFrame().length), ea.perFrame()));
        }
        if (eb != null) {
            series.add(new LinePlot.Series("B " + key[1], LinePlot.ORANGE, index(eb.perFrame().length),
                    eb.perFrame()));
        }
        perFrame.setSeries(series);
    }

    private static double[] index(int n) {
        return IntStream.range(0, n).asDoubleStream().toArray();
    }

    public int rowCount() {
        return table.getItemCount();
    }
}
