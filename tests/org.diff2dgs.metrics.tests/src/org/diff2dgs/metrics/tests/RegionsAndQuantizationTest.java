package org.diff2dgs.metrics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.metrics.eval.PngQuantization;
import org.diff2dgs.metrics.eval.Regions;
import org.junit.jupiter.api.Test;

class RegionsAndQuantizationTest {

    @Test
    void tissueAndOccludedSplitTheFrame() {
        FloatImage image = TestImages.random(new Random(1), 5, 4, 3, 0, 1);
        FloatImage mask = TestImages.rectangle(5, 4, 1, 1, 3, 3);
        mask.set(0, 4, 3, 0.3f); // soft edge values below one half are tissue
        Frame frame = new Frame(0, 0, "m", null, image, null, mask, null, null);
        FloatImage tissue = Regions.tissue(frame);
        FloatImage occluded = Regions.occluded(frame);
        assertEquals(16, Regions.pixelCount(tissue));
        assertEquals(4, Regions.pixelCount(occluded));
        assertEquals(20, Regions.pixelCount(Regions.whole(frame)));
        for (int p = 0; p < 20; p++) {
            assertEquals(1f, tissue.data()[p] + occluded.data()[p]);
        }

        Frame clean = new Frame(0, 0, "c", null, image, null, null, null, null);
        assertEquals(20, Regions.pixelCount(Regions.tissue(clean)));
        assertEquals(0, Regions.pixelCount(Regions.occluded(clean)));

        FloatImage masked = Regions.masked(image, occluded);
        assertEquals(image.get(2, 1, 1), masked.get(2, 1, 1));
        assertEquals(0f, masked.get(2, 0, 0));
        assertEquals(0f, masked.get(0, 4, 3));
    }

    @Test
    void colourRoundTripRoundsHalfUpAndClamps() {
        FloatImage in = new FloatImage(6, 1, 1, new float[] {0.5f / 255, 0.49f / 255, 100.5f / 255, -0.2f, 1.3f,
                37f / 255});
        FloatImage out = PngQuantization.colour8Bit(in);
        assertArrayEquals(new float[] {1 / 255f, 0f, 101 / 255f, 0f, 1f, 37 / 255f}, out.data(), 1e-7f);
    }

    @Test
    void depthCastTruncatesAndWrapsLikeNumpy() {
        FloatImage in = new FloatImage(7, 1, 1, new float[] {3.9f, 0.99f, 255.5f, 256f, 300.7f, -1.5f, Float.NaN});
        FloatImage out = PngQuantization.depthUint8Cast(in);
        assertArrayEquals(new float[] {3, 0, 255, 0, 44, 255, 0}, out.data());
    }
}
