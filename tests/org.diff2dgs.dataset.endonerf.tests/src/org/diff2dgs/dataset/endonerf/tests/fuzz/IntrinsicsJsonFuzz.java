package org.diff2dgs.dataset.endonerf.tests.fuzz;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.dataset.endonerf.internal.IntrinsicsFile;

/**
 * Fuzz target: any bytes as a clip's intrinsics.json. Only DatasetException may come out; accepted intrinsics are
 * finite with positive focal lengths.
 */
public final class IntrinsicsJsonFuzz {

    private IntrinsicsJsonFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            IntrinsicsFile k = IntrinsicsFile.read(FuzzFiles.write("intrinsics.json", data));
            if (!(k.fx() > 0 && k.fy() > 0 && Double.isFinite(k.fx()) && Double.isFinite(k.fy())
                    && Double.isFinite(k.cx()) && Double.isFinite(k.cy()))) {
                throw new IllegalStateException("accepted unusable intrinsics " + k);
            }
        } catch (DatasetException expected) {
            // the reader's own error
        }
    }
}
