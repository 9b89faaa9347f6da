package org.diff2dgs.inpaint.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.internal.OracleInpainter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OracleInpainterTest {

    @TempDir
    Path dir;

    @Test
    void givesTheTruthInsideTheRegion() {
        SyntheticClip tex = new SyntheticClip(31, 0.4, 0);
        Sequence clip = tex.sequence(dir.resolve("src"), 4, 10, 10, 10, 10, 4);
        new OracleInpainter().inpaint(clip, InpaintOptions.defaults().withMask(1, 2)
                .withSettings(Map.of("scope", "region")), dir.resolve("out"), Progress.NONE);
        List<FloatImage> images = PropagateInpainterTest.read(dir.resolve("out"), "images", clip);
        double psnr = SyntheticClip.psnrInsideMasks(clip, images);
        assertTrue(psnr > 45, "oracle PSNR inside the masks " + psnr + " (8-bit quantization only)");
        // outside the region the observed frame stays
        FloatImage first = images.get(0);
        assertEquals(clip.frame(0).image().get(0, 0, 0), first.get(0, 0, 0), 1 / 255f);
    }

    @Test
    void needsGroundTruth() {
        SyntheticClip tex = new SyntheticClip(32, 0.4, 0);
        Sequence withTruth = tex.sequence(dir.resolve("src"), 4, 10, 10, 10, 10, 4);
        List<Frame> frames = withTruth.frames().stream().map(f -> new Frame(f.index(), f.time(), f.name(), null,
                f.image(), f.depth(), f.instrumentMask(), null, null)).toList();
        Sequence clip = new Sequence("no-truth", withTruth.source(), frames, withTruth.split(), withTruth.info());
        UserInputException e = assertThrows(UserInputException.class, () -> new OracleInpainter().inpaint(clip,
                InpaintOptions.defaults().withMask(1, 2), dir.resolve("out"), Progress.NONE));
        assertTrue(e.getMessage().contains("gt/images"), e.getMessage());
    }
}
