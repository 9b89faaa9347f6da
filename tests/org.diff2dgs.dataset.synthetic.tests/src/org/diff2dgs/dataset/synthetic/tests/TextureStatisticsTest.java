package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.dataset.synthetic.api.ImageStatistics;
import org.diff2dgs.dataset.synthetic.internal.LumaTextureStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextureStatisticsTest {

    @TempDir
    Path dir;

    @Test
    void rampHasItsSlopeAsGradientAndNoLaplacian() {
        int w = 20;
        int h = 9;
        FloatImage image = FloatImage.zeros(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.set(0, x, y, 0.01f * x + 0.02f * y);
            }
        }
        ImageStatistics s = LumaTextureStatistics.of(image);
        assertEquals(Math.hypot(0.01, 0.02), s.meanGradient(), 1e-6);
        assertEquals(0, s.meanAbsLaplacian(), 1e-6);
    }

    @Test
    void checkerboardHasNoCentralGradientAndLaplacianFour() {
        FloatImage image = FloatImage.zeros(7, 6, 1);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 7; x++) {
                image.set(0, x, y, (x + y) % 2);
            }
        }
        ImageStatistics s = LumaTextureStatistics.of(image);
        assertEquals(0, s.meanGradient(), 0);
        assertEquals(4, s.meanAbsLaplacian(), 0);
    }

    @Test
    void colourIsMeasuredOnRec601Luma() {
        SplittableRandom random = new SplittableRandom(42);
        int w = 16;
        int h = 12;
        FloatImage green = FloatImage.zeros(w, h, 3);
        FloatImage gray = FloatImage.zeros(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = (float) random.nextDouble();
                green.set(1, x, y, v);
                gray.set(0, x, y, 0.587f * v);
            }
        }
        ImageStatistics a = LumaTextureStatistics.of(green);
        ImageStatistics b = LumaTextureStatistics.of(gray);
        assertEquals(b.meanGradient(), a.meanGradient(), 1e-7);
        assertEquals(b.meanAbsLaplacian(), a.meanAbsLaplacian(), 1e-7);
        assertTrue(a.meanGradient() > 0.05, "random texture has gradient");
        assertThrows(IllegalArgumentException.class, () -> LumaTextureStatistics.of(FloatImage.zeros(2, 5, 1)));
    }

    /**
     * The calibration target: the default scene's observed frames are as textured as real endoscopy. The statistics
     * depend on the resolution, for real frames as for ours (a downscaled frame has more change per pixel), so the
     * check runs at the product's 640x512; one frame keeps it to a couple of seconds.
     */
    @Test
    void defaultSceneIsAsTexturedAsRealFrames() {
        Path scene = Scenes.generate(dir.resolve("s"), 6666, 1, 640, 512, Map.of());
        ImageStatistics s = LumaTextureStatistics.of(Scenes.color(scene, "images", 0));
        assertTrue(LumaTextureStatistics.REAL_FRAMES.contains(s), s + " outside " + LumaTextureStatistics.REAL_FRAMES);
    }
}
