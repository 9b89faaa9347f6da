package org.diff2dgs.ui.internal.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.ui.internal.support.Clips;
import org.diff2dgs.ui.internal.support.UiJobs;
import org.diff2dgs.ui.internal.support.Workspace;
import org.diff2dgs.viewer.api.SplatRenderer;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.api.ViewMode;
import org.diff2dgs.viewer.api.ViewSettings;
import org.diff2dgs.viewer.api.Visualization;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTError;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.opengl.GLCanvas;
import org.eclipse.swt.opengl.GLData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;

/**
 * The trained surfels in 3D at any time of the clip, through the viewer service on an SWT GLCanvas: drag to orbit,
 * right- or shift-drag to pan, wheel to zoom; a time slider with play; colour, depth and normal modes; the dataset's
 * cameras; PNG and frame-sequence export.
 */
public class ViewerPart {

    private static final int TIME_STEPS = 1000;

    @Inject
    Visualization visualization;

    @Inject
    Reconstructor reconstructor;

    @Inject
    ServiceCatalog catalog;

    @Inject
    Workspace workspace;

    private Composite root;
    private GLCanvas canvas;
    private SplatRenderer renderer;
    private Label info;
    private Label fpsLabel;
    private Combo mode;
    private Button cameras;
    private Scale time;
    private Button play;
    private SceneState scene;
    private List<Camera> sceneCameras = List.of();
    private Path loadedRun;
    private Path loading;
    private ViewSettings settings;
    private SplatScene current;
    private boolean playing;
    private int dragButton;
    private int lastX;
    private int lastY;
    private long fpsWindowStart;
    private int fpsFrames;
    private double fps = Double.NaN;
    private String glUnavailable;
    private final java.util.function.Consumer<Path> runListener = run -> {
        if (root != null && !root.isDisposed()) {
            root.getDisplay().asyncExec(() -> load(run));
        }
    };

