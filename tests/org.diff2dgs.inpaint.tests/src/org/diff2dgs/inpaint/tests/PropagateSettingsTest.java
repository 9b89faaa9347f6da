package org.diff2dgs.inpaint.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.inpaint.internal.PropagateSettings;
import org.junit.jupiter.api.Test;

class PropagateSettingsTest {

    @Test
    void theAutomaticFlowMarginGrowsWithTheImageAbove320Pixels() {
        PropagateSettings auto = PropagateSettings.parse(Map.of());
        // the margin measured on the 320x256 scenes, and no smaller on the tests' small clips
        assertEquals(5, auto.flowMargin(320, 256));
        assertEquals(5, auto.flowMargin(72, 56));
        // the shadow of the same scene spans twice the pixels at 640x512 (docs/benchmarks/inpainting.md)
        assertEquals(10, auto.flowMargin(640, 512));
        assertEquals(10, auto.flowMargin(512, 640), "the longer side, in either orientation");
        assertEquals(7, auto.flowMargin(450, 300));
        assertEquals(64, auto.flowMargin(8192, 4096), "no larger than a margin one may give");
    }

    @Test
    void anExplicitFlowMarginIsKeptAtEverySize() {
        PropagateSettings three = PropagateSettings.parse(Map.of("flowMargin", "3"));
        assertEquals(3, three.flowMargin(640, 512));
        assertEquals(3, three.flowMargin(72, 56));
        assertEquals(0, PropagateSettings.parse(Map.of("flowMargin", "0")).flowMargin(1280, 1024));
        UserInputException e = assertThrows(UserInputException.class,
                () -> PropagateSettings.parse(Map.of("flowMargin", "-2")));
        assertTrue(e.getMessage().contains("flowMargin") && e.getMessage().contains("-1 = automatic"),
                e.getMessage());
    }
}
