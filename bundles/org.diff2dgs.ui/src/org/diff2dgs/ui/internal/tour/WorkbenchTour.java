package org.diff2dgs.ui.internal.tour;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.io.AtomicFiles;
import org.diff2dgs.ui.internal.parts.DatasetsPart;
import org.diff2dgs.ui.internal.parts.EvaluationPart;
import org.diff2dgs.ui.internal.parts.InpaintingPart;
import org.diff2dgs.ui.internal.parts.TrainingPart;
import org.diff2dgs.ui.internal.parts.ViewerPart;
import org.diff2dgs.ui.internal.support.Errors;
import org.diff2dgs.ui.internal.support.Workspace;
import org.diff2dgs.viewer.api.ViewMode;
import org.diff2dgs.viewer.bench.SurfelSheet;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.EPartService.PartState;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.event.Event;

/**
 * A guided walk through every view with real data, started by the system property {@code d2dgs.tour=<folder>}
 * (launch script: {@code diff2dgs-workbench --tour <folder>}): a wrong folder gives its error dialog, the built-in
 * synthetic scene is trained for a few iterations with live progress, the clip is browsed, the result is shown in
 * 3D (colour, depth, normals, another time, PNG and frame export), evaluated, and the preferences and services are
 * shown. Every view is photographed into the folder, each step is written to {@code tour.txt} as PASS or FAIL, and
 * the workbench closes. CI runs it under Xvfb as the smoke test; releng/scripts/workbench-screenshots.sh uses it to
 * refresh the pictures in docs/.
 */
public class WorkbenchTour {

    public static final String PROPERTY = "d2dgs.tour";

    @Inject
    MApplication application;

    @Inject
    Workspace workspace;

    @Inject
    ServiceCatalog catalog;

    @Inject
    org.diff2dgs.viewer.api.Visualization visualization;

    private Path out;
    private EPartService parts;
    private Shell shell;
    private final List<String> report = new ArrayList<>();
    private final List<Runnable> steps = new ArrayList<>();
    private boolean failed;
    private Path runA;
    private Path runB;
    private long stepStart;

    @Inject
    @Optional
    public void started(@UIEventTopic(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE) Event event) {
        String folder = System.getProperty(PROPERTY);
        if (folder == null || folder.isBlank()) {
            return;
        }
        out = Path.of(folder).toAbsolutePath();
        MWindow window = application.getChildren().get(0);
        parts = window.getContext().get(EPartService.class);
        shell = (Shell) window.getWidget();
        shell.setBounds(0, 0, 1280, 800);
        runA = out.resolve("runs").resolve("tour-a");
        runB = out.resolve("runs").resolve("tour-b");
        plan();
        Display.getCurrent().timerExec(1500, this::next);
    }

    private int iterations() {
        return Integer.getInteger("d2dgs.tour.iterations", 60);
    }

    private boolean compare() {
        return Boolean.getBoolean("d2dgs.tour.compare");
    }

