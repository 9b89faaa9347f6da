package org.diff2dgs.dataset.synthetic.internal;

/**
 * Camera-to-scene transform x_scene = R x_cam + c, with the OpenCV camera frame (x right, y down, z forward).
 *
 * @param rotation 3x3 row-major; its columns are the camera's right, down and forward axes in the scene frame
 * @param centre   camera centre in the scene frame (millimetres)
 */
record RigidPose(double[] rotation, double[] centre) {

    static RigidPose identity() {
        return new RigidPose(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
    }

    /** Rotation about the camera's own axes by small angles (radians), R = Rz(roll) Ry(yaw) Rx(pitch). */
    static RigidPose of(double pitch, double yaw, double roll, double[] centre) {
        double cx = StrictMath.cos(pitch);
        double sx = StrictMath.sin(pitch);
        double cy = StrictMath.cos(yaw);
        double sy = StrictMath.sin(yaw);
        double cz = StrictMath.cos(roll);
        double sz = StrictMath.sin(roll);
        double[] r = {
            cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
            sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
            -sy, cy * sx, cy * cx };
        return new RigidPose(r, centre.clone());
    }

    /** Direction of the camera-frame vector (x, y, z) in the scene frame. */
    void rotate(double x, double y, double z, double[] out) {
        double[] r = rotation;
        out[0] = r[0] * x + r[1] * y + r[2] * z;
        out[1] = r[3] * x + r[4] * y + r[5] * z;
        out[2] = r[6] * x + r[7] * y + r[8] * z;
    }

    /** Scene point to camera frame: R^T (p - c). */
    void toCamera(double x, double y, double z, double[] out) {
        double[] r = rotation;
        double a = x - centre[0];
        double b = y - centre[1];
        double c = z - centre[2];
        out[0] = r[0] * a + r[3] * b + r[6] * c;
        out[1] = r[1] * a + r[4] * b + r[7] * c;
        out[2] = r[2] * a + r[5] * b + r[8] * c;
    }
}
