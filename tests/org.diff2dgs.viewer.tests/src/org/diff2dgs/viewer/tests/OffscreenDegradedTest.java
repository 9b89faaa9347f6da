package org.diff2dgs.viewer.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.viewer.api.OrbitView;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.api.ViewMode;
import org.diff2dgs.viewer.api.ViewSettings;
import org.diff2dgs.viewer.api.Visualization;
import org.junit.jupiter.api.Test;

/**
 * A machine without libEGL, played by naming a library that does not exist (d2dgs.egl.library): the service says so
 * on one line naming the library, snapshot throws a user error with the same line, and once the property is gone the
 * system's libEGL serves again in the same process (where it exists: CI installs Mesa's).
 */
class OffscreenDegradedTest {

    static final String MISSING = "libEGL-missing-for-test.so.7";

    @Test
    void missingEglLibraryIsOneLineNamingItAndTheServiceRecovers() {
        Visualization viz = Osgi.service(Visualization.class);
        String before = viz.offscreenUnavailableReason();
        SplatScene disc = new SplatScene(1, 0, new float[] {0, 0, 3}, new float[] {0.5f, 0, 0},
                new float[] {0, 0.5f, 0}, new float[] {0.2f, 0.7f, 0.3f}, new float[] {1}, List.of());
        ViewSettings view = new ViewSettings(new OrbitView(0, 0, 3, 0, 0, 3, 0.8), ViewMode.COLOR, false, 1);
        System.setProperty("d2dgs.egl.library", MISSING);
        try {
            String reason = viz.offscreenUnavailableReason();
            assertTrue(reason != null && reason.contains(MISSING), "reason names the library: " + reason);
            assertTrue(reason.startsWith("no OpenGL for offscreen 3D pictures: "), reason);
            assertFalse(reason.contains("\n") || reason.contains("\r"), "one line: " + reason);
            UserInputException e = assertThrows(UserInputException.class, () -> viz.snapshot(disc, view, 32, 24));
            assertEquals(reason, e.getMessage());
        } finally {
            System.clearProperty("d2dgs.egl.library");
        }
        assertEquals(before, viz.offscreenUnavailableReason(), "the default library is used again");
        if (System.getenv("CI") != null) {
            assertNull(before, "CI must have offscreen OpenGL");
        }
        if (before == null) {
            var img = viz.snapshot(disc, view, 32, 24);
            // the green disc fills the middle again: the system's libEGL was loaded back after the missing one
            assertTrue(img.get(1, 16, 12) > 0.5f && img.get(0, 16, 12) < 0.4f, "green centre: " + img.get(1, 16, 12));
        }
    }
}
