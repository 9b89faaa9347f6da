package org.diff2dgs.splat.tests;

import java.util.Random;

import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.splat.internal.Quaternions;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Scene;

/** Small random scenes with fixed seeds: a tilted, shifted camera with an off-centre principal point. */
final class TestScenes {

    static final RenderSettings SETTINGS = new RenderSettings(new float[] {0.15f, 0.35f, 0.6f}, 0.2, 100);

    private TestScenes() {
    }

    /** A non-identity world-to-camera pose (rotation about a random axis by ~0.25 rad) and skewed intrinsics. */
    static Camera camera(int w, int h, long seed) {
        Random rnd = new Random(seed);
        double[] axis = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
        double len = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double half = 0.125;
        double[] r = new double[9];
        Quaternions.toMatrix(Math.cos(half), Math.sin(half) * axis[0] / len, Math.sin(half) * axis[1] / len,
                Math.sin(half) * axis[2] / len, r);
        Pose pose = new Pose(r, new double[] {0.1, -0.05, 0.3});
        Intrinsics k = new Intrinsics(1.1 * w, 1.05 * w, 0.47 * w, 0.53 * h, w, h);
        return new Camera(k, pose, 0.01, 1000);
    }

    /**
     * n surfels in front of the camera, centres projecting in and slightly around the image, depth 2.5..5. Every
     * fourth surfel is tiny (sub-pixel), so the low-pass branch of rho is exercised. Opacities 0.2..maxOpacity.
     */
    static Scene scene(long seed, int n, Camera cam, double maxOpacity) {
        Random rnd = new Random(seed);
        Intrinsics k = cam.intrinsics();
        double[] pos = new double[3 * n];
        double[] rot = new double[4 * n];
        double[] sc = new double[2 * n];
        double[] op = new double[n];
        double[] col = new double[3 * n];
        double[] world = new double[3];
        for (int i = 0; i < n; i++) {
            double z = 2.5 + 2.5 * rnd.nextDouble();
            double u = (-0.1 + 1.2 * rnd.nextDouble()) * k.width();
            double v = (-0.1 + 1.2 * rnd.nextDouble()) * k.height();
            cam.pose().toWorld((u - k.cx()) * z / k.fx(), (v - k.cy()) * z / k.fy(), z, world);
            System.arraycopy(world, 0, pos, 3 * i, 3);
            double qn = 0;
            for (int c = 0; c < 4; c++) {
                rot[4 * i + c] = rnd.nextGaussian();
                qn += rot[4 * i + c] * rot[4 * i + c];
            }
            // not unit length on purpose: the rasterizer normalizes and must differentiate that
            double target = 0.7 + 0.6 * rnd.nextDouble();
            for (int c = 0; c < 4; c++) {
                rot[4 * i + c] *= target / Math.sqrt(qn);
            }
            double base = i % 4 == 3 ? 0.004 : 0.12;
            sc[2 * i] = base * (1 + 3 * rnd.nextDouble()) * z / 3;
            sc[2 * i + 1] = base * (1 + 3 * rnd.nextDouble()) * z / 3;
            op[i] = 0.2 + (maxOpacity - 0.2) * rnd.nextDouble();
            for (int c = 0; c < 3; c++) {
                col[3 * i + c] = rnd.nextDouble();
            }
        }
        return new Scene(n, pos, rot, sc, op, col);
    }

    /**
     * Overwrites surfels first..first+layers-1 with a stack of broad surfels facing the camera along the ray through
     * (u, v), in front of the random ones. The first is nearly opaque (0.9999): pixels within ~0.14 sigma of its centre
     * (choose (u, v) near, not at, a pixel centre: exactly there rho_3d = rho_2d = 0 is a tie of the min) sit on the
     * 0.99 clamp. The others have opacity 0.95, so behind a few layers T
     * would fall below 1e-4 and pixels stop early, without two clamped layers landing exactly on T = 1e-4.
     */
    static void addOpaqueStack(Scene scene, Camera cam, int first, int layers, double u, double v) {
        Intrinsics k = cam.intrinsics();
        double[] q = facing(cam);
        double[] world = new double[3];
        for (int l = 0; l < layers; l++) {
            int i = first + l;
            double z = 1.2 + 0.3 * l;
            cam.pose().toWorld((u - k.cx()) * z / k.fx(), (v - k.cy()) * z / k.fy(), z, world);
            System.arraycopy(world, 0, scene.positions(), 3 * i, 3);
            System.arraycopy(q, 0, scene.rotations(), 4 * i, 4);
            scene.scales()[2 * i] = 0.07 * z * k.width() / k.fx();
            scene.scales()[2 * i + 1] = 0.09 * z * k.width() / k.fx();
            scene.opacities()[i] = l == 0 ? 0.9999 : 0.95;
        }
    }

    /** A quaternion whose rotation is the camera-to-world rotation: the surfel's normal is the viewing axis. */
    private static double[] facing(Camera cam) {
        double[] r = cam.pose().rotation(); // world-to-camera; we need its transpose
        double m00 = r[0], m01 = r[3], m02 = r[6];
        double m10 = r[1], m11 = r[4], m12 = r[7];
        double m20 = r[2], m21 = r[5], m22 = r[8];
        double w = Math.sqrt(Math.max(0, 1 + m00 + m11 + m22)) / 2;
        return new double[] {w, (m21 - m12) / (4 * w), (m02 - m20) / (4 * w), (m10 - m01) / (4 * w)};
    }

    static double[] gaussian(long seed, int n) {
        Random rnd = new Random(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextGaussian();
        }
        return a;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** ||a - b|| / ||b||, the norm-based relative error of a whole gradient array. */
    static double relError(double[] a, double[] b) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            ref += b[i] * b[i];
        }
        return Math.sqrt(diff / ref);
    }

    static double relError(float[] a, double[] b) {
        return relError(toDouble(a), b);
    }

    static double maxAbs(float[] a, double[] b, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
