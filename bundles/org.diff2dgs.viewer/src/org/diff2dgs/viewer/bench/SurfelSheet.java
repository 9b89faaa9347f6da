package org.diff2dgs.viewer.bench;

import java.util.Random;

import org.diff2dgs.core.model.GaussianModel;

/**
 * Random surfels on a gently curved sheet, the load of the viewer benchmarks (the offscreen benchmark and the
 * workbench tour's on-screen one), so both draw the same scene for a given count and seed.
 */
public final class SurfelSheet {

    /** Degree-0 spherical-harmonic constant: colour = SH_C0 * dc + 0.5. */
    private static final double SH_C0 = 0.28209479177387814;

    private SurfelSheet() {
    }

    /** A curved sheet of n small surfels facing the eye (a tissue-like layout), fixed seed. */
    public static GaussianModel of(int n, long seed) {
        Random rnd = new Random(seed);
        GaussianModel m = GaussianModel.allocate(n, 0);
        int side = (int) Math.ceil(Math.sqrt(n));
        double spacing = 3.0 / side;
        for (int i = 0; i < n; i++) {
            double x = -1.5 + (i % side + rnd.nextDouble()) * spacing;
            double y = -1.2 + (i / side + rnd.nextDouble()) * spacing * 0.8;
            m.positions()[3 * i] = (float) x;
            m.positions()[3 * i + 1] = (float) y;
            m.positions()[3 * i + 2] = (float) (4 + 0.3 * Math.sin(2 * x) * Math.cos(3 * y));
            m.rotations()[4 * i] = 1;
            m.rotations()[4 * i + 1] = (float) (0.15 * rnd.nextGaussian());
            m.rotations()[4 * i + 2] = (float) (0.15 * rnd.nextGaussian());
            m.rotations()[4 * i + 3] = (float) (rnd.nextDouble() - 0.5);
            m.logScales()[2 * i] = (float) Math.log(spacing * (0.6 + 0.4 * rnd.nextDouble()));
            m.logScales()[2 * i + 1] = (float) Math.log(spacing * (0.3 + 0.3 * rnd.nextDouble()));
            m.opacityLogits()[i] = (float) (1 + rnd.nextGaussian());
            double shade = 0.15 * rnd.nextGaussian();
            m.sh()[3 * i] = (float) ((0.80 + shade - 0.5) / SH_C0);
            m.sh()[3 * i + 1] = (float) ((0.45 + shade - 0.5) / SH_C0);
            m.sh()[3 * i + 2] = (float) ((0.50 + shade - 0.5) / SH_C0);
        }
        return m;
    }
}
