package org.diff2dgs.train.tests.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One scratch folder per JVM where path-based readers find the fuzzer's bytes. The fuzz script points
 * java.io.tmpdir at a RAM disk when there is one, so a write per execution stays cheap.
 */
final class FuzzFiles {

    private static final Path DIR = create();

    private FuzzFiles() {
    }

    /** Writes the input under a fixed name (readers may look at the extension) and returns the file. */
    static Path write(String name, byte[] data) {
        Path f = DIR.resolve(name);
        try {
            Files.write(f, data);
        } catch (IOException e) {
            throw new UncheckedIOException("fuzz scratch file " + f + " cannot be written", e);
        }
        return f;
    }

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("d2dgs-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.list(dir)) {
                    files.forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    // best effort: a leftover scratch folder in the temp dir is harmless
                }
                dir.toFile().delete();
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary folder for fuzz inputs", e);
        }
    }
}
