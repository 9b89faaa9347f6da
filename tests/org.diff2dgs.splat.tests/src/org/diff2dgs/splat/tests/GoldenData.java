package org.diff2dgs.splat.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden 2DGS scene kept in the repository (tests/org.diff2dgs.splat.tests/data/2dgs-golden, see its README),
 * found from the working directory (a test bundle's folder under Tycho, the repository root for quick-test.sh) by
 * walking up to the repository root. Missing data fails the test: a parity test that silently skips proves nothing.
 */
final class GoldenData {

    static final String RELATIVE = "tests/org.diff2dgs.splat.tests/data/2dgs-golden/golden-2dgs-seed11.json";

    private GoldenData() {
    }

    static Path goldenFile() {
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve(RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("golden scene not found: " + RELATIVE + " in no folder above " + start);
    }
}
