package org.diff2dgs.viewer.api;

/**
 * How to draw a scene.
 *
 * @param view        the eye
 * @param mode        colour, depth or normals
 * @param showCameras draw the dataset's cameras as frusta
 * @param splatScale  multiplies every surfel's extent (1 = as trained)
 */
public record ViewSettings(OrbitView view, ViewMode mode, boolean showCameras, double splatScale) {

    public ViewSettings {
        if (view == null || mode == null || !(splatScale > 0)) {
            throw new IllegalArgumentException("view settings need a view, a mode and splatScale > 0");
        }
    }

    public ViewSettings with(OrbitView newView) {
        return new ViewSettings(newView, mode, showCameras, splatScale);
    }

    public ViewSettings with(ViewMode newMode) {
        return new ViewSettings(view, newMode, showCameras, splatScale);
    }
}
