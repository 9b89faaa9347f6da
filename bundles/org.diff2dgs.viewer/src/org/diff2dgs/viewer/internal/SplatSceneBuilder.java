package org.diff2dgs.viewer.internal;

import java.util.List;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.viewer.api.SplatScene;

/**
 * Turns canonical surfels plus their deformation at time t into drawable splats. A 2DGS surfel is a disc spanned by
 * the first two columns of its rotation, scaled by exp(log-scale) (2DGS paper, Sec. 3); its colour here is the
 * degree-0 SH band, the part that does not depend on the viewing direction.
 */
final class SplatSceneBuilder {

    /** Degree-0 real spherical harmonic, 1 / (2 sqrt(pi)). */
    static final double SH_C0 = 0.28209479177387814;

    private SplatSceneBuilder() {
    }

    static SplatScene build(GaussianModel canonical, DeformationField deformation, double time, List<Camera> cameras) {
        int n = canonical.count();
        float[] pos = new float[3 * n];
        float[] rot = new float[4 * n];
        float[] ls = new float[2 * n];
        if (deformation != null) {
            if (deformation.surfelCount() != n) {
                throw new IllegalArgumentException("deformation field has " + deformation.surfelCount()
                        + " surfels, the model " + n);
            }
            deformation.deform(time, canonical, pos, rot, ls);
        } else {
            System.arraycopy(canonical.positions(), 0, pos, 0, 3 * n);
            System.arraycopy(canonical.rotations(), 0, rot, 0, 4 * n);
            System.arraycopy(canonical.logScales(), 0, ls, 0, 2 * n);
        }
        float[] u = new float[3 * n];
        float[] v = new float[3 * n];
        float[] colour = new float[3 * n];
        float[] opacity = new float[n];
        int k = canonical.shCoefficients();
        float[] sh = canonical.sh();
        float[] logits = canonical.opacityLogits();
        for (int i = 0; i < n; i++) {
            double w = rot[4 * i];
            double x = rot[4 * i + 1];
            double y = rot[4 * i + 2];
            double z = rot[4 * i + 3];
            double norm = Math.sqrt(w * w + x * x + y * y + z * z);
            if (norm > 0) {
                w /= norm;
                x /= norm;
                y /= norm;
                z /= norm;
            } else {
                w = 1;
            }
            double su = Math.exp(ls[2 * i]);
            double sv = Math.exp(ls[2 * i + 1]);
            // columns 0 and 1 of the rotation matrix of (w, x, y, z)
            u[3 * i] = (float) ((1 - 2 * (y * y + z * z)) * su);
            u[3 * i + 1] = (float) (2 * (x * y + w * z) * su);
            u[3 * i + 2] = (float) (2 * (x * z - w * y) * su);
            v[3 * i] = (float) (2 * (x * y - w * z) * sv);
            v[3 * i + 1] = (float) ((1 - 2 * (x * x + z * z)) * sv);
            v[3 * i + 2] = (float) (2 * (y * z + w * x) * sv);
            for (int c = 0; c < 3; c++) {
                double value = SH_C0 * sh[(i * k) * 3 + c] + 0.5;
                colour[3 * i + c] = (float) Math.max(0, Math.min(1, value));
            }
            opacity[i] = (float) (1 / (1 + Math.exp(-logits[i])));
        }
        return new SplatScene(n, time, pos, u, v, colour, opacity, cameras);
    }

    /** Centre of the splats weighted by opacity, and the radius that holds 95 % of them. */
    static double[] bounds(SplatScene s) {
        double[] c = new double[3];
        double wsum = 0;
        for (int i = 0; i < s.count(); i++) {
            double w = s.opacities()[i];
            for (int a = 0; a < 3; a++) {
                c[a] += w * s.centres()[3 * i + a];
            }
            wsum += w;
        }
        if (wsum > 0) {
            for (int a = 0; a < 3; a++) {
                c[a] /= wsum;
            }
        }
        double[] d = new double[s.count()];
        for (int i = 0; i < s.count(); i++) {
            double dx = s.centres()[3 * i] - c[0];
            double dy = s.centres()[3 * i + 1] - c[1];
            double dz = s.centres()[3 * i + 2] - c[2];
            d[i] = Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        java.util.Arrays.sort(d);
        double r = d.length == 0 ? 1 : Math.max(1e-6, d[(int) Math.min(d.length - 1, Math.floor(0.95 * d.length))]);
        return new double[] {c[0], c[1], c[2], r};
    }
}
