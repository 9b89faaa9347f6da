package org.diff2dgs.ui.internal.parts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.ui.internal.support.Clips;
import org.diff2dgs.ui.internal.support.MonitorProgress;
import org.diff2dgs.ui.internal.support.Pictures;
import org.diff2dgs.ui.internal.support.UiJobs;
import org.diff2dgs.ui.internal.support.Workspace;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/**
 * Open a clip folder or a run, read the reader's validation report (every problem with its file), and browse the
 * frames through time with image, depth, instrument-mask, inpainted and ground-truth overlays.
 */
public class DatasetsPart {

    /** What the frame browser shows. */
    enum Overlay {
        IMAGE("Image"), DEPTH("Depth"), MASK("Instrument mask"), INPAINTED("Inpainted"), TRUTH("Ground truth");

        final String label;

        Overlay(String label) {
            this.label = label;
        }
    }

    @Inject
    ServiceCatalog catalog;

    @Inject
    Workspace workspace;

    private Label source;
    private Table summary;
    private Table problems;
    private Canvas frameCanvas;
    private Scale scrubber;
    private Label frameLabel;
    private ProgressBar progress;
    private final Map<Overlay, Button> overlayButtons = new java.util.EnumMap<>(Overlay.class);
    private Overlay overlay = Overlay.IMAGE;
    private Image shown;
    private Path inpaintedFolder;
    private final java.util.function.Consumer<Workspace.OpenClip> clipListener = c -> {
        if (source != null && !source.isDisposed()) {
            source.getDisplay().asyncExec(() -> show(c));
        }
    };

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(8, 8).numColumns(4).applyTo(parent);
        Button openFolder = new Button(parent, SWT.PUSH);
        openFolder.setText("Open dataset folder...");
        openFolder.addListener(SWT.Selection, e -> {
            String d = new DirectoryDialog(parent.getShell()).open();
            if (d != null) {
                open(Path.of(d));
            }
        });
        Button openRun = new Button(parent, SWT.PUSH);
        openRun.setText("Open run...");
        openRun.addListener(SWT.Selection, e -> {
            String d = new DirectoryDialog(parent.getShell()).open();
            if (d != null) {
                open(Path.of(d));
            }
        });
        source = new Label(parent, SWT.NONE);
        source.setText("No clip open. Open an EndoNeRF-style folder, a run folder, or train the built-in scene.");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(source);
        progress = new ProgressBar(parent, SWT.SMOOTH);
        GridDataFactory.fillDefaults().hint(160, SWT.DEFAULT).applyTo(progress);

        SashForm sash = new SashForm(parent, SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, true).span(4, 1).applyTo(sash);
        Composite left = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(left);
        new Label(left, SWT.NONE).setText("Validation report");
        summary = table(left, "Fact", 150, "Value", 260);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(summary);
        new Label(left, SWT.NONE).setText("Problems");
        problems = table(left, "File", 160, "Problem", 400);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(problems);

        Composite right = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(Overlay.values().length + 1).applyTo(right);
        for (Overlay o : Overlay.values()) {
            Button b = new Button(right, SWT.RADIO);
            b.setText(o.label);
            b.setSelection(o == overlay);
            b.addListener(SWT.Selection, e -> {
                if (b.getSelection()) {
                    overlay = o;
                    showFrame();
                }
            });
            overlayButtons.put(o, b);
        }
        frameLabel = new Label(right, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(frameLabel);
        frameCanvas = new Canvas(right, SWT.DOUBLE_BUFFERED | SWT.BORDER);
        frameCanvas.addPaintListener(e -> {
            if (shown != null) {
                Rectangle c = frameCanvas.getClientArea();
                Rectangle b = shown.getBounds();
                double s = Math.min(c.width / (double) b.width, c.height / (double) b.height);
                int w = (int) (b.width * s);
                int h = (int) (b.height * s);
                e.gc.drawImage(shown, 0, 0, b.width, b.height, (c.width - w) / 2, (c.height - h) / 2, w, h);
            }
        });
        GridDataFactory.fillDefaults().grab(true, true).span(Overlay.values().length + 1, 1).applyTo(frameCanvas);
        scrubber = new Scale(right, SWT.HORIZONTAL);
        scrubber.setMinimum(0);
        scrubber.setMaximum(1);
        scrubber.addListener(SWT.Selection, e -> showFrame());
        GridDataFactory.fillDefaults().grab(true, false).span(Overlay.values().length + 1, 1).applyTo(scrubber);
        sash.setWeights(40, 60);

        workspace.onClip(clipListener);
        if (workspace.clip() != null) {
            show(workspace.clip());
        }
        enableOverlays(null);
    }

    @PreDestroy
    public void dispose() {
        workspace.remove(clipListener);
        if (shown != null) {
            shown.dispose();
        }
    }

    private static Table table(Composite parent, String a, int wa, String b, int wb) {
        Table t = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        t.setHeaderVisible(true);
        t.setLinesVisible(true);
        TableColumn c1 = new TableColumn(t, SWT.NONE);
        c1.setText(a);
        c1.setWidth(wa);
        TableColumn c2 = new TableColumn(t, SWT.NONE);
        c2.setText(b);
        c2.setWidth(wb);
        return t;
    }