    private void plan() {
        step("services view lists the installed services", () -> {
            show("services");
            shot("services");
        });
        Path missing = out.resolve("no-such-dataset");
        int errorsBefore = Errors.shown().size();
        stepWaiting("a missing dataset folder gives the command line's message in a dialog", () -> {
            show("datasets");
            this.<DatasetsPart>part("datasets").open(missing);
        }, () -> Errors.shown().size() > errorsBefore && dialogOpen(), 20, () -> {
            String msg = Errors.shown().get(Errors.shown().size() - 1);
            check(msg.contains(missing.toString()) && msg.contains("dataset folder not found"), "message: " + msg);
            shot("error-dialog");
            closeDialogs();
        });
        trainingSteps(runA, "gaussian-basis", "training", true);
        if (compare()) {
            trainingSteps(runB, "mlp", "training-b", false);
        }
        stepWaiting("the run's clip opens in the datasets view with its validation report", () -> {
            show("datasets");
            this.<DatasetsPart>part("datasets").open(runA);
        }, () -> workspace.clip() != null && workspace.clip().sequence() != null, 120, () -> {
            DatasetsPart d = part("datasets");
            d.showFrame(workspace.clip().sequence().size() / 2, "IMAGE");
            shot("datasets");
            d.showFrame(workspace.clip().sequence().size() / 2, "MASK");
            shot("datasets-mask");
            d.showFrame(workspace.clip().sequence().size() / 2, "DEPTH");
            shot("datasets-depth");
        });
        Path inpainted = out.resolve("inpainted");
        stepWaiting("the inpainting view restores the clip with an installed method (or says none is installed)",
                () -> {
                    show("inpainting");
                    InpaintingPart p = part("inpainting");
                    p.fillMethods();
                    if (catalog.inpainters().stream().anyMatch(i -> i.unavailableReason() == null)) {
                        p.setOutput(inpainted);
                        p.inpaint();
                    }
                }, () -> !this.<InpaintingPart>part("inpainting").isRunning(), 600, () -> {
                    InpaintingPart p = part("inpainting");
                    if (catalog.inpainters().stream().anyMatch(i -> i.unavailableReason() == null)) {
                        check(p.result() != null && Files.isRegularFile(inpainted.resolve("inpainting.json")),
                                "inpainted clip written");
                        shot("inpainting");
                        show("datasets");
                        this.<DatasetsPart>part("datasets").showFrame(workspace.clip().sequence().size() / 2,
                                "INPAINTED");
                        shot("datasets-inpainted");
                    } else {
                        note("no inpainting method installed: " + catalog.inpainters().size() + " services");
                        shot("inpainting");
                    }
                });
        stepWaiting("the trained surfels show in 3D", () -> show("viewer"), () -> {
            ViewerPart v = part("viewer");
            return v.glUnavailable() != null || v.surfelCount() > 0;
        }, 120, () -> {
            ViewerPart v = part("viewer");
            check(v.glUnavailable() == null, "OpenGL: " + v.glUnavailable());
            note("GL: " + v.glInfo() + ", " + v.surfelCount() + " surfels");
            v.setTime(0.5);
            shot("viewer");
            v.setMode(ViewMode.DEPTH);
            shot("viewer-depth");
            v.setMode(ViewMode.NORMAL);
            shot("viewer-normal");
            v.setMode(ViewMode.COLOR);
            v.orbit(0.6, 0.3);
            v.zoom(2.2);
            shot("viewer-orbit");
            v.exportPng(out.resolve("export").resolve("view.png"));
            check(Files.isRegularFile(out.resolve("export").resolve("view.png")), "PNG export");
            note(String.format(Locale.ROOT, "viewer FPS (%d surfels, %dx%d): %.1f", v.surfelCount(),
                    v.viewport().width, v.viewport().height, v.measureFps(20)));
        });
        Path frames = out.resolve("export").resolve("frames");
        stepWaiting("a frame sequence over time is exported", () -> this.<ViewerPart>part("viewer")
                .exportFrames(frames, 4, null), () -> Files.isRegularFile(frames.resolve("frame-0003.png")), 60,
                () -> check(Files.isRegularFile(frames.resolve("frame-0000.png")), "frames written"));
        stepWaiting("evaluation shows the metrics table", () -> {
            show("evaluation");
            EvaluationPart e = part("evaluation");
            e.setRuns(runA, compare() ? runB : null);
            e.evaluate(true);
        }, () -> Files.isRegularFile(runA.resolve("metrics.json")) && this.<EvaluationPart>part("evaluation")
                .rowCount() > 0, 300, () -> {
                    if (compare()) {
                        return;
                    }
                    shot("evaluation");
                });
        if (compare()) {
            stepWaiting("two runs side by side", () -> this.<EvaluationPart>part("evaluation").evaluate(false),
                    () -> Files.isRegularFile(runB.resolve("metrics.json")), 300, () -> {
                        EvaluationPart e = part("evaluation");
                        e.setRuns(runA, runB);
                        shot("evaluation");
                    });
        }
        int benchmark = Integer.getInteger("d2dgs.tour.benchmark", 0);
        if (benchmark > 0) {
            step("viewer benchmark with " + benchmark + " surfels", () -> {
                show("viewer");
                ViewerPart v = part("viewer");
                var model = SurfelSheet.of(benchmark, 7);
                long t0 = System.nanoTime();
                var scene = visualization.sceneAt(model, null, 0, java.util.List.of());
                double build = (System.nanoTime() - t0) / 1e6;
                v.showScene(scene);
                flush();
                double fps = v.measureFps(20);
                note(String.format(Locale.ROOT, "benchmark on screen: %d surfels, %dx%d, %.2f FPS (%.0f ms/frame, "
                        + "sorted every frame while orbiting); splat build %.0f ms; GL %s", scene.count(),
                        v.viewport().width, v.viewport().height, fps, 1000 / fps, build, v.glInfo()));
                shot("viewer-benchmark");
                var settings = visualization.initialView(scene, ViewMode.COLOR);
                long s0 = System.nanoTime();
                visualization.snapshot(scene, settings, 1280, 720);
                note(String.format(Locale.ROOT, "benchmark offscreen (EGL): %d surfels, 1280x720 snapshot in %.0f ms "
                        + "(context creation, upload, sort, draw, read back)", scene.count(),
                        (System.nanoTime() - s0) / 1e6));
                v.load(runA);
            });
        }
        step("preferences view", () -> {
            show("preferences");
            shot("preferences");
        });
        step("3D view last", () -> show("viewer"));
    }

