package org.diff2dgs.ui.internal.tour;

import java.util.Random;

import org.diff2dgs.core.model.GaussianModel;

/**
 * A tissue-like sheet of n surfels for viewer timing: a gently curved surface 4 units ahead of the origin, facing the
 * eye, with small random scales, orientations and colours (fixed seed), so that fill rate and sorting behave as for
 * a trained endoscopic scene of the same size.
 */
final class BenchmarkScene {

    private BenchmarkScene() {
    }

    static GaussianModel sheet(int n, long seed) {
        Random r = new Random(seed);
        GaussianModel m = GaussianModel.allocate(n, 0);
        int side = (int) Math.ceil(Math.sqrt(n));
        double spacing = 3.0 / side;
        for (int i = 0; i < n; i++) {
            double x = -1.5 + (i % side + r.nextDouble()) * spacing;
            double y = -1.2 + (i / side + r.nextDouble()) * spacing * 0.8;
            m.positions()[3 * i] = (float) x;
            m.positions()[3 * i + 1] = (float) y;
            m.positions()[3 * i + 2] = (float) (4 + 0.3 * Math.sin(2 * x) * Math.cos(3 * y) + 0.02 * r.nextGaussian());
            // small tilt around the sheet's normal (the z axis)
            m.rotations()[4 * i] = 1;
            m.rotations()[4 * i + 1] = (float) (0.15 * r.nextGaussian());
            m.rotations()[4 * i + 2] = (float) (0.15 * r.nextGaussian());
            m.rotations()[4 * i + 3] = (float) (r.nextDouble() - 0.5);
            m.logScales()[2 * i] = (float) Math.log(spacing * (0.6 + 0.4 * r.nextDouble()));
            m.logScales()[2 * i + 1] = (float) Math.log(spacing * (0.3 + 0.3 * r.nextDouble()));
            m.opacityLogits()[i] = (float) (1 + r.nextGaussian());
            // SH band 0: (rgb - 0.5) / C0, a pink tissue tone with variation
            double shade = 0.15 * r.nextGaussian();
            m.sh()[3 * i] = (float) ((0.80 + shade - 0.5) / 0.28209479177387814);
            m.sh()[3 * i + 1] = (float) ((0.45 + shade - 0.5) / 0.28209479177387814);
            m.sh()[3 * i + 2] = (float) ((0.50 + shade - 0.5) / 0.28209479177387814);
        }
        return m;
    }
}
