package org.diff2dgs.splat.internal;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;

/**
 * The camera as the rasterizer uses it: pinhole K (pixel centres at i + 0.5, so u = fx x / z + cx exactly as
 * {@link Intrinsics} defines it) and the world-to-camera rotation and translation, all in double.
 */
public final class CameraModel {

    public final double fx;
    public final double fy;
    public final double cx;
    public final double cy;
    public final int width;
    public final int height;
    /** World-to-camera rotation, row-major. */
    public final double[] r = new double[9];
    public final double[] t = new double[3];
    public final int tilesX;
    public final int tilesY;

    public CameraModel(Camera camera) {
        Intrinsics k = camera.intrinsics();
        fx = k.fx();
        fy = k.fy();
        cx = k.cx();
        cy = k.cy();
        width = k.width();
        height = k.height();
        System.arraycopy(camera.pose().rotation(), 0, r, 0, 9);
        System.arraycopy(camera.pose().translation(), 0, t, 0, 3);
        tilesX = (width + SplatConstants.TILE - 1) / SplatConstants.TILE;
        tilesY = (height + SplatConstants.TILE - 1) / SplatConstants.TILE;
    }

    public int tiles() {
        return tilesX * tilesY;
    }

    public int pixels() {
        return width * height;
    }
}
