package org.diff2dgs.app.headless.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds shared/reference/2dgs-golden beside the repository (the developers' and CI's layout). */
final class GoldenFile {

    static final String RELATIVE = "shared/reference/2dgs-golden/golden-2dgs-seed11.json";

    private GoldenFile() {
    }

    static Path locate() {
        String prop = System.getProperty("d2dgs.shared");
        if (prop != null) {
            return Path.of(prop).resolve("reference/2dgs-golden/golden-2dgs-seed11.json");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("golden scene not found: expected " + RELATIVE + " in a parent folder of "
                + Path.of("").toAbsolutePath() + " (or set -Dd2dgs.shared)");
    }
}
