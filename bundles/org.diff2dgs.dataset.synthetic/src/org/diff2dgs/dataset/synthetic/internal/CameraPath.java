package org.diff2dgs.dataset.synthetic.internal;

/**
 * The endoscope's motion: still, or a slow smooth drift and sway as when an assistant holds the scope. Every motion
 * term is a sine that is zero at frame 0, so frame 0 is the scene frame itself.
 */
final class CameraPath {

    private final boolean moving;
    private final TissueParameters.Camera p;
    private final double[] signs;

    CameraPath(boolean moving, TissueParameters.Camera p, long seed) {
        this.moving = moving;
        this.p = p;
        signs = new double[4]; // of the x, y, z drift and of the roll
        for (int i = 0; i < signs.length; i++) {
            // the sign of each term is random: different seeds drift in different directions
            signs[i] = Hash.uniform(Hash.key(seed, 21, i, 0)) < 0.5 ? -1 : 1;
        }
    }

    RigidPose at(int frame) {
        if (!moving) {
            return RigidPose.identity();
        }
        double[] periods = p.travelPeriods();
        double[] centre = new double[3];
        for (int a = 0; a < 3; a++) {
            centre[a] = signs[a] * p.travelMm() * StrictMath.sin(2 * Math.PI * frame / periods[a]);
        }
        double turn = Math.toRadians(p.turnDegrees());
        // the camera turns against its drift so the same tissue stays in view, as a person holding a scope does
        // (Ry(yaw) tips the forward axis towards +x, Rx(pitch) towards -y)
        double yaw = -signs[0] * turn * StrictMath.sin(2 * Math.PI * frame / periods[0]);
        double pitch = signs[1] * turn * StrictMath.sin(2 * Math.PI * frame / periods[1]);
        double roll = signs[3] * turn * StrictMath.sin(2 * Math.PI * frame / periods[2]);
        return RigidPose.of(pitch, yaw, roll, centre);
    }
}
