package org.diff2dgs.viewer.api;

/**
 * An eye that circles a target point: yaw and pitch in radians around the target, at a distance, with a vertical
 * field of view. The world's up is -y, as in the OpenCV camera convention of the datasets (y points down in images).
 * Each interaction returns a new view.
 *
 * @param targetX  point looked at
 * @param targetY  point looked at
 * @param targetZ  point looked at
 * @param yaw      rotation about the up axis
 * @param pitch    elevation, kept inside (-pi/2, pi/2)
 * @param distance eye to target, positive
 * @param fovY     vertical field of view in radians
 */
public record OrbitView(double targetX, double targetY, double targetZ, double yaw, double pitch, double distance,
        double fovY) {

    private static final double PITCH_LIMIT = Math.PI / 2 - 1e-3;

    public OrbitView {
        if (!(distance > 0) || !(fovY > 0 && fovY < Math.PI)) {
            throw new IllegalArgumentException("orbit view needs distance > 0 and 0 < fovY < pi");
        }
        pitch = Math.max(-PITCH_LIMIT, Math.min(PITCH_LIMIT, pitch));
    }

    /** Looks along +z (the first camera's direction in most clips) at a target from the given distance. */
    public static OrbitView lookingAt(double[] target, double distance, double fovY) {
        return new OrbitView(target[0], target[1], target[2], 0, 0, distance, fovY);
    }

    /** Turns the eye around the target (mouse drag). */
    public OrbitView orbit(double dYaw, double dPitch) {
        return new OrbitView(targetX, targetY, targetZ, yaw + dYaw, pitch + dPitch, distance, fovY);
    }

    /** Moves target and eye in the view plane; dx, dy in fractions of the view height. */
    public OrbitView pan(double dx, double dy) {
        double scale = 2 * distance * Math.tan(fovY / 2);
        double[] r = right();
        double[] u = up();
        return new OrbitView(targetX - (r[0] * dx - u[0] * dy) * scale, targetY - (r[1] * dx - u[1] * dy) * scale,
                targetZ - (r[2] * dx - u[2] * dy) * scale, yaw, pitch, distance, fovY);
    }

    /** Moves the eye towards (factor < 1) or away from (factor > 1) the target. */
    public OrbitView zoom(double factor) {
        return new OrbitView(targetX, targetY, targetZ, yaw, pitch, distance * factor, fovY);
    }

    /** Unit vector from the eye to the target. */
    public double[] forward() {
        // yaw 0, pitch 0 looks along +z; positive pitch looks down from above (towards +y, the world's down)
        return new double[] {Math.sin(yaw) * Math.cos(pitch), Math.sin(pitch), Math.cos(yaw) * Math.cos(pitch)};
    }

    /** Unit vector to the right of the view (camera +x). */
    public double[] right() {
        return new double[] {Math.cos(yaw), 0, -Math.sin(yaw)};
    }

    /** Unit vector up in the view (camera -y): right x forward. */
    public double[] up() {
        double[] f = forward();
        double[] r = right();
        return new double[] {r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0]};
    }

    public double[] eye() {
        double[] f = forward();
        return new double[] {targetX - f[0] * distance, targetY - f[1] * distance, targetZ - f[2] * distance};
    }
}
