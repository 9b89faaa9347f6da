package org.diff2dgs.ui.internal.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.ui.internal.support.Clips;
import org.diff2dgs.ui.internal.support.LinePlot;
import org.diff2dgs.ui.internal.support.MonitorProgress;
import org.diff2dgs.ui.internal.support.Settings;
import org.diff2dgs.ui.internal.support.TrainingCurve;
import org.diff2dgs.ui.internal.support.UiJobs;
import org.diff2dgs.ui.internal.support.Workspace;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

/**
 * Train the deformable surfels: the same staged run as `d2dgs run --to-stage train` (prepare or synthesize, then
 * train), as a cancellable job. Start begins a fresh run, Stop cancels at the next iteration (the newest checkpoint
 * stays), Resume continues from it. Loss, PSNR and surfel count are plotted live from the run's training log.
 */
public class TrainingPart {

    @Inject
    ServiceCatalog catalog;

    @Inject
    Pipeline pipeline;

    @Inject
    Workspace workspace;

    private Text dataset;
    private Text runFolder;
    private Text sceneSize;
    private Spinner sceneFrames;
    private Combo backend;
    private Combo deformation;
    private Combo preset;
    private Spinner iterations;
    private Button start;
    private Button stop;
    private Button resume;
    private ProgressBar bar;
    private Label status;
    private Label device;
    private LinePlot lossPlot;
    private LinePlot psnrPlot;
    private LinePlot surfelPlot;
    private Job job;
    private Path running;
    private volatile String lastStatus = "";
    private volatile double lastFraction = Double.NaN;
    private final java.util.function.Consumer<Path> runListener = this::runChanged;

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(8, 8).numColumns(2).applyTo(parent);
        Composite form = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(form);
        GridDataFactory.fillDefaults().grab(false, true).hint(420, SWT.DEFAULT).applyTo(form);

        dataset = field(form, "Dataset", "empty: the built-in synthetic scene");
        browse(form, dataset);
        sceneSize = field(form, "Built-in scene size", "WxH");
        sceneSize.setText("320x256");
        new Label(form, SWT.NONE);
        label(form, "Built-in scene frames");
        sceneFrames = new Spinner(form, SWT.BORDER);
        sceneFrames.setValues(48, 2, 10_000, 0, 1, 10);
        new Label(form, SWT.NONE);
        runFolder = field(form, "Run folder", "where checkpoints, log and renders go");
        runFolder.setText(Path.of(System.getProperty("user.home"), "diff2dgs-runs", "run-1").toString());
        browse(form, runFolder);

        label(form, "Backend");
        backend = new Combo(form, SWT.READ_ONLY);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(backend);
        label(form, "Deformation model");
        deformation = new Combo(form, SWT.READ_ONLY);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(deformation);
        label(form, "Preset");
        preset = new Combo(form, SWT.READ_ONLY);
        preset.setItems("cpu", "published");
        preset.select(0);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(preset);
        label(form, "Iterations");
        iterations = new Spinner(form, SWT.BORDER);
        iterations.setValues(TrainOptions.cpu().iterations(), 1, 1_000_000, 0, 10, 100);
        preset.addListener(SWT.Selection, e -> iterations.setSelection(presetOptions().iterations()));
        new Label(form, SWT.NONE);
        device = new Label(form, SWT.WRAP);
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(device);
        backend.addListener(SWT.Selection, e -> showDevice());

        Composite buttons = new Composite(form, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(4).applyTo(buttons);
        GridDataFactory.fillDefaults().span(3, 1).applyTo(buttons);
        start = button(buttons, "Start", () -> startTraining(false));
        stop = button(buttons, "Stop", this::stopTraining);
        resume = button(buttons, "Resume", () -> startTraining(true));
        Button refresh = button(buttons, "Refresh services", this::fillServices);
        refresh.setToolTipText("Lists again the backends and deformation models (a lab bundle appears here)");
        bar = new ProgressBar(form, SWT.SMOOTH);
        bar.setMaximum(1000);
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(bar);
        status = new Label(form, SWT.WRAP);
        status.setText("Idle");
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).hint(400, SWT.DEFAULT).applyTo(status);

        Composite plots = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(plots);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(plots);
        lossPlot = plot(plots, "Training loss (log scale)");
        lossPlot.setLogY(true);
        psnrPlot = plot(plots, "Training PSNR (dB, masked)");
        surfelPlot = plot(plots, "Surfels");

