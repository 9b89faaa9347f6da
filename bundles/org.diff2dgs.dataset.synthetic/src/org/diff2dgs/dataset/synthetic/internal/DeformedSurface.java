package org.diff2dgs.dataset.synthetic.internal;

/**
 * The tissue surface at one frame: the rest height field plus breathing (a broad periodic bulge towards the camera)
 * and the push of the first instrument (a Gaussian dent under its jaws). The texture is attached to material
 * coordinates, which follow the tissue: a lateral stretch with breathing and a pull towards the dent.
 */
final class DeformedSurface {

    private final RestSurface rest;
    private final double breathLift;
    private final double breathX;
    private final double breathY;
    private final double breathInvWidth2;
    private final double stretch;
    private final double dentX;
    private final double dentY;
    private final double dentDepth;
    private final double dentInvSigma2;
    private final double dentPull;

    /**
     * @param breathLift  how far the centre of the bulge moves towards the camera now (mm, signed)
     * @param stretch     lateral stretch factor now (signed, e.g. 0.01 = 1 %)
     * @param dentDepth   depth of the dent now (mm, >= 0)
     * @param dentPull    lateral pull of the texture towards the dent centre per mm of dent depth, relative
     */
    DeformedSurface(RestSurface rest, double breathLift, double breathX, double breathY, double breathWidth,
            double stretch, double dentX, double dentY, double dentDepth, double dentSigma, double dentPull) {
        this.rest = rest;
        this.breathLift = breathLift;
        this.breathX = breathX;
        this.breathY = breathY;
        this.breathInvWidth2 = 1 / (breathWidth * breathWidth);
        this.stretch = stretch;
        this.dentX = dentX;
        this.dentY = dentY;
        this.dentDepth = dentDepth;
        this.dentInvSigma2 = 1 / (dentSigma * dentSigma);
        this.dentPull = dentPull * dentDepth / dentSigma;
    }

    /** Height and slope at (x, y): out[0] = z, out[1] = dz/dx, out[2] = dz/dy. */
    void sample(double x, double y, double[] out) {
        rest.sample(x, y, out);
        double bx = x - breathX;
        double by = y - breathY;
        double bulge = PortableMath.exp(-0.5 * (bx * bx + by * by) * breathInvWidth2);
        // the bulge comes towards the camera: z decreases
        out[0] -= breathLift * bulge;
        out[1] += breathLift * bulge * bx * breathInvWidth2;
        out[2] += breathLift * bulge * by * breathInvWidth2;
        double dx = x - dentX;
        double dy = y - dentY;
        double r2 = (dx * dx + dy * dy) * dentInvSigma2;
        // beyond 5 sigma the dent is below 1e-5 of its depth, far under the 0.005 mm depth step
        if (dentDepth > 0 && r2 < 25) {
            double dent = dentDepth * PortableMath.exp(-0.5 * r2);
            out[0] += dent;
            out[1] -= dent * dx * dentInvSigma2;
            out[2] -= dent * dy * dentInvSigma2;
        }
    }

    /** Material (texture) coordinates of the tissue now at (x, y): out[0] = u, out[1] = v. */
    void material(double x, double y, double[] out) {
        double shrink = 1 / (1 + stretch);
        double u = breathX + (x - breathX) * shrink;
        double v = breathY + (y - breathY) * shrink;
        double dx = x - dentX;
        double dy = y - dentY;
        double r2 = (dx * dx + dy * dy) * dentInvSigma2;
        if (dentDepth > 0 && r2 < 25) {
            // tissue slides into the dent, so what is seen at distance r comes from further out
            double pull = dentPull * PortableMath.exp(-0.5 * r2);
            u += pull * dx;
            v += pull * dy;
        }
        out[0] = u;
        out[1] = v;
    }

    /**
     * Distance s along the ray o + s d (d with unit z component in the camera frame) to the surface, by Newton's
     * method on z(s) - h(x(s), y(s)). Inside the view the surface rises along any viewing ray by less than the ray
     * itself (below 0.8 mm per mm for the default parameters over ten seeds), so z(s) - h is monotonic and the root is
     * unique; a good start (the neighbouring pixel's depth) makes it converge in two or three steps. {@code tmp}
     * needs 3 slots.
     */
    double intersect(double ox, double oy, double oz, double dx, double dy, double dz, double start, double[] tmp) {
        double s = start;
        for (int iteration = 0; iteration < 20; iteration++) {
            sample(ox + s * dx, oy + s * dy, tmp);
            double f = oz + s * dz - tmp[0];
            double slope = dz - (tmp[1] * dx + tmp[2] * dy);
            // guard against grazing steps: the ray never runs parallel to this gentle surface
            slope = Math.max(slope, 0.25 * dz);
            double step = f / slope;
            s -= step;
            // well below the 0.005 mm step of the stored depth
            if (Math.abs(step) < 1e-5) {
                break;
            }
        }
        return s;
    }
}
