package org.diff2dgs.cuda.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bundles/org.diff2dgs.cuda in the working tree, found from the working directory (a test bundle's folder under
 * Tycho, the repository root for quick-test.sh) by walking up.
 */
final class CudaBundleFiles {

    static final String RELATIVE = "bundles/org.diff2dgs.cuda";

    private CudaBundleFiles() {
    }

    static Path bundle() {
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve(RELATIVE);
            if (Files.isDirectory(candidate.resolve("cuda"))) {
                return candidate;
            }
        }
        throw new AssertionError(RELATIVE + " not found in any folder above " + start);
    }
}
