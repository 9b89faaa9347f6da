package org.diff2dgs.ui.internal.parts;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.ui.internal.support.Clips;
import org.diff2dgs.ui.internal.support.MonitorProgress;
import org.diff2dgs.ui.internal.support.Pictures;
import org.diff2dgs.ui.internal.support.UiJobs;
import org.diff2dgs.ui.internal.support.Workspace;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

/**
 * Stage 1: restore the tissue under the instruments of the open clip with an installed Inpainter service (a lab's
 * method shows up in the list), with its mask handling and method settings, as a cancellable job; then compare
 * before and after frame by frame. The result is a clip folder that training reads like any other.
 */
public class InpaintingPart {

    /** The method that `d2dgs run` uses on a clip with masks. */
    static final String DEFAULT_METHOD = "propagate";


    @Inject
    ServiceCatalog catalog;

    @Inject
    Workspace workspace;

    private Combo method;
    private Label methodInfo;
    private Spinner erode;
    private Spinner dilate;
    private Button completeDepth;
    private Spinner threads;
    private Spinner seed;
    private Text settings;
    /** Quiet time after the last key in the settings before the method's availability is checked again. */
    private static final int SETTINGS_PAUSE_MS = 400;
    private final Runnable settingsSettled = this::showMethod;
    private Text output;
    private Button run;
    private Button cancel;
    private ProgressBar bar;
    private Label status;
    private Canvas before;
    private Canvas after;
    private Scale scrubber;
    private Image beforeImage;
    private Image afterImage;
    private Path result;
    private Job job;
    private final java.util.function.Consumer<Workspace.OpenClip> clipListener = c -> {
        if (status != null && !status.isDisposed()) {
            status.getDisplay().asyncExec(this::clipChanged);
        }
    };

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(8, 8).numColumns(2).applyTo(parent);
        Composite form = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(form);
        GridDataFactory.fillDefaults().grab(false, true).hint(400, SWT.DEFAULT).applyTo(form);
        label(form, "Method");
        method = new Combo(form, SWT.READ_ONLY);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(method);
        Button refresh = new Button(form, SWT.PUSH);
        refresh.setText("Refresh");
        refresh.addListener(SWT.Selection, e -> fillMethods());
        methodInfo = new Label(form, SWT.WRAP);
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).hint(380, SWT.DEFAULT).applyTo(methodInfo);
        method.addListener(SWT.Selection, e -> showMethod());
        InpaintOptions d = InpaintOptions.defaults();
        erode = spinner(form, "Mask erosions (3x3)", d.maskErode(), 0, 50);
        dilate = spinner(form, "Mask dilations (3x3)", d.maskDilate(), 0, 100);
        label(form, "Depth");
        completeDepth = new Button(form, SWT.CHECK);
        completeDepth.setText("restore depth too");
        completeDepth.setSelection(d.completeDepth());
        GridDataFactory.fillDefaults().span(2, 1).applyTo(completeDepth);
        threads = spinner(form, "Threads (0 = all)", d.threads(), 0, 256);
        seed = spinner(form, "Seed", (int) d.seed(), 0, Integer.MAX_VALUE);
        label(form, "Method settings");
        settings = new Text(form, SWT.BORDER);
        settings.setMessage("key=value, key=value");
        // a setting such as modelDir decides whether a method can run; checking it may read the model's graphs
        // (gigabytes for real weights), so it runs once the typing pauses, not at every key
        settings.addModifyListener(e -> {
            settings.getDisplay().timerExec(-1, settingsSettled);
            settings.getDisplay().timerExec(SETTINGS_PAUSE_MS, settingsSettled);
        });
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(settings);
        label(form, "Output folder");
        output = new Text(form, SWT.BORDER);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(output);
        Button browse = new Button(form, SWT.PUSH);
        browse.setText("...");
        browse.addListener(SWT.Selection, e -> {
            String s = new DirectoryDialog(parent.getShell()).open();
            if (s != null) {
                output.setText(s);
            }
        });
        Composite buttons = new Composite(form, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(buttons);
        GridDataFactory.fillDefaults().span(3, 1).applyTo(buttons);
        run = new Button(buttons, SWT.PUSH);
        run.setText("Inpaint");
        run.addListener(SWT.Selection, e -> inpaint());
        cancel = new Button(buttons, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.setEnabled(false);
        cancel.addListener(SWT.Selection, e -> {
            if (job != null) {
                job.cancel();
            }
        });
        bar = new ProgressBar(form, SWT.SMOOTH);
        bar.setMaximum(1000);
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(bar);
        status = new Label(form, SWT.WRAP);
        GridDataFactory.fillDefaults().span(3, 1).grab(true, true).hint(380, SWT.DEFAULT).applyTo(status);

        Composite pictures = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).equalWidth(true).applyTo(pictures);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(pictures);
        new Label(pictures, SWT.NONE).setText("Before (instruments tinted red)");
        new Label(pictures, SWT.NONE).setText("After");
        before = picture(pictures, () -> beforeImage);
        after = picture(pictures, () -> afterImage);
        scrubber = new Scale(pictures, SWT.HORIZONTAL);
        scrubber.setMinimum(0);
        scrubber.setMaximum(1);
        scrubber.addListener(SWT.Selection, e -> showFrame());
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(scrubber);

        fillMethods();
        workspace.onClip(clipListener);
        clipChanged();
    }

    @PreDestroy
    public void dispose() {
        workspace.remove(clipListener);
        if (beforeImage != null) {
            beforeImage.dispose();
        }
        if (afterImage != null) {
            afterImage.dispose();
        }
    }

    private static void label(Composite parent, String text) {
        new Label(parent, SWT.NONE).setText(text);
    }

    private static Spinner spinner(Composite parent, String name, int value, int min, int max) {
        label(parent, name);
        Spinner s = new Spinner(parent, SWT.BORDER);
        s.setValues(value, min, max, 0, 1, 10);
        GridDataFactory.fillDefaults().span(2, 1).applyTo(s);
        return s;
    }

    private static Canvas picture(Composite parent, java.util.function.Supplier<Image> image) {
        Canvas c = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.BORDER);
        c.addPaintListener(e -> {
            Image img = image.get();
            if (img == null) {
                return;
            }
            Rectangle r = c.getClientArea();
            Rectangle b = img.getBounds();
            double s = Math.min(r.width / (double) b.width, r.height / (double) b.height);
            int w = (int) (b.width * s);
            int h = (int) (b.height * s);
            e.gc.drawImage(img, 0, 0, b.width, b.height, (r.width - w) / 2, (r.height - h) / 2, w, h);
        });
        GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
        return c;
    }

    /** The installed methods; one that cannot run here says why. */
    public void fillMethods() {
        String keep = method.getText();
        method.removeAll();
        for (Inpainter i : catalog.inpainters()) {
            method.add(i.name());
            method.setData(i.name(), i);
        }
        int k = method.indexOf(keep);
        method.select(k >= 0 ? k : defaultMethodIndex());
        showMethod();
    }

    /** The pipeline's default method ({@value #DEFAULT_METHOD}) when it can run, else the first that can, else 0. */
    private int defaultMethodIndex() {
        int first = -1;
        for (int i = 0; i < method.getItemCount(); i++) {
            Inpainter m = (Inpainter) method.getData(method.getItem(i));
            if (m.unavailableReason() == null) {
                if (DEFAULT_METHOD.equals(m.name())) {
                    return i;
                }
                first = first < 0 ? i : first;
            }
        }
        return Math.max(first, 0);
    }

    private Inpainter chosen() {
        return method.getSelectionIndex() < 0 ? null : (Inpainter) method.getData(method.getText());
    }

    private void showMethod() {
        if (run == null || run.isDisposed()) {
            return;
        }
        Inpainter i = chosen();
        String reason = i == null ? null : unavailableReason(i);
        methodInfo.setText(i == null ? "No inpainting method is installed (add a bundle that registers an Inpainter)."
                : i.description() + (reason == null ? "" : "\nUnavailable: " + reason));
        run.setEnabled(i != null && reason == null && job == null);
        methodInfo.getParent().layout();
    }

    /** Why the method cannot run with the settings as typed (settings that do not parse: as without any). */
    private String unavailableReason(Inpainter i) {
        Map<String, String> typed;
        try {
            typed = settings == null ? Map.of() : parseSettings(settings.getText());
        } catch (UserInputException e) {
            typed = Map.of();
        }
        return i.unavailableReason(typed);
    }

    private void clipChanged() {
        if (status.isDisposed()) {
            return;
        }
        Workspace.OpenClip c = workspace.clip();
        if (c != null && c.sequence() != null) {
            if (output.getText().isBlank() || result == null) {
                output.setText(c.folder().resolveSibling(c.folder().getFileName() + "-inpainted").toString());
            }
            scrubber.setMaximum(Math.max(1, c.sequence().size() - 1));
            status.setText("Clip: " + c.folder() + " (" + c.sequence().size() + " frames)");
        } else {
            status.setText("Open a clip with instrument masks in the Datasets view first.");
        }
        showFrame();
    }

    /** Method-specific settings as typed: key=value pairs separated by commas. */
    static Map<String, String> parseSettings(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("method setting '" + p + "' must look like key=value");
            }
            m.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return m;
    }

    public void setOutput(Path folder) {
        output.setText(folder.toString());
    }

    public boolean isRunning() {
        return job != null;
    }

    public Path result() {
        return result;
    }

    /** Runs the chosen method on the open clip into the output folder, in a job. */
    public void inpaint() {
        Inpainter inpainter = chosen();
        Workspace.OpenClip clip = workspace.clip();
        InpaintOptions options;
        Path out;
        try {
            if (inpainter == null) {
                throw new UserInputException("no inpainting method is installed");
            }
            Map<String, String> typed = parseSettings(settings.getText());
            String reason = inpainter.unavailableReason(typed);
            if (reason != null) {
                throw new UserInputException(inpainter.name() + " is unavailable: " + reason);
            }
            if (clip == null || clip.sequence() == null) {
                throw new UserInputException("open a clip (with instrument masks) in the Datasets view first");
            }
            if (output.getText().isBlank()) {
                throw new UserInputException("choose an output folder");
            }
            out = Path.of(output.getText().trim());
            options = new InpaintOptions(erode.getSelection(), dilate.getSelection(), completeDepth.getSelection(),
                    threads.getSelection(), seed.getSelection(), typed);
        } catch (UserInputException e) {
            UiJobs.showError(status, "Inpaint", e.getMessage());
            return;
        }
        Sequence seq = clip.sequence();
        run.setEnabled(false);
        cancel.setEnabled(true);
        bar.setSelection(0);
        status.setText("Inpainting " + seq.size() + " frames with " + inpainter.name() + " ...");
        job = UiJobs.run("Inpaint with " + inpainter.name(), status, monitor -> inpainter.inpaint(seq, options, out,
                new MonitorProgress(monitor, (f, s) -> status.getDisplay().asyncExec(() -> {
                    if (!bar.isDisposed() && !Double.isNaN(f)) {
                        bar.setSelection((int) Math.round(f * bar.getMaximum()));
                    }
                }))), r -> done(out, r), () -> {
                    job = null;
                    cancel.setEnabled(false);
                    showMethod();
                });
    }

    private void done(Path out, InpaintResult r) {
        result = out;
        bar.setSelection(bar.getMaximum());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Inpainted %d frames with %s in %.1f s into %s%nrestored %d pixels (%d from other frames, %d filled "
                        + "spatially)", r.frames(), r.method(), r.seconds(), out, r.total().restored(),
                r.total().propagated(), r.total().spatial()));
        r.quality().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%n%s: %.4f", k, v)));
        r.warnings().forEach(w -> sb.append("\nwarning: ").append(w));
        status.setText(sb.toString());
        status.getParent().layout();
        workspace.setInpainted(out);
        showFrame();
    }

    private void showFrame() {
        Workspace.OpenClip c = workspace.clip();
        if (c == null || c.sequence() == null || before.isDisposed()) {
            return;
        }
        int i = Math.min(scrubber.getSelection(), c.sequence().size() - 1);
        Frame f = c.sequence().frame(i);
        ImageData b = f.instrumentMask() != null ? Pictures.masked(f.image(), f.instrumentMask())
                : Pictures.colour(f.image());
        replace(true, b);
        ImageData a = null;
        if (result != null) {
            try {
                a = Pictures.colour(Images.readColor(Clips.frameFile(result.resolve(InpaintedClipWriter.IMAGES),
                        f.name())));
            } catch (UserInputException e) {
                status.setText(e.getMessage());
            }
        }
        replace(false, a);
    }

    private void replace(boolean isBefore, ImageData data) {
        Image img = data == null ? null : new Image(before.getDisplay(), data);
        if (isBefore) {
            if (beforeImage != null) {
                beforeImage.dispose();
            }
            beforeImage = img;
            before.redraw();
        } else {
            if (afterImage != null) {
                afterImage.dispose();
            }
            afterImage = img;
            after.redraw();
        }
    }
}
