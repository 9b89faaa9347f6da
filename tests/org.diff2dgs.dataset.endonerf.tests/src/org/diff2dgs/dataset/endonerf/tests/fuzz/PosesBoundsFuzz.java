package org.diff2dgs.dataset.endonerf.tests.fuzz;

import java.nio.file.Path;
import java.util.List;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.dataset.endonerf.internal.LlffPoses;

/**
 * Fuzz target (Jazzer, releng/scripts/fuzz.sh): any bytes as poses_bounds.npy. Only DatasetException may come out,
 * and every row that is accepted is a usable camera.
 */
public final class PosesBoundsFuzz {

    private static final Path NAME = Path.of("poses_bounds.npy");

    private PosesBoundsFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            List<LlffPoses.Row> rows = LlffPoses.parse(data, NAME);
            for (LlffPoses.Row r : rows) {
                if (r == null || !(r.focal() > 0) || r.width() < 1 || r.height() < 1 || !(r.far() > r.near())
                        || !(r.pose().orthonormalityError() <= 1e-3)) {
                    throw new IllegalStateException("accepted an unusable camera row " + r);
                }
            }
        } catch (DatasetException expected) {
            // the reader's own error
        }
    }
}