    private void trainingSteps(Path run, String deformation, String name, boolean liveShot) {
        boolean[] shotTaken = {!liveShot};
        stepWaiting("training " + run.getFileName() + " (" + deformation + ") runs with visible progress", () -> {
            show("training");
            TrainingPart t = part("training");
            t.fillServices();
            t.configure(null, System.getProperty("d2dgs.tour.size", "160x128"), Integer.getInteger("d2dgs.tour.frames", 12),
                    run, iterations(), deformation);
            t.startTraining(false);
        }, () -> {
            TrainingPart t = part("training");
            if (!shotTaken[0] && t.loggedIterations() >= 3) {
                shotTaken[0] = true;
                shot(name + "-live");
            }
            return !t.isTraining();
        }, 900, () -> {
            TrainingPart t = part("training");
            check(t.statusText().startsWith("Trained"), "status: " + t.statusText());
            check(t.loggedIterations() > 0, "logged iterations: " + t.loggedIterations());
            note(t.statusText());
            shot(name);
        });
    }

    // ---- the little step engine: every step runs on the UI thread, waits poll the event loop ----

    private void step(String name, Runnable action) {
        stepWaiting(name, action, () -> true, 1, () -> {
        });
    }

    private void stepWaiting(String name, Runnable action, BooleanSupplier done, int timeoutSeconds,
            Runnable after) {
        steps.add(() -> {
            stepStart = System.nanoTime();
            try {
                action.run();
            } catch (RuntimeException | AssertionError e) {
                fail(name, e);
                next();
                return;
            }
            waitFor(name, done, System.nanoTime() + timeoutSeconds * 1_000_000_000L, after);
        });
    }

    private void waitFor(String name, BooleanSupplier done, long deadline, Runnable after) {
        boolean ok;
        try {
            ok = done.getAsBoolean();
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok && System.nanoTime() < deadline) {
            Display.getCurrent().timerExec(250, () -> waitFor(name, done, deadline, after));
            return;
        }
        try {
            if (!ok) {
                throw new AssertionError("timed out");
            }
            after.run();
            report.add(String.format(Locale.ROOT, "PASS %s (%.1f s)", name, (System.nanoTime() - stepStart) / 1e9));
        } catch (RuntimeException | AssertionError e) {
            fail(name, e);
        }
        next();
    }

    private void fail(String name, Throwable e) {
        failed = true;
        report.add("FAIL " + name + ": " + e);
        e.printStackTrace();
    }

    private void next() {
        if (steps.isEmpty()) {
            finish();
            return;
        }
        Runnable s = steps.remove(0);
        Display.getCurrent().timerExec(400, s);
    }

    private void finish() {
        report.add(failed ? "RESULT FAIL" : "RESULT PASS");
        AtomicFiles.writeString(out.resolve("tour.txt"), String.join("\n", report) + "\n");
        report.forEach(l -> System.out.println("tour: " + l));
        application.getContext().get(IWorkbench.class).close();
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private void note(String line) {
        report.add("  " + line);
    }

    private void show(String id) {
        parts.showPart("org.diff2dgs.ui.part." + id, PartState.ACTIVATE);
        flush();
    }

    @SuppressWarnings("unchecked")
    private <T> T part(String id) {
        MPart p = parts.findPart("org.diff2dgs.ui.part." + id);
        if (p.getObject() == null) {
            parts.showPart(p, PartState.ACTIVATE);
        }
        return (T) p.getObject();
    }

    /** Lets pending layout and paint events run before a picture is taken. */
    private void flush() {
        Display d = Display.getCurrent();
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            while (d.readAndDispatch()) {
                // drain
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void shot(String name) {
        flush();
        try {
            Screenshots.shell(shell, out.resolve("screenshots").resolve(name + ".png"));
        } catch (IOException e) {
            throw new AssertionError("screenshot " + name + ": " + e);
        }
    }

    private boolean dialogOpen() {
        for (Shell s : Display.getCurrent().getShells()) {
            if (s != shell && s.isVisible()) {
                return true;
            }
        }
        return false;
    }

    /** Takes the picture with the dialog in front, then closes it. */
    private void closeDialogs() {
        for (Shell s : Display.getCurrent().getShells()) {
            if (s != shell && s.isVisible()) {
                s.close();
            }
        }
    }
}
