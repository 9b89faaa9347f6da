package org.diff2dgs.dataset.synthetic.internal;

/**
 * One grasper at one frame, in the scene frame: a cylindrical shaft from the trocar to the jaw hinge and two jaws
 * hinged at the shaft's end, each a thin box with a narrower box for its tapered tip. Answers the two questions the
 * renderer asks: where does a camera ray first hit the instrument, and how much of the light does it block for a
 * tissue point.
 */
final class InstrumentShape {

    static final int SHAFT = 0;
    static final int COLLAR = 1;
    static final int JAW = 2;

    /** Slots of the hit record filled by {@link #intersect}: normal x, y, z, part, position along the part (mm). */
    static final int HIT_SLOTS = 5;

    private final double[] trocar;
    private final double[] hinge;
    private final double[] axis;
    private final double shaftLength;
    private final double radius;
    private final double collarStart;
    /** Shares of a jaw's length in its base box; the tip box is narrower and thinner. */
    private static final double BASE_SHARE = 0.55;
    private static final double TIP_WIDTH = 0.65;
    private static final double TIP_THICKNESS = 0.75;

    /**
     * Per jaw box (base and tip of each jaw): centre (3), axes along / across / through (9), half sizes (3), and
     * where the box starts along its jaw (1).
     */
    private final double[][] jaws = new double[4][16];
    private final double[][] jawEnds = new double[2][3];
    /** A sphere around both jaws: most rays miss it, which spares them four box tests. */
    private final double[] jawCentre = new double[3];
    private final double jawReach2;
    private final double jawShadowRadius;

    /**
     * @param trocar  where the shaft enters the body
     * @param jawEnd  where the closed jaws end (the point that touches tissue)
     * @param opening half-angle between the jaws (radians)
     * @param roll    rotation of the jaws' opening plane about the shaft (radians)
     */
    InstrumentShape(double[] trocar, double[] jawEnd, double opening, double roll, TissueParameters.Instruments p) {
        this.trocar = trocar.clone();
        this.radius = p.shaftRadius();
        axis = new double[3];
        for (int i = 0; i < 3; i++) {
            axis[i] = jawEnd[i] - trocar[i];
        }
        double full = norm(axis);
        scale(axis, 1 / full);
        shaftLength = full - p.jawLength();
        collarStart = shaftLength - p.collarLength();
        hinge = new double[3];
        for (int i = 0; i < 3; i++) {
            hinge[i] = trocar[i] + axis[i] * shaftLength;
        }
        // the opening plane contains the shaft axis; start from the axis' horizontal perpendicular and roll it
        double[] e0 = cross(axis, new double[] {0, 0, 1});
        scale(e0, 1 / norm(e0));
        double[] f0 = cross(axis, e0);
        double[] open = new double[3];
        for (int i = 0; i < 3; i++) {
            open[i] = e0[i] * StrictMath.cos(roll) + f0[i] * StrictMath.sin(roll);
        }
        double[] across = cross(axis, open);
        double cos = StrictMath.cos(opening);
        double sin = StrictMath.sin(opening);
        for (int k = 0; k < 2; k++) {
            double side = k == 0 ? 1 : -1;
            for (int part = 0; part < 2; part++) {
                double[] box = jaws[2 * k + part];
                double start = part == 0 ? 0 : BASE_SHARE * p.jawLength();
                double length = part == 0 ? BASE_SHARE * p.jawLength() : (1 - BASE_SHARE) * p.jawLength();
                double thickness = p.jawThickness() * (part == 0 ? 1 : TIP_THICKNESS);
                for (int i = 0; i < 3; i++) {
                    double along = axis[i] * cos + side * open[i] * sin;
                    double outward = -axis[i] * sin + side * open[i] * cos;
                    box[3 + i] = along;
                    box[6 + i] = across[i];
                    box[9 + i] = outward;
                    // the gripping faces of both jaws meet on the axis when closed
                    box[i] = hinge[i] + along * (start + 0.5 * length) + outward * 0.5 * thickness;
                    jawEnds[k][i] = hinge[i] + along * p.jawLength();
                }
                box[12] = 0.5 * length;
                box[13] = 0.5 * p.jawWidth() * (part == 0 ? 1 : TIP_WIDTH);
                box[14] = 0.5 * thickness;
                box[15] = start;
            }
        }
        jawShadowRadius = 0.4 * (p.jawWidth() + p.jawThickness());
        for (int i = 0; i < 3; i++) {
            jawCentre[i] = hinge[i] + axis[i] * 0.5 * p.jawLength();
        }
        // a point s along an opened jaw is |s j - L/2 a| from the centre, largest at s = 0 or s = L, plus the box's
        // cross-section reach sqrt(T^2 + (W/2)^2); half a millimetre more for rounding
        double along = p.jawLength() * Math.sqrt(Math.max(0.25, 1.25 - cos));
        double reach = along + 0.5 * Math.sqrt(p.jawWidth() * p.jawWidth() + 4 * p.jawThickness()
                * p.jawThickness()) + 0.5;
        jawReach2 = reach * reach;
    }

