package org.diff2dgs.ui.internal.parts;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.ui.internal.support.Settings;
import org.diff2dgs.ui.internal.support.UiJobs;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * Workbench preferences: default compute backend and device, the folder with model files (LPIPS ONNX, ...), and the
 * Java memory for the next start. Saved to ~/.diff2dgs/workbench.properties (the launch script reads the memory).
 */
public class PreferencesPart {

    @Inject
    ServiceCatalog catalog;

    private Combo backend;
    private Text device;
    private Text models;
    private Text memory;
    private Label saved;

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(12, 12).numColumns(3).applyTo(parent);
        Settings s = Settings.ofUser();
        s.apply();
        label(parent, "Compute backend");
        backend = new Combo(parent, SWT.READ_ONLY);
        backend.add("(best available)");
        for (ComputeBackend b : catalog.computeBackends()) {
            backend.add(b.name());
        }
        backend.select(Math.max(0, backend.indexOf(s.get(Settings.BACKEND) == null ? "(best available)"
                : s.get(Settings.BACKEND))));
        GridDataFactory.fillDefaults().span(2, 1).applyTo(backend);
        label(parent, "Device");
        device = text(parent, s.get(Settings.DEVICE), "GPU index for CUDA backends (CUDA_VISIBLE_DEVICES), e.g. 0");
        new Label(parent, SWT.NONE);
        label(parent, "Model-file folder");
        models = text(parent, s.get(Settings.MODEL_FOLDER), "folder with lpips_alex.onnx and other model files");
        Button browse = new Button(parent, SWT.PUSH);
        browse.setText("...");
        browse.addListener(SWT.Selection, e -> {
            String d = new DirectoryDialog(parent.getShell()).open();
            if (d != null) {
                models.setText(d);
            }
        });
        label(parent, "Java memory (next start)");
        memory = text(parent, s.get(Settings.MEMORY), "e.g. 8g (default); read by the launch script");
        new Label(parent, SWT.NONE);
        Button save = new Button(parent, SWT.PUSH);
        save.setText("Save");
        save.addListener(SWT.Selection, e -> save());
        saved = new Label(parent, SWT.WRAP);
        saved.setText("Stored in " + s.file());
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(saved);
        Label backends = new Label(parent, SWT.WRAP);
        StringBuilder sb = new StringBuilder("Backends on this machine:\n");
        for (ComputeBackend b : catalog.computeBackends()) {
            sb.append("  ").append(b.name()).append(": ").append(b.device())
                    .append(b.isAvailable() ? "" : " (unavailable: " + b.unavailableReason() + ")").append('\n');
        }
        sb.append("Java: ").append(Runtime.version()).append(", max memory ")
                .append(Runtime.getRuntime().maxMemory() / (1 << 20)).append(" MiB");
        backends.setText(sb.toString());
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(backends);
    }

    private static void label(Composite parent, String text) {
        new Label(parent, SWT.NONE).setText(text);
    }

    private static Text text(Composite parent, String value, String hint) {
        Text t = new Text(parent, SWT.BORDER);
        t.setText(value == null ? "" : value);
        t.setMessage(hint);
        GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(t);
        return t;
    }

    /** Validates and writes the preferences; a bad value is shown in a dialog and nothing is written. */
    public void save() {
        Settings s = Settings.ofUser();
        s.set(Settings.BACKEND, backend.getSelectionIndex() <= 0 ? null : backend.getText());
        s.set(Settings.DEVICE, device.getText());
        s.set(Settings.MODEL_FOLDER, models.getText());
        s.set(Settings.MEMORY, memory.getText());
        try {
            s.save();
            saved.setText("Saved to " + s.file());
        } catch (UserInputException e) {
            UiJobs.showError(saved, "Preferences", e.getMessage());
        }
    }
}
