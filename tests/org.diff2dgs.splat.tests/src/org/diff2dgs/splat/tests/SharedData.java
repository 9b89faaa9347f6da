package org.diff2dgs.splat.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared data folder (a sibling of the repository): the system property {@code d2dgs.shared},
 * else the first ancestor of the working directory that holds {@code shared/reference/2dgs-golden}. Missing data
 * fails the test: a parity test that silently skips proves nothing.
 */
final class SharedData {

    static final String PROPERTY = "d2dgs.shared";
    static final String GOLDEN = "reference/2dgs-golden";

    private SharedData() {
    }

    static Path goldenFile() {
        Path file = goldenDir().resolve("golden-2dgs-seed11.json");
        if (!Files.isRegularFile(file)) {
            fail("golden scene missing: " + file);
        }
        return file;
    }

    static Path goldenDir() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null) {
            Path dir = Path.of(prop).resolve(GOLDEN);
            if (!Files.isDirectory(dir)) {
                fail("-D" + PROPERTY + "=" + prop + " has no " + GOLDEN + " folder");
            }
            return dir;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path dir = d.resolve("shared").resolve(GOLDEN);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return fail("cannot find shared/" + GOLDEN + " above " + start + "; set -D" + PROPERTY
                + "=<path of the shared folder next to the repository>");
    }
}
