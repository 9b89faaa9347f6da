package org.diff2dgs.core.tests.fuzz;

import java.nio.file.Path;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;

/**
 * Fuzz target (Jazzer, releng/scripts/fuzz.sh): any bytes through the .npy parser. Only DatasetException may come
 * out, and a parsed array may not hold more values than the file had bytes.
 */
public final class NpyFuzz {

    private static final Path NAME = Path.of("fuzz.npy");

    private NpyFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            NpyArray a = Npy.parse(data, NAME);
            if (a.data().length > data.length) {
                throw new IllegalStateException(a + " holds more values than the " + data.length + " bytes read");
            }
        } catch (DatasetException expected) {
            // the reader's own error: a clear message about the file
        }
    }
}
