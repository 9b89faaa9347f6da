package org.diff2dgs.dataset.endonerf.tests.fuzz;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.dataset.endonerf.internal.SceneFile;

/**
 * Fuzz target: any bytes as a synthetic clip's scene.json. Only DatasetException may come out; an accepted depth
 * scale is positive and finite (or absent, NaN).
 */
public final class SceneJsonFuzz {

    private SceneJsonFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            SceneFile s = SceneFile.read(FuzzFiles.write("scene.json", data));
            double scale = s.readDepthScale();
            if (!Double.isNaN(scale) && !(scale > 0 && Double.isFinite(scale))) {
                throw new IllegalStateException("accepted depth scale " + scale);
            }
        } catch (DatasetException expected) {
            // the reader's own error
        }
    }
}
