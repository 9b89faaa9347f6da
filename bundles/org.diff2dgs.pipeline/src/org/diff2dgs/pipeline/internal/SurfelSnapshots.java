package org.diff2dgs.pipeline.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.api.ViewMode;
import org.diff2dgs.viewer.api.ViewSettings;
import org.diff2dgs.viewer.api.Visualization;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * 3D pictures of a trained run through the viewer's {@link Visualization} service, offscreen. A component of its own
 * so that the pipeline never loads a viewer class when the viewer bundle is absent (the package import is optional):
 * DS creates this one only when a Visualization service exists, and the pipeline binds it optionally.
 */
@Component(service = SurfelSnapshots.class)
public final class SurfelSnapshots {

    /** Start, middle and end of the clip. */
    static final double[] RUN_TIMES = {0, 0.5, 1};
    /** The run's snapshots: colour for what the tissue looks like, depth for its shape. */
    static final List<String> RUN_MODES = List.of(SnapshotModes.COLOR, SnapshotModes.DEPTH);
    /**
     * The eye turns this far around the scene from the first camera's position (yaw right, pitch from above), so the
     * picture shows depth that the camera's own view cannot.
     */
    static final double ORBIT_YAW = Math.toRadians(25);
    static final double ORBIT_PITCH = Math.toRadians(15);
    static final int MIN_WIDTH = 320;
    static final int MAX_WIDTH = 640;

    private final Visualization visualization;

    @Activate
    public SurfelSnapshots(@Reference Visualization visualization) {
        this.visualization = visualization;
    }

    /** Why no snapshot can be taken on this machine, or null. */
    String unavailableReason() {
        return visualization.offscreenUnavailableReason();
    }

    private static ViewMode mode(String name) {
        return switch (SnapshotModes.check(name)) {
            case SnapshotModes.DEPTH -> ViewMode.DEPTH;
            case SnapshotModes.NORMAL -> ViewMode.NORMAL;
            default -> ViewMode.COLOR;
        };
    }

    /**
     * Default picture size: the first camera's aspect ratio, its width kept within [320, 640] so that snapshots stay
     * small in reports; 480x360 without cameras.
     */
    static int[] defaultSize(List<Camera> cameras) {
        if (cameras.isEmpty()) {
            return new int[] {480, 360};
        }
        Camera c = cameras.get(0);
        int w = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, c.width()));
        int h = (int) Math.max(1, Math.round((double) w * c.height() / c.width()));
        return new int[] {w, h};
    }

    /** File name of a run snapshot, e.g. t0.50-color.png. */
    static String fileName(double time, String mode) {
        return String.format(Locale.ROOT, "t%.2f-%s.png", time, mode);
    }

    /**
     * The run's snapshots: every time of {@link #RUN_TIMES} in every mode of {@link #RUN_MODES}, all from one eye
     * (framed on the middle of the clip), into {@code dir}.
     */
    List<Path> writeRun(SceneState state, List<Camera> cameras, Path dir) {
        int[] size = defaultSize(cameras);
        ViewSettings view = orbitBesideFirstCamera(sceneAt(state, 0.5, cameras), ViewMode.COLOR);
        List<Path> files = new ArrayList<>();
        for (double t : RUN_TIMES) {
            SplatScene scene = sceneAt(state, t, cameras);
            for (String m : RUN_MODES) {
                Path file = dir.resolve(fileName(t, m));
                write(scene, view.with(mode(m)), size, file);
                files.add(file);
            }
        }
        return files;
    }

    /** One snapshot at time t from the same eye as the run's; size {0, 0} for the default. */
    Path writeOne(SceneState state, List<Camera> cameras, double time, String modeName, int[] size, Path file) {
        ViewMode m = mode(modeName);
        int[] wh = size[0] > 0 && size[1] > 0 ? size : defaultSize(cameras);
        ViewSettings view = orbitBesideFirstCamera(sceneAt(state, 0.5, cameras), m);
        write(sceneAt(state, time, cameras), view, wh, file);
        return file;
    }

    private SplatScene sceneAt(SceneState state, double t, List<Camera> cameras) {
        return visualization.sceneAt(state.surfels(), state.deformation(), t, cameras);
    }

    private ViewSettings orbitBesideFirstCamera(SplatScene scene, ViewMode mode) {
        ViewSettings first = visualization.initialView(scene, mode);
        return first.with(first.view().orbit(ORBIT_YAW, ORBIT_PITCH));
    }

    private void write(SplatScene scene, ViewSettings view, int[] size, Path file) {
        FloatImage picture = visualization.snapshot(scene, view, size[0], size[1]);
        visualization.writePng(picture, file);
    }
}