    /** Opens a dataset folder or a run folder (then its dataset) in a job. */
    public void open(Path folder) {
        progress.setSelection(0);
        source.setText("Reading " + folder + " ...");
        UiJobs.run("Open " + folder.getFileName(), source, monitor -> {
            Path dataset = Clips.isRun(folder) ? Clips.datasetOfRun(folder) : folder;
            var clip = Clips.open(catalog, dataset, new MonitorProgress(monitor, this::report));
            return new Object[] {clip, Clips.isRun(folder) ? folder : null};
        }, result -> {
            Workspace.OpenClip clip = (Workspace.OpenClip) result[0];
            workspace.setClip(clip);
            if (result[1] != null) {
                workspace.setRun((Path) result[1]);
            }
        }, () -> progress.setSelection(progress.getMaximum()));
    }

    private void report(double fraction, String text) {
        if (progress.isDisposed()) {
            return;
        }
        progress.getDisplay().asyncExec(() -> {
            if (!progress.isDisposed() && !Double.isNaN(fraction)) {
                progress.setSelection((int) Math.round(fraction * progress.getMaximum()));
            }
        });
    }

    private void show(Workspace.OpenClip clip) {
        if (source.isDisposed() || clip == null) {
            return;
        }
        ValidationReport r = clip.report();
        source.setText(clip.folder() + " (" + clip.format() + "): " + (r.ok() ? "OK, no problems found"
                : r.problems().size() + " problem(s)"));
        summary.removeAll();
        r.summary().forEach((k, v) -> row(summary, k, v));
        r.perFrame().stream().limit(500).forEach(l -> row(summary, "", l));
        problems.removeAll();
        for (ValidationReport.Problem p : r.problems()) {
            row(problems, p.file() == null ? "" : p.file().toString(), p.message());
        }
        Sequence seq = clip.sequence();
        inpaintedFolder = findInpainted(clip.folder());
        scrubber.setMaximum(seq == null ? 1 : Math.max(1, seq.size() - 1));
        scrubber.setSelection(0);
        scrubber.setEnabled(seq != null && seq.size() > 1);
        enableOverlays(seq);
        showFrame();
    }

    /** Where inpainted frames of this clip are: the clip itself when it is inpainted, else a run's inpainted/. */
    private Path findInpainted(Path clipFolder) {
        List<Path> candidates = new ArrayList<>();
        if (workspace.inpainted() != null) {
            candidates.add(workspace.inpainted());
        }
        candidates.add(clipFolder);
        Path run = workspace.run();
        if (run != null) {
            candidates.add(run.resolve("inpainted"));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve("inpainting.json")) && Files.isDirectory(c.resolve("images"))) {
                return c.resolve("images");
            }
        }
        return null;
    }

    private void enableOverlays(Sequence seq) {
        Frame f = seq == null ? null : seq.frame(0);
        overlayButtons.get(Overlay.IMAGE).setEnabled(f != null);
        overlayButtons.get(Overlay.DEPTH).setEnabled(f != null && f.depth() != null);
        overlayButtons.get(Overlay.MASK).setEnabled(f != null && f.instrumentMask() != null);
        overlayButtons.get(Overlay.INPAINTED).setEnabled(f != null && inpaintedFolder != null);
        overlayButtons.get(Overlay.TRUTH).setEnabled(f != null && f.truthImage() != null);
        if (!overlayButtons.get(overlay).getEnabled()) {
            overlayButtons.get(overlay).setSelection(false);
            overlay = Overlay.IMAGE;
            overlayButtons.get(overlay).setSelection(true);
        }
    }

    private static void row(Table t, String a, String b) {
        TableItem it = new TableItem(t, SWT.NONE);
        it.setText(new String[] {a, b});
    }

    /** Selects the overlay and the frame (the tour and the screenshot script use it). */
    public void showFrame(int index, String overlayName) {
        Overlay o = Overlay.valueOf(overlayName);
        if (overlayButtons.get(o).getEnabled()) {
            overlayButtons.values().forEach(b -> b.setSelection(false));
            overlay = o;
            overlayButtons.get(o).setSelection(true);
        }
        scrubber.setSelection(index);
        showFrame();
    }

    private void showFrame() {
        Workspace.OpenClip clip = workspace.clip();
        if (clip == null || clip.sequence() == null) {
            return;
        }
        Sequence seq = clip.sequence();
        int i = Math.min(scrubber.getSelection(), seq.size() - 1);
        Frame f = seq.frame(i);
        ImageData data = switch (overlay) {
            case IMAGE -> Pictures.colour(f.image());
            case DEPTH -> Pictures.depth(f.depth());
            case MASK -> Pictures.masked(f.image(), f.instrumentMask());
            case TRUTH -> Pictures.colour(f.truthImage());
            case INPAINTED -> inpainted(f);
        };
        if (shown != null) {
            shown.dispose();
        }
        shown = new Image(frameCanvas.getDisplay(), data);
        frameLabel.setText(String.format(java.util.Locale.ROOT, "frame %d/%d  %s  t=%.3f  %dx%d", i + 1, seq.size(),
                f.name(), f.time(), f.image().width(), f.image().height()));
        frameLabel.getParent().layout(new org.eclipse.swt.widgets.Control[] {frameLabel});
        frameCanvas.redraw();
    }

    private ImageData inpainted(Frame f) {
        try {
            FloatImage img = Images.readColor(Clips.frameFile(inpaintedFolder, f.name()));
            return Pictures.colour(img);
        } catch (org.diff2dgs.core.api.UserInputException e) {
            UiJobs.showError(frameCanvas, "Inpainted frame", e.getMessage());
            return Pictures.colour(f.image());
        }
    }
}
