package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.diff2dgs.core.io.GrayPng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instruments must hide a real share of the tissue in every frame (the point of the ground truth under them) but not
 * most of it. 160 frames cover every motion period of the scene (the longest is 131 frames).
 */
class InstrumentCoverageTest {

    private static final int FRAMES = 160;

    @TempDir
    Path dir;

    @Test
    void oneInstrumentCoversFiveToThirtyPercentOfEveryFrame() {
        checkCoverage(Scenes.generate(dir.resolve("one"), 21, FRAMES, 64, 52, Map.of("instruments", "1")), 0.05,
                0.3);
    }

    @Test
    void twoInstrumentsCoverMoreButStillTheMinority() {
        checkCoverage(Scenes.generate(dir.resolve("two"), 22, FRAMES, 64, 52, Map.of("instruments", "2",
                "camera", "moving")), 0.08, 0.3);
    }

    private static void checkCoverage(Path scene, double min, double max) {
        for (int f = 0; f < FRAMES; f++) {
            GrayPng mask = Scenes.maskPng(scene, f);
            int white = 0;
            for (float v : mask.values().data()) {
                white += v > 127 ? 1 : 0;
            }
            double share = (double) white / mask.values().pixels();
            assertTrue(share >= min && share <= max, "frame " + f + ": instruments cover " + share);
        }
    }
}
