package org.diff2dgs.train.tests.fuzz;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.train.io.PlyFormat;

/**
 * Fuzz target (Jazzer, releng/scripts/fuzz.sh): any bytes as a surfel PLY through {@link PlyFormat#read}. Only
 * UserInputException may come out, and the surfels read cannot outnumber what the file's bytes can hold.
 */
public final class PlyFuzz {

    private PlyFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            GaussianModel m = PlyFormat.read(FuzzFiles.write("fuzz.ply", data));
            // 17 floats per surfel at least (SH degree 0)
            if (m.count() * 17L * 4 > data.length) {
                throw new IllegalStateException(m.count() + " surfels from a " + data.length + "-byte file");
            }
        } catch (UserInputException expected) {
            // the reader's own error
        }
    }
}
