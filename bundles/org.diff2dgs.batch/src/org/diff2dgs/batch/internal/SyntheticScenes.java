package org.diff2dgs.batch.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ExperimentScene;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.io.FileTrees;
import org.diff2dgs.core.io.Json;

import com.google.gson.JsonObject;

/**
 * Synthesizes each synthetic scene once per experiment into {@code <out>/scenes/<scene>/}, shared by all its cells
 * (methods and seeds train on the very same frames, and a 640x512 clip is not generated a dozen times). Worker
 * processes may ask for the same scene at once: a file lock serializes them and the scene appears by an atomic rename,
 * so no process ever reads a half-written scene.
 */
final class SyntheticScenes {

    private final SceneWriter writer;

    SyntheticScenes(SceneWriter writer) {
        this.writer = writer;
    }

    static Path folder(Experiment e, ExperimentScene s) {
        return e.out().resolve("scenes").resolve(s.name());
    }

    /** The scene's folder, generated now unless it already holds this very spec. */
    Path ensure(Experiment e, ExperimentScene s, Progress progress) {
        Path folder = folder(e, s);
        Path dir = folder.getParent();
        Path spec = dir.resolve(s.name() + ".scene.json");
        JsonObject want = CellConfig.synthetic(s.synthetic(), s.generator());
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve("." + s.name() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                if (Files.isDirectory(folder) && JsonFiles.same(JsonFiles.readObject(spec), want)) {
                    return folder;
                }
                Files.deleteIfExists(spec);
                FileTrees.deleteRecursively(folder);
                Path partial = dir.resolve("." + s.name() + ".partial");
                FileTrees.deleteRecursively(partial);
                writer.write(partial, s.synthetic(), s.generator(), progress);
                try {
                    Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException ex) {
                    Files.move(partial, folder);
                }
                Json.write(spec, want);
                return folder;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot prepare the synthetic scene " + folder + ": " + ex.getMessage(), ex);
        }
    }
}
