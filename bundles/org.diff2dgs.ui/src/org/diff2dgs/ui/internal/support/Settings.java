package org.diff2dgs.ui.internal.support;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.AtomicFiles;

/**
 * The workbench preferences, one small properties file in the user's Diff2DGS folder
 * ({@code ~/.diff2dgs/workbench.properties}) so that the launch script can read the memory setting before Java
 * starts. Keys: backend, device, modelFolder, memory (e.g. 8g).
 */
public final class Settings {

    public static final String BACKEND = "backend";
    public static final String DEVICE = "device";
    public static final String MODEL_FOLDER = "modelFolder";
    public static final String MEMORY = "memory";
    /** The LPIPS locator reads this system property on every use (see the metrics bundle's LpipsModelLocator). */
    static final String LPIPS_PROPERTY = "d2dgs.lpips.model";
    static final String LPIPS_FILE = "lpips_alex.onnx";

    private final Path file;
    private final Properties values = new Properties();

    public Settings(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                values.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserInputException(file, "cannot read the workbench preferences: " + e.getMessage());
            }
        }
    }

    public static Settings ofUser() {
        return new Settings(Path.of(System.getProperty("user.home"), ".diff2dgs", "workbench.properties"));
    }

    public Path file() {
        return file;
    }

    public String get(String key) {
        String v = values.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public void set(String key, String value) {
        if (value == null || value.isBlank()) {
            values.remove(key);
        } else {
            values.setProperty(key, value.trim());
        }
    }

    /** Checks the values, then writes the file atomically. */
    public void save() {
        String memory = get(MEMORY);
        if (memory != null && !memory.matches("[1-9][0-9]*[mMgG]")) {
            throw new UserInputException(file, "memory must look like 8g or 4096m, got '" + memory + "'");
        }
        String models = get(MODEL_FOLDER);
        if (models != null && !Files.isDirectory(Path.of(models))) {
            throw new UserInputException(Path.of(models), "model-file folder not found");
        }
        StringWriter w = new StringWriter();
        try {
            values.store(w, "Diff2DGS workbench preferences (memory is read by the launch script at start)");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UserInputException(file.getParent(), "cannot create the preferences folder: " + e.getMessage());
        }
        AtomicFiles.writeString(file, w.toString());
        apply();
    }

    /** Points the services at the model files of the model folder (LPIPS for now), for this session. */
    public void apply() {
        String models = get(MODEL_FOLDER);
        if (models != null) {
            Path lpips = Path.of(models).resolve(LPIPS_FILE);
            if (Files.isRegularFile(lpips)) {
                System.setProperty(LPIPS_PROPERTY, lpips.toString());
            }
        }
    }
}