    @PostConstruct
    public void create(Composite parent) {
        root = parent;
        GridLayoutFactory.fillDefaults().margins(6, 6).numColumns(8).applyTo(parent);
        Button open = new Button(parent, SWT.PUSH);
        open.setText("Open run...");
        open.addListener(SWT.Selection, e -> {
            String d = new DirectoryDialog(parent.getShell()).open();
            if (d != null) {
                load(Path.of(d));
            }
        });
        mode = new Combo(parent, SWT.READ_ONLY);
        mode.setItems("Colour", "Depth", "Normals");
        mode.select(0);
        mode.addListener(SWT.Selection, e -> {
            if (settings != null) {
                settings = settings.with(ViewMode.values()[mode.getSelectionIndex()]);
                canvasRedraw();
            }
        });
        cameras = new Button(parent, SWT.CHECK);
        cameras.setText("Cameras");
        cameras.setSelection(true);
        cameras.addListener(SWT.Selection, e -> {
            if (settings != null) {
                settings = new ViewSettings(settings.view(), settings.mode(), cameras.getSelection(),
                        settings.splatScale());
                canvasRedraw();
            }
        });
        play = new Button(parent, SWT.TOGGLE);
        play.setText("Play");
        play.addListener(SWT.Selection, e -> setPlaying(play.getSelection()));
        time = new Scale(parent, SWT.HORIZONTAL);
        time.setMinimum(0);
        time.setMaximum(TIME_STEPS);
        time.addListener(SWT.Selection, e -> setTime(time.getSelection() / (double) TIME_STEPS));
        GridDataFactory.fillDefaults().grab(true, false).applyTo(time);
        Button png = new Button(parent, SWT.PUSH);
        png.setText("Export PNG...");
        png.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(parent.getShell(), SWT.SAVE);
            d.setFilterExtensions(new String[] {"*.png"});
            d.setFileName("view.png");
            String f = d.open();
            if (f != null) {
                exportPng(Path.of(f));
            }
        });
        Button frames = new Button(parent, SWT.PUSH);
        frames.setText("Export frames...");
        frames.addListener(SWT.Selection, e -> {
            String d = new DirectoryDialog(parent.getShell()).open();
            if (d != null) {
                exportFrames(Path.of(d), 48, null);
            }
        });
        fpsLabel = new Label(parent, SWT.NONE);
        fpsLabel.setText("             ");
        info = new Label(parent, SWT.NONE);
        info.setText("No run loaded: train one, or open a run folder.");
        GridDataFactory.fillDefaults().grab(true, false).span(8, 1).applyTo(info);
        createCanvas(parent);
        workspace.onRun(runListener);
        if (workspace.run() != null) {
            load(workspace.run());
        }
    }

    private void createCanvas(Composite parent) {
        GLData data = new GLData();
        data.doubleBuffer = true;
        data.depthSize = 24;
        try {
            canvas = new GLCanvas(parent, SWT.NO_BACKGROUND, data);
            canvas.setCurrent();
            renderer = visualization.createRenderer();
        } catch (SWTError | SWTException | UserInputException | UnsatisfiedLinkError e) {
            glUnavailable = "The 3D view needs OpenGL 3.3: " + e.getMessage();
            if (canvas != null) {
                canvas.dispose();
                canvas = null;
            }
            Label l = new Label(parent, SWT.WRAP | SWT.CENTER);
            l.setText(glUnavailable);
            GridDataFactory.fillDefaults().grab(true, true).span(8, 1).applyTo(l);
            return;
        }
        GridDataFactory.fillDefaults().grab(true, true).span(8, 1).applyTo(canvas);
        info.setToolTipText(renderer.glInfo());
        canvas.addListener(SWT.Paint, e -> paint());
        canvas.addListener(SWT.Resize, e -> canvas.redraw());
        canvas.addListener(SWT.MouseDown, e -> {
            dragButton = (e.button == 1 && (e.stateMask & SWT.SHIFT) != 0) ? 3 : e.button;
            lastX = e.x;
            lastY = e.y;
        });
        canvas.addListener(SWT.MouseUp, e -> dragButton = 0);
        canvas.addListener(SWT.MouseMove, e -> {
            if (dragButton == 0 || settings == null) {
                return;
            }
            int dx = e.x - lastX;
            int dy = e.y - lastY;
            lastX = e.x;
            lastY = e.y;
            Rectangle r = canvas.getClientArea();
            if (dragButton == 1) {
                settings = settings.with(settings.view().orbit(dx * 0.008, dy * 0.008));
            } else {
                settings = settings.with(settings.view().pan(dx / (double) Math.max(1, r.height),
                        dy / (double) Math.max(1, r.height)));
            }
            canvas.redraw();
        });
        canvas.addListener(SWT.MouseVerticalWheel, e -> {
            if (settings != null) {
                settings = settings.with(settings.view().zoom(Math.pow(0.9, e.count / 3.0)));
                canvas.redraw();
            }
        });
    }

    @PreDestroy
    public void dispose() {
        workspace.remove(runListener);
        playing = false;
        if (renderer != null && canvas != null && !canvas.isDisposed()) {
            canvas.setCurrent();
            renderer.close();
        }
    }

    /** Why there is no 3D view here, or null. */
    public String glUnavailable() {
        return glUnavailable;
    }

    /** Loads the newest checkpoint of a run and the cameras of its dataset, in a job. */
    public void load(Path run) {
        if (run == null || root.isDisposed() || run.equals(loading)) {
            return;
        }
        loading = run;
        info.setText("Loading " + run + " ...");
        UiJobs.run("Load " + run.getFileName() + " in 3D", info, monitor -> {
            Path checkpoints = Clips.checkpoints(run);
            if (!Files.isDirectory(checkpoints)) {
                throw new UserInputException(run, "no trained model in this run (train/checkpoints/ is missing)");
            }
            SceneState state = reconstructor.load(checkpoints);
            return new Object[] {state, cameras(run)};
        }, r -> {
            scene = (SceneState) r[0];
            @SuppressWarnings("unchecked")
            List<Camera> cams = (List<Camera>) r[1];
            sceneCameras = cams;
            loadedRun = run;
            current = visualization.sceneAt(scene.surfels(), scene.deformation(), 0, sceneCameras);
            settings = visualization.initialView(current, ViewMode.values()[mode.getSelectionIndex()]);
            settings = new ViewSettings(settings.view(), settings.mode(), cameras.getSelection(), 1.0);
            time.setSelection(0);
            if (renderer != null) {
                canvas.setCurrent();
                renderer.setScene(current);
            }
            showInfo();
            canvasRedraw();
        }, () -> loading = null);
    }

    private List<Camera> cameras(Path run) {
        Workspace.OpenClip clip = workspace.clip();
        Path dataset = Clips.datasetOfRun(run);
        Sequence seq = clip != null && clip.sequence() != null && clip.folder().equals(dataset) ? clip.sequence()
                : Clips.reader(catalog, dataset).read(dataset, org.diff2dgs.core.api.ReadOptions.defaults(),
                        Progress.NONE);
        return seq.frames().stream().map(Frame::camera).filter(c -> c != null).toList();
    }

    private void showInfo() {
        if (scene == null) {
            return;
        }
        info.setText(String.format(Locale.ROOT, "%s: %d surfels, iteration %d, deformation %s, t = %.3f, %d cameras",
                loadedRun, scene.surfels().count(), scene.iteration(), scene.deformation() == null ? "none"
                        : scene.deformation().modelName(), current.time(), sceneCameras.size()));
    }

    /** Moves to normalized time t: the deformation model gives the surfels' positions, rotations and scales there. */
    public void setTime(double t) {
        if (scene == null) {
            return;
        }
        current = visualization.sceneAt(scene.surfels(), scene.deformation(), t, sceneCameras);
        time.setSelection((int) Math.round(t * TIME_STEPS));
        if (renderer != null) {
            canvas.setCurrent();
            renderer.setScene(current);
        }
        showInfo();
        canvasRedraw();
    }

    public void setMode(ViewMode m) {
        mode.select(m.ordinal());
        if (settings != null) {
            settings = settings.with(m);
            canvasRedraw();
        }
    }

    /** Moves the eye away from (factor > 1) or towards the target. */
    public void zoom(double factor) {
        if (settings != null) {
            settings = settings.with(settings.view().zoom(factor));
            canvasRedraw();
        }
    }

    /** Turns the view (the tour and the screenshot script use it). */
    public void orbit(double yaw, double pitch) {
        if (settings != null) {
            settings = settings.with(settings.view().orbit(yaw, pitch));
            canvasRedraw();
        }
    }

    private void setPlaying(boolean on) {
        playing = on;
        play.setSelection(on);
        if (on) {
            tick();
        }
    }

    private void tick() {
        if (!playing || root.isDisposed() || scene == null) {
            return;
        }
        int next = (time.getSelection() + 5) % (TIME_STEPS + 1);
        setTime(next / (double) TIME_STEPS);
        root.getDisplay().timerExec(30, this::tick);
    }

    private void canvasRedraw() {
        if (canvas != null && !canvas.isDisposed()) {
            canvas.redraw();
        }
    }

    private void paint() {
        if (canvas == null || canvas.isDisposed()) {
            return;
        }
        canvas.setCurrent();
        Rectangle r = canvas.getClientArea();
        if (settings != null) {
            renderer.draw(settings, r.width, r.height);
        } else {
            renderer.draw(new ViewSettings(org.diff2dgs.viewer.api.OrbitView.lookingAt(new double[3], 1, 1),
                    ViewMode.COLOR, false, 1), r.width, r.height);
        }
        canvas.swapBuffers();
        countFrame();
    }

    private void countFrame() {
        long now = System.nanoTime();
        if (fpsWindowStart == 0) {
            fpsWindowStart = now;
        }
        fpsFrames++;
        if (now - fpsWindowStart > 1_000_000_000L) {
            fps = fpsFrames / ((now - fpsWindowStart) / 1e9);
            fpsWindowStart = now;
            fpsFrames = 0;
            fpsLabel.setText(String.format(Locale.ROOT, "%.1f FPS", fps));
        }
    }

    /**
     * Draws {@code frames} frames while orbiting, each finished (glFinish), and returns frames per second: the
     * sort and the draw of every frame included.
     */
    public double measureFps(int frames) {
        if (renderer == null || settings == null) {
            return Double.NaN;
        }
        canvas.setCurrent();
        Rectangle r = canvas.getClientArea();
        ViewSettings s = settings;
        renderer.draw(s, r.width, r.height);
        renderer.readPixels(1, 1); // waits for the warm-up frame
        long t0 = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            s = s.with(s.view().orbit(0.01, 0));
            renderer.draw(s, r.width, r.height);
            canvas.swapBuffers();
        }
        renderer.readPixels(1, 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        settings = s;
        return frames / seconds;
    }

    /** Canvas size in pixels. */
    public Rectangle viewport() {
        return canvas == null ? new Rectangle(0, 0, 0, 0) : canvas.getClientArea();
    }

    public int surfelCount() {
        return current == null ? 0 : current.count();
    }

    public String glInfo() {
        return renderer == null ? glUnavailable : renderer.glInfo();
    }

    /** Replaces the splats (the benchmark shows a scene of a chosen size this way). */
    public void showScene(SplatScene s) {
        current = s;
        settings = visualization.initialView(s, ViewMode.COLOR);
        if (renderer != null) {
            canvas.setCurrent();
            renderer.setScene(s);
        }
        canvasRedraw();
    }

    /** The current view as drawn now, written as PNG. */
    public void exportPng(Path file) {
        if (renderer == null || settings == null) {
            UiJobs.showError(root, "Export PNG", glUnavailable != null ? glUnavailable : "no run loaded");
            return;
        }
        try {
            visualization.writePng(grab(), file);
            info.setText("Wrote " + file);
        } catch (UserInputException e) {
            UiJobs.showError(root, "Export PNG", e.getMessage());
        }
    }

    private FloatImage grab() {
        canvas.setCurrent();
        Rectangle r = canvas.getClientArea();
        renderer.draw(settings, r.width, r.height);
        FloatImage img = renderer.readPixels(r.width, r.height);
        canvas.swapBuffers();
        return img;
    }

    /**
     * Writes {@code count} frames evenly over t in [0, 1] as frame-0000.png ... into a folder, one frame per UI
     * event-loop turn so the window stays responsive; {@code done} runs after the last one.
     */
    public void exportFrames(Path folder, int count, Runnable done) {
        if (renderer == null || scene == null) {
            UiJobs.showError(root, "Export frames", glUnavailable != null ? glUnavailable : "no run loaded");
            return;
        }
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            UiJobs.showError(root, "Export frames", folder + ": cannot create the folder: " + e.getMessage());
            return;
        }
        double keep = current.time();
        exportFrame(folder, 0, count, keep, done);
    }

    private void exportFrame(Path folder, int k, int count, double keep, Runnable done) {
        if (root.isDisposed()) {
            return;
        }
        if (k == count) {
            setTime(keep);
            info.setText("Wrote " + count + " frames to " + folder);
            if (done != null) {
                done.run();
            }
            return;
        }
        setTime(count == 1 ? 0 : k / (double) (count - 1));
        try {
            visualization.writePng(grab(), folder.resolve(String.format(Locale.ROOT, "frame-%04d.png", k)));
        } catch (UserInputException e) {
            UiJobs.showError(root, "Export frames", e.getMessage());
            return;
        }
        info.setText("Exporting frame " + (k + 1) + "/" + count);
        root.getDisplay().asyncExec(() -> exportFrame(folder, k + 1, count, keep, done));
    }
}
