package org.diff2dgs.core.tests.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.core.api.StageOutOfMemoryError;
import org.junit.jupiter.api.Test;

/** The out-of-memory advice names what lowers the memory of the command that ran, not always training's surfels. */
class StageOutOfMemoryAdviceTest {

    @Test
    void inpaintingIsAdvisedFramesNotSurfels() {
        for (String stage : new String[] {"running 'd2dgs inpaint'", "inpainting"}) {
            String a = StageOutOfMemoryError.advice(stage);
            assertTrue(a.startsWith("out of memory while " + stage + " (Java heap limit "), a);
            assertTrue(a.contains("D2DGS_VMARGS=-Xmx") && a.contains("--max-frames N")
                    && a.contains("--inpaint-threads N"), a);
            assertFalse(a.contains("maxSurfels"), a);
        }
    }

    @Test
    void trainingAndRenderingAreAdvisedTheSurfelCap() {
        for (String stage : new String[] {"training", "rendering", "running 'd2dgs run'", "running the cell"}) {
            assertTrue(StageOutOfMemoryError.advice(stage).contains("--set maxSurfels=N"), stage);
        }
        assertFalse(StageOutOfMemoryError.advice("reading the dataset").contains("maxSurfels"));
        assertTrue(StageOutOfMemoryError.advice("running 'd2dgs synth'").contains("--frames N"));
    }
}
