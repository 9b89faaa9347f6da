package org.diff2dgs.viewer.api;

import org.diff2dgs.core.model.FloatImage;

/**
 * Draws a {@link SplatScene} into the OpenGL 3.3 context that was current when it was created (an SWT GLCanvas, or
 * the offscreen context of a snapshot). Every call must come from a thread where that context is current.
 */
public interface SplatRenderer extends AutoCloseable {

    /** Replaces the surfels (upload; the next draw sorts them for the current eye). */
    void setScene(SplatScene scene);

    /** Clears and draws the scene, back to front, into a viewport of width x height pixels. */
    void draw(ViewSettings settings, int width, int height);

    /** Reads the pixels last drawn (before a buffer swap) as a 3-channel image, top row first. */
    FloatImage readPixels(int width, int height);

    /** One line: GL vendor, renderer and version of the context. */
    String glInfo();

    /** Frees the GL objects; the context must still be current. */
    @Override
    void close();
}
