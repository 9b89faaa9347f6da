package org.diff2dgs.core.tests.fuzz;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;

/**
 * Fuzz target: any bytes as a colour frame (8 or 16 bit, any colour type) through {@link Images#readColor}. Only
 * DatasetException may come out; a decoded frame holds [0,1] samples.
 */
public final class PngColorFuzz {

    private PngColorFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            FloatImage img = Images.readColor(FuzzFiles.write("fuzz.png", data));
            for (float v : img.data()) {
                if (!(v >= 0f && v <= 1f)) {
                    throw new IllegalStateException("colour sample " + v + " outside [0,1]");
                }
            }
        } catch (DatasetException expected) {
            // the reader's own error
        }
    }
}