        fillServices();
        stop.setEnabled(false);
        workspace.onRun(runListener);
    }

    @PreDestroy
    public void dispose() {
        workspace.remove(runListener);
        if (job != null) {
            job.cancel();
        }
    }

    private void runChanged(Path run) {
        if (run != null && bar != null && !bar.isDisposed()) {
            bar.getDisplay().asyncExec(() -> {
                if (!runFolder.isDisposed() && job == null) {
                    runFolder.setText(run.toString());
                    refreshPlots(run);
                }
            });
        }
    }

    private static LinePlot plot(Composite parent, String title) {
        LinePlot p = new LinePlot(parent, title, "iterations");
        GridDataFactory.fillDefaults().grab(true, true).applyTo(p);
        return p;
    }

    private static void label(Composite parent, String text) {
        new Label(parent, SWT.NONE).setText(text);
    }

    private static Text field(Composite parent, String name, String hint) {
        label(parent, name);
        Text t = new Text(parent, SWT.BORDER);
        t.setMessage(hint);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(t);
        return t;
    }

    private static void browse(Composite parent, Text target) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText("...");
        b.addListener(SWT.Selection, e -> {
            DirectoryDialog d = new DirectoryDialog(parent.getShell());
            d.setFilterPath(target.getText());
            String s = d.open();
            if (s != null) {
                target.setText(s);
            }
        });
    }

    private static Button button(Composite parent, String text, Runnable action) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(text);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }

    /** Backends and deformation models as registered now: a lab bundle's model shows up without code changes. */
    public void fillServices() {
        Settings prefs = Settings.ofUser();
        String wantedBackend = prefs.get(Settings.BACKEND);
        backend.removeAll();
        int select = -1;
        for (ComputeBackend b : catalog.computeBackends()) {
            backend.add(b.name() + (b.isAvailable() ? "" : " (unavailable)"));
            backend.setData(b.name(), b);
            if (select < 0 && b.isAvailable() && (wantedBackend == null || wantedBackend.equals(b.name()))) {
                select = backend.getItemCount() - 1;
            }
        }
        if (select < 0 && backend.getItemCount() > 0) {
            select = 0;
        }
        backend.select(select);
        String keep = deformation.getSelectionIndex() >= 0 ? deformation.getItem(deformation.getSelectionIndex())
                : TrainOptions.cpu().deformationModel();
        deformation.removeAll();
        for (DeformationModel m : catalog.deformationModels()) {
            deformation.add(m.name());
        }
        int d = deformation.indexOf(keep);
        deformation.select(Math.max(0, d));
        showDevice();
    }

    private ComputeBackend chosenBackend() {
        int i = backend.getSelectionIndex();
        if (i < 0) {
            return null;
        }
        String name = backend.getItem(i).replace(" (unavailable)", "");
        return (ComputeBackend) backend.getData(name);
    }

    private void showDevice() {
        ComputeBackend b = chosenBackend();
        device.setText(b == null ? "no compute backend installed"
                : "Device: " + b.device() + (b.isAvailable() ? "" : " - unavailable: " + b.unavailableReason()));
        device.getParent().layout();
    }

    private TrainOptions presetOptions() {
        return "published".equals(preset.getText()) ? TrainOptions.published() : TrainOptions.cpu();
    }

    /** The request the form describes: the same RunRequest `d2dgs run --to-stage train` builds. */
    RunRequest request() {
        ComputeBackend b = chosenBackend();
        if (b == null) {
            throw new UserInputException("no compute backend installed");
        }
        if (!b.isAvailable()) {
            throw new UserInputException("backend " + b.name() + " is unavailable: " + b.unavailableReason());
        }
        String out = runFolder.getText().trim();
        if (out.isEmpty()) {
            throw new UserInputException("choose a run folder");
        }
        String data = dataset.getText().trim();
        int[] wh = parseSize(sceneSize.getText().trim());
        SceneSpec spec = new SceneSpec(6666, sceneFrames.getSelection(), wh[0], wh[1], Map.of());
        TrainOptions options = presetOptions().with(Map.of("iterations", iterations.getSelection(),
                "deformationModel", deformation.getText()));
        return new RunRequest(data.isEmpty() ? null : Path.of(data), null, spec, Path.of(out), ReadOptions.defaults(),
                options, b.name(), null, Stages.TRAIN, Set.of(), false, List.of(), List.of());
    }

    static int[] parseSize(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int w = Integer.parseInt(p[0].trim());
                int h = Integer.parseInt(p[1].trim());
                if (w >= 16 && h >= 16) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserInputException("scene size must look like 320x256 (at least 16x16), got '" + s + "'");
    }

    /** Sets the form (used by the tour and the screenshot script). */
    public void configure(String datasetFolder, String size, int frames, Path run, int iterationCount,
            String deformationModel) {
        dataset.setText(datasetFolder == null ? "" : datasetFolder);
        int d = deformation.indexOf(deformationModel);
        if (d < 0) {
            throw new UserInputException("deformation model '" + deformationModel + "' is not installed");
        }
        deformation.select(d);
        sceneSize.setText(size);
        sceneFrames.setSelection(frames);
        runFolder.setText(run.toString());
        iterations.setSelection(iterationCount);
    }

    public boolean isTraining() {
        return job != null;
    }

    /** Starts a fresh run, or resumes the run folder's newest checkpoint. */
    public void startTraining(boolean resuming) {
        RunRequest req;
        try {
            req = request();
            Path latest = Clips.checkpoints(req.runFolder()).resolve("latest.json");
            if (!resuming && Files.exists(latest)) {
                throw new UserInputException(req.runFolder(), "this run folder already has training checkpoints: "
                        + "press Resume to continue, or choose another run folder");
            }
            if (resuming && !Files.exists(latest)) {
                throw new UserInputException(req.runFolder(), "nothing to resume: no training checkpoint in this "
                        + "run folder");
            }
        } catch (UserInputException e) {
            UiJobs.showError(status, resuming ? "Resume training" : "Start training", e.getMessage());
            return;
        }
        running = req.runFolder();
        lastStatus = "starting";
        lastFraction = 0;
        setRunning(true);
        final RunRequest request = req;
        job = UiJobs.run("Training " + request.runFolder().getFileName(), status,
                monitor -> pipeline.run(request, new MonitorProgress(monitor, (f, s) -> {
                    lastFraction = f;
                    lastStatus = s;
                })), this::finished, () -> {
                    job = null;
                    setRunning(false);
                    refreshPlots(running);
                    status.setText(lastStatus.startsWith("Trained") ? lastStatus : "Stopped: " + lastStatus);
                });
        poll();
    }

    private void finished(RunReport report) {
        Object surfels = report.summary().get("surfels");
        Object its = report.summary().get("iterations");
        Object psnr = report.summary().get("trainPsnr");
        lastStatus = String.format(Locale.ROOT, "Trained: %s iterations, %s surfels, train PSNR %s dB on %s (%s)",
                its, surfels, psnr instanceof Number n ? String.format(Locale.ROOT, "%.2f", n.doubleValue()) : psnr,
                report.summary().get("backend"), report.summary().get("device"));
        workspace.setRun(report.runFolder());
    }

    public void stopTraining() {
        if (job != null) {
            job.cancel();
            status.setText("Stopping at the next iteration...");
        }
    }

    private void setRunning(boolean on) {
        start.setEnabled(!on);
        resume.setEnabled(!on);
        stop.setEnabled(on);
    }

    /** Redraws progress and curves twice a second while the job runs (the log is written by the trainer). */
    private void poll() {
        if (bar.isDisposed() || job == null) {
            return;
        }
        if (!Double.isNaN(lastFraction)) {
            bar.setSelection((int) Math.round(lastFraction * bar.getMaximum()));
        }
        status.setText(lastStatus);
        refreshPlots(running);
        bar.getDisplay().timerExec(500, this::poll);
    }

    private void refreshPlots(Path run) {
        if (run == null || lossPlot.isDisposed()) {
            return;
        }
        TrainingCurve c = TrainingCurve.read(Clips.trainingLog(run));
        lossPlot.setSeries(List.of(new LinePlot.Series("loss", LinePlot.BLUE, c.iteration(), c.loss())));
        psnrPlot.setSeries(List.of(new LinePlot.Series("PSNR", LinePlot.ORANGE, c.iteration(), c.psnr())));
        surfelPlot.setSeries(List.of(new LinePlot.Series("surfels", LinePlot.GREEN, c.iteration(), c.surfels())));
    }

    /** Number of rows in the live log so far (the tour checks that progress was visible). */
    public int loggedIterations() {
        return running == null ? 0 : TrainingCurve.read(Clips.trainingLog(running)).size();
    }

    public String statusText() {
        return status.getText();
    }
}
