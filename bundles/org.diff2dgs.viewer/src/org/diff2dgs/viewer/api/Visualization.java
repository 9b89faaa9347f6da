package org.diff2dgs.viewer.api;

import java.nio.file.Path;
import java.util.List;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.GaussianModel;

/**
 * The 3D visualization service: trained surfels at any time as oriented, sorted and blended elliptical splats. The
 * workbench draws on screen through {@link #createRenderer()}; batch reports and the headless product take
 * {@link #snapshot} pictures offscreen (EGL, no display needed).
 */
public interface Visualization {

    /**
     * The surfels at normalized time t: the deformation field (the deformation model service's output stored with
     * the run) moves, turns and scales the canonical surfels; the view-independent SH band gives the colour.
     */
    SplatScene sceneAt(GaussianModel canonical, DeformationField deformation, double time, List<Camera> cameras);

    /** A view that frames the scene from its first camera (or from -z when it has none). */
    ViewSettings initialView(SplatScene scene, ViewMode mode);

    /**
     * A renderer for the OpenGL context current on this thread (OpenGL 3.3 or newer).
     *
     * @throws org.diff2dgs.core.api.UserInputException when the context is missing or older than 3.3
     */
    SplatRenderer createRenderer();

    /**
     * Draws the scene offscreen and returns the picture. Works without a display (EGL device or Mesa surfaceless).
     *
     * @throws org.diff2dgs.core.api.UserInputException when this machine has no usable OpenGL, with the reason
     */
    FloatImage snapshot(SplatScene scene, ViewSettings settings, int width, int height);

    /** Why {@link #snapshot} cannot work here, or null when it can (cheap after the first call). */
    String offscreenUnavailableReason();

    /** Writes a picture as an 8-bit RGB PNG, atomically. */
    void writePng(FloatImage picture, Path file);
}