    /**
     * First hit of the ray o + s d with s > 0, or +infinity; fills {@code hit} ({@link #HIT_SLOTS} values) when
     * there is one.
     */
    double intersect(double ox, double oy, double oz, double dx, double dy, double dz, double[] hit) {
        double best = Double.POSITIVE_INFINITY;
        // shaft: |(m + s d) minus its axial part| = radius, with m = o - trocar
        double mx = ox - trocar[0];
        double my = oy - trocar[1];
        double mz = oz - trocar[2];
        double ma = mx * axis[0] + my * axis[1] + mz * axis[2];
        double da = dx * axis[0] + dy * axis[1] + dz * axis[2];
        double mpx = mx - ma * axis[0];
        double mpy = my - ma * axis[1];
        double mpz = mz - ma * axis[2];
        double dpx = dx - da * axis[0];
        double dpy = dy - da * axis[1];
        double dpz = dz - da * axis[2];
        double qa = dpx * dpx + dpy * dpy + dpz * dpz;
        double qb = mpx * dpx + mpy * dpy + mpz * dpz;
        double qc = mpx * mpx + mpy * mpy + mpz * mpz - radius * radius;
        double disc = qb * qb - qa * qc;
        if (qa > 1e-12 && disc >= 0) {
            double s = (-qb - Math.sqrt(disc)) / qa;
            double h = ma + s * da;
            if (s > 0 && h >= 0 && h <= shaftLength) {
                best = s;
                hit[0] = (mpx + s * dpx) / radius;
                hit[1] = (mpy + s * dpy) / radius;
                hit[2] = (mpz + s * dpz) / radius;
                hit[3] = h >= collarStart ? COLLAR : SHAFT;
                hit[4] = h;
            }
        }
        // the shaft's end face around the hinge
        if (Math.abs(da) > 1e-12) {
            double s = (shaftLength - ma) / da;
            if (s > 0 && s < best) {
                double rx = mpx + s * dpx;
                double ry = mpy + s * dpy;
                double rz = mpz + s * dpz;
                if (rx * rx + ry * ry + rz * rz <= radius * radius) {
                    best = s;
                    hit[0] = axis[0];
                    hit[1] = axis[1];
                    hit[2] = axis[2];
                    hit[3] = COLLAR;
                    hit[4] = shaftLength;
                }
            }
        }
        // squared distance of the jaw centre from the ray's line: |m x d|^2 / |d|^2
        double cx = jawCentre[0] - ox;
        double cy = jawCentre[1] - oy;
        double cz = jawCentre[2] - oz;
        double kx = cy * dz - cz * dy;
        double ky = cz * dx - cx * dz;
        double kz = cx * dy - cy * dx;
        if (kx * kx + ky * ky + kz * kz <= jawReach2 * (dx * dx + dy * dy + dz * dz)) {
            for (double[] jaw : jaws) {
                best = intersectBox(jaw, ox, oy, oz, dx, dy, dz, best, hit);
            }
        }
        return best;
    }

    /** Slab test against an oriented box; updates {@code hit} and returns the new nearest distance. */
    private static double intersectBox(double[] box, double ox, double oy, double oz, double dx, double dy, double dz,
            double best, double[] hit) {
        double px = ox - box[0];
        double py = oy - box[1];
        double pz = oz - box[2];
        double near = Double.NEGATIVE_INFINITY;
        double far = Double.POSITIVE_INFINITY;
        int nearAxis = -1;
        double nearSign = 0;
        for (int a = 0; a < 3; a++) {
            double ax = box[3 + 3 * a];
            double ay = box[4 + 3 * a];
            double az = box[5 + 3 * a];
            double origin = px * ax + py * ay + pz * az;
            double dir = dx * ax + dy * ay + dz * az;
            double half = box[12 + a];
            if (Math.abs(dir) < 1e-12) {
                if (Math.abs(origin) > half) {
                    return best;
                }
                continue;
            }
            double t0 = (-half - origin) / dir;
            double t1 = (half - origin) / dir;
            double sign = -1;
            if (t0 > t1) {
                double t = t0;
                t0 = t1;
                t1 = t;
                sign = 1;
            }
            if (t0 > near) {
                near = t0;
                nearAxis = a;
                nearSign = sign;
            }
            far = Math.min(far, t1);
            if (near > far) {
                return best;
            }
        }
        if (nearAxis < 0 || near <= 0 || near >= best) {
            return best;
        }
        hit[0] = nearSign * box[3 + 3 * nearAxis];
        hit[1] = nearSign * box[4 + 3 * nearAxis];
        hit[2] = nearSign * box[5 + 3 * nearAxis];
        hit[3] = JAW;
        // position along the jaw from the hinge, for the serration pattern
        double hx = ox + near * dx - box[0];
        double hy = oy + near * dy - box[1];
        double hz = oz + near * dz - box[2];
        hit[4] = hx * box[3] + hy * box[4] + hz * box[5] + box[12] + box[15];
        return near;
    }

