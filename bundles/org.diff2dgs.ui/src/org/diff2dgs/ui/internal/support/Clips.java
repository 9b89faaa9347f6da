package org.diff2dgs.ui.internal.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.Sequence;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Opens clips and runs the way the command line does: the reader that recognizes the folder (ServiceCatalog), its
 * validation report, then the frames. A run folder leads to its dataset (run.json, or the synthesized dataset/).
 */
public final class Clips {

    private Clips() {
    }

    /** Same checks and words as `d2dgs validate`. */
    public static DatasetReader reader(ServiceCatalog catalog, Path folder) {
        if (!Files.exists(folder)) {
            throw new UserInputException(folder, "dataset folder not found");
        }
        if (!Files.isDirectory(folder)) {
            throw new UserInputException(folder, "not a folder (a dataset is a folder with images/, depth/, masks/ ...)");
        }
        List<DatasetReader> readers = catalog.datasetReaders();
        String names = readers.stream().map(DatasetReader::format).collect(Collectors.joining(", "));
        return catalog.recognize(folder).orElseThrow(() -> new UserInputException(folder,
                "no dataset reader recognizes this folder (installed readers: " + names
                        + "); expected e.g. the EndoNeRF layout images/, depth/, masks/, poses_bounds.npy"));
    }

    /** Validates, and reads the frames when the report has no problem. */
    public static Workspace.OpenClip open(ServiceCatalog catalog, Path folder, Progress progress) {
        DatasetReader reader = reader(catalog, folder);
        ValidationReport report = reader.validate(folder, ReadOptions.defaults(), progress);
        Sequence seq = report.ok() ? reader.read(folder, ReadOptions.defaults(), progress) : null;
        return new Workspace.OpenClip(folder, reader.format(), report, seq);
    }

    public static boolean isRun(Path folder) {
        return Files.isRegularFile(folder.resolve("run.json"));
    }

    /** The dataset a run was trained on: the path in run.json, else the synthesized dataset/ inside the run. */
    public static Path datasetOfRun(Path run) {
        Path state = run.resolve("run.json");
        if (!Files.isRegularFile(state)) {
            throw new UserInputException(run, "not a run folder (no run.json)");
        }
        JsonElement root = Json.readTree(state);
        if (root.isJsonObject()) {
            JsonObject o = root.getAsJsonObject();
            for (String key : new String[] {"datasetPath", "dataset"}) {
                if (o.has(key) && o.get(key).isJsonPrimitive()) {
                    Path p = Path.of(o.get(key).getAsString());
                    Path resolved = p.isAbsolute() ? p : run.resolve(p);
                    if (Files.isDirectory(resolved)) {
                        return resolved;
                    }
                }
            }
        }
        Path inside = run.resolve("dataset");
        if (Files.isDirectory(inside)) {
            return inside;
        }
        throw new UserInputException(state, "the run's dataset folder is gone (neither the path in run.json nor "
                + "dataset/ exists)");
    }

    /** The file of a frame in an images/ folder: the frame's file stem with whatever image extension it has. */
    public static Path frameFile(Path images, String stem) {
        for (String ext : new String[] {".png", ".jpg", ".jpeg", ".PNG", ".JPG"}) {
            Path p = images.resolve(stem + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new UserInputException(images, "no image for frame " + stem);
    }

    public static Path checkpoints(Path run) {
        return run.resolve("train").resolve("checkpoints");
    }

    public static Path trainingLog(Path run) {
        return run.resolve("train").resolve("log.csv");
    }

    public static Path metrics(Path run) {
        return run.resolve("metrics.json");
    }
}
