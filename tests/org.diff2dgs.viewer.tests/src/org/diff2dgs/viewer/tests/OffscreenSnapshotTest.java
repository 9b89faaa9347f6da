package org.diff2dgs.viewer.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.viewer.api.OrbitView;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.api.ViewMode;
import org.diff2dgs.viewer.api.ViewSettings;
import org.diff2dgs.viewer.api.Visualization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offscreen pictures through EGL (Mesa surfaceless in CI): a near small blue disc in front of a far large red disc,
 * handed over in random order, must come out blue in the middle and red around it whatever the order (the sort), with
 * the background in the corners. The CI machine installs Mesa's EGL, so there this test runs; a developer machine
 * without any EGL library skips it with the service's reason.
 */
class OffscreenSnapshotTest {

    static final int W = 160;
    static final int H = 120;

    private static SplatScene twoDiscs(boolean nearFirst, List<Camera> cameras) {
        // disc facing the eye (normal along z): u = x * sigma, v = y * sigma
        float[] centres = {0, 0, 5, 0, 0, 2};
        float[] u = {0.8f, 0, 0, 0.12f, 0, 0};
        float[] v = {0, 0.8f, 0, 0, 0.12f, 0};
        float[] colours = {1, 0, 0, 0, 0, 1};
        float[] opacities = {1, 1};
        if (nearFirst) {
            centres = new float[] {0, 0, 2, 0, 0, 5};
            u = new float[] {0.12f, 0, 0, 0.8f, 0, 0};
            v = new float[] {0, 0.12f, 0, 0, 0.8f, 0};
            colours = new float[] {0, 0, 1, 1, 0, 0};
        }
        return new SplatScene(2, 0, centres, u, v, colours, opacities, cameras);
    }

    private static ViewSettings eyeAtOrigin(ViewMode mode, boolean cameras) {
        // target 5 ahead on +z, eye at the origin
        return new ViewSettings(new OrbitView(0, 0, 5, 0, 0, 5, Math.toRadians(40)), mode, cameras, 1.0);
    }

    private static Visualization available() {
        Visualization viz = Osgi.service(Visualization.class);
        String reason = viz.offscreenUnavailableReason();
        if (reason != null && System.getenv("CI") != null) {
            throw new AssertionError("CI must have offscreen OpenGL: " + reason);
        }
        assumeTrue(reason == null, reason);
        return viz;
    }

    @Test
    void nearDiscCoversFarDiscWhateverTheInputOrder() {
        Visualization viz = available();
        for (boolean nearFirst : new boolean[] {false, true}) {
            FloatImage img = viz.snapshot(twoDiscs(nearFirst, List.of()), eyeAtOrigin(ViewMode.COLOR, false), W, H);
            float[] centre = rgb(img, W / 2, H / 2);
            assertTrue(centre[2] > 0.9 && centre[0] < 0.1, "centre should be the near blue disc: " + str(centre));
            // 30 px right of centre: 3 sigma of the blue disc (10 px per sigma), 1.2 sigma of the red one (26 px)
            float[] ring = rgb(img, W / 2 + 30, H / 2);
            assertTrue(ring[0] > 0.4 && ring[2] < 0.15, "around it the far red disc: " + str(ring));
            float[] corner = rgb(img, 1, 1);
            assertEquals(0.12, corner[0], 0.02, "background in the corner: " + str(corner));
        }
    }

    @Test
    void normalModeShowsDiscFacingTheEyeAndDepthModeSeparatesNearFromFar() {
        Visualization viz = available();
        FloatImage normals = viz.snapshot(twoDiscs(false, List.of()), eyeAtOrigin(ViewMode.NORMAL, false), W, H);
        float[] n = rgb(normals, W / 2, H / 2);
        // camera-space normal (0, 0, 1) -> colour (0.5, 0.5, 1)
        assertEquals(0.5, n[0], 0.03);
        assertEquals(0.5, n[1], 0.03);
        assertEquals(1.0, n[2], 0.03);
        FloatImage depth = viz.snapshot(twoDiscs(false, List.of()), eyeAtOrigin(ViewMode.DEPTH, false), W, H);
        float[] near = rgb(depth, W / 2, H / 2);
        float[] far = rgb(depth, W / 2 + 30, H / 2);
        double diff = Math.abs(near[0] - far[0]) + Math.abs(near[1] - far[1]) + Math.abs(near[2] - far[2]);
        assertTrue(diff > 0.5, "depth colours of near and far must differ: " + str(near) + " vs " + str(far));
    }

    @Test
    void camerasAreDrawnAndPngIsWritten(@TempDir Path dir) {
        Visualization viz = available();
        // a camera beside the eye, looking along +z: its frustum lines appear left of the discs
        Camera cam = new Camera(Intrinsics.centred(100, 64, 48), new Pose(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                new double[] {0.4, 0, -1.5}), 0.01, 100);
        SplatScene scene = twoDiscs(false, List.of(cam));
        FloatImage without = viz.snapshot(scene, eyeAtOrigin(ViewMode.COLOR, false), W, H);
        FloatImage with = viz.snapshot(scene, eyeAtOrigin(ViewMode.COLOR, true), W, H);
        int changed = 0;
        for (int p = 0; p < W * H; p++) {
            float dr = with.data()[p] - without.data()[p];
            float dg = with.data()[W * H + p] - without.data()[W * H + p];
            if (dr > 0.3 && dg > 0.3) {
                changed++; // the camera colour is yellow
            }
        }
        assertTrue(changed > 20, "camera frustum lines should be drawn, changed pixels: " + changed);
        Path png = dir.resolve("snap.png");
        viz.writePng(with, png);
        assertTrue(Files.isRegularFile(png));
        FloatImage back = Images.readColor(png);
        assertEquals(W, back.width());
        assertEquals(H, back.height());
    }

    @Test
    void manyRandomSplatsRenderWithoutErrors() {
        Visualization viz = available();
        var model = SplatSceneTest.randomModel(20_000, 23);
        for (int i = 0; i < model.count(); i++) {
            model.positions()[3 * i + 2] += 6; // in front of the eye
        }
        SplatScene s = viz.sceneAt(model, null, 0, List.of());
        ViewSettings view = viz.initialView(s, ViewMode.COLOR);
        FloatImage img = viz.snapshot(s, view, W, H);
        int lit = 0;
        for (int p = 0; p < W * H; p++) {
            if (Math.abs(img.data()[p] - 0.12f) > 0.05) {
                lit++;
            }
        }
        assertTrue(lit > W * H / 20, "a cloud of 20k splats should cover part of the picture: " + lit);
    }

    private static float[] rgb(FloatImage img, int x, int y) {
        return new float[] {img.get(0, x, y), img.get(1, x, y), img.get(2, x, y)};
    }

    private static String str(float[] c) {
        return String.format(java.util.Locale.ROOT, "(%.2f, %.2f, %.2f)", c[0], c[1], c[2]);
    }
}
