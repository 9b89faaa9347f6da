package org.diff2dgs.core.tests.fuzz;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;

/**
 * Fuzz target: any bytes as a depth map or mask through {@link Images#readGray}, which tries the direct 16-bit gray
 * decoder first and falls back to javax.imageio. Only DatasetException may come out; samples stay within the bit
 * depth.
 */
public final class PngGrayFuzz {

    private PngGrayFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            GrayPng g = Images.readGray(FuzzFiles.write("fuzz.png", data));
            for (float v : g.values().data()) {
                if (!(v >= 0f && v <= g.maxValue())) {
                    throw new IllegalStateException("sample " + v + " outside 0.." + g.maxValue());
                }
            }
        } catch (DatasetException expected) {
            // the reader's own error
        }
    }
}