    /**
     * Fraction of an area light (a disc of radius {@code lightRadius} at l) that reaches tissue point p past this
     * instrument. Each part is a capsule; the penumbra widens with the distance from the occluder to the tissue by
     * similar triangles, which keeps shadow edges soft as they are under a fibre-optic light.
     */
    double lightVisibility(double px, double py, double pz, double lx, double ly, double lz, double lightRadius,
            double[] tmp) {
        double v = capsuleVisibility(px, py, pz, lx, ly, lz, trocar, hinge, radius, lightRadius, tmp);
        for (int k = 0; k < 2 && v > 0; k++) {
            v *= capsuleVisibility(px, py, pz, lx, ly, lz, hinge, jawEnds[k], jawShadowRadius, lightRadius, tmp);
        }
        return v;
    }

    private static double capsuleVisibility(double px, double py, double pz, double lx, double ly, double lz,
            double[] a, double[] b, double capsuleRadius, double lightRadius, double[] tmp) {
        closestPoints(px, py, pz, lx, ly, lz, a, b, tmp);
        double t = tmp[0];
        double distance = tmp[1];
        if (t <= 0 || t >= 1) {
            return 1;
        }
        double toLight = Math.sqrt((lx - px) * (lx - px) + (ly - py) * (ly - py) + (lz - pz) * (lz - pz));
        double toOccluder = t * toLight;
        double penumbra = lightRadius * toOccluder / Math.max(toLight - toOccluder, 1e-3) + 0.05;
        return TissueTexture.smoothstep(capsuleRadius - penumbra, capsuleRadius + penumbra, distance);
    }

    /**
     * Closest points of segments p-l and a-b: tmp[0] = parameter along p-l (0 at p), tmp[1] = their distance.
     * Clamped line-line solution, refined once per segment (Ericson, Real-Time Collision Detection, 5.1.9).
     */
    private static void closestPoints(double px, double py, double pz, double lx, double ly, double lz, double[] a,
            double[] b, double[] tmp) {
        double d1x = lx - px;
        double d1y = ly - py;
        double d1z = lz - pz;
        double d2x = b[0] - a[0];
        double d2y = b[1] - a[1];
        double d2z = b[2] - a[2];
        double rx = px - a[0];
        double ry = py - a[1];
        double rz = pz - a[2];
        double aa = d1x * d1x + d1y * d1y + d1z * d1z;
        double ee = d2x * d2x + d2y * d2y + d2z * d2z;
        double f = d2x * rx + d2y * ry + d2z * rz;
        double c = d1x * rx + d1y * ry + d1z * rz;
        double bb = d1x * d2x + d1y * d2y + d1z * d2z;
        double denom = aa * ee - bb * bb;
        double s = denom > 1e-12 ? clamp01((bb * f - c * ee) / denom) : 0;
        double t = (bb * s + f) / ee;
        if (t < 0) {
            t = 0;
            s = clamp01(-c / aa);
        } else if (t > 1) {
            t = 1;
            s = clamp01((bb - c) / aa);
        }
        double qx = px + d1x * s - (a[0] + d2x * t);
        double qy = py + d1y * s - (a[1] + d2y * t);
        double qz = pz + d1z * s - (a[2] + d2z * t);
        tmp[0] = s;
        tmp[1] = Math.sqrt(qx * qx + qy * qy + qz * qz);
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    private static double[] cross(double[] u, double[] v) {
        return new double[] {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
    }

    private static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    private static void scale(double[] v, double f) {
        v[0] *= f;
        v[1] *= f;
        v[2] *= f;
    }
}
