package org.diff2dgs.core.model;

/** A calibrated view: intrinsics plus the world-to-camera pose. Near and far bound the depth range of the scene. */
public record Camera(Intrinsics intrinsics, Pose pose, double near, double far) {

    public Camera {
        if (intrinsics == null || pose == null) {
            throw new IllegalArgumentException("camera needs intrinsics and a pose");
        }
        if (!(near >= 0) || !(far > near)) {
            throw new IllegalArgumentException("camera needs 0 <= near < far, got near=" + near + " far=" + far);
        }
    }

    public int width() {
        return intrinsics.width();
    }

    public int height() {
        return intrinsics.height();
    }
}
