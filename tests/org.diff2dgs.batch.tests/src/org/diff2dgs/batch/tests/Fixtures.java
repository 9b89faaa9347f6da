package org.diff2dgs.batch.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.diff2dgs.batch.internal.Batch;
import org.diff2dgs.batch.internal.SceneWriter;

/** Experiment files and a batch wired to the fake pipeline. */
final class Fixtures {

    private Fixtures() {
    }

    /** 2 synthetic scenes x 2 methods x 2 seeds = 8 cells, the shape of an ablation. */
    static final String GRID_YAML = """
            name: grid
            preset: cpu
            options:
              iterations: 40
              densifyFrom: 10
              densifyUntil: 30
            protocols: [masked-mean, deform3dgs]
            seeds: [1, 2]
            charts: false
            scenes:
              - name: a
                synthetic: {seed: 3, frames: 8, size: 48x40}
              - name: b
                synthetic: {seed: 4, frames: 8, size: 48x40, options: {instruments: 1}}
            methods:
              - name: full
              - name: no-normal
                description: without normal consistency
                options: {normalWeight: 0}
            """;

    static Path write(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name);
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scene writer that writes a marker file with the spec, counting calls. */
    static final class CountingScenes implements SceneWriter {
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public void write(Path folder, org.diff2dgs.core.api.SceneSpec spec, String generator,
                org.diff2dgs.core.api.Progress progress) {
            writes.incrementAndGet();
            try {
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("poses_bounds.npy"), spec.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Batch batch(FakePipeline pipeline, SceneWriter scenes) {
        return new Batch(new TestInstalled(), pipeline, scenes, () -> List.of("/bin/false"));
    }

    static Batch batch(FakePipeline pipeline) {
        return batch(pipeline, new CountingScenes());
    }

    /** A folder a reader recognizes (the test installation probes for poses_bounds.npy). */
    static Path dataset(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("poses_bounds.npy"), "fake");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
