package org.diff2dgs.cuda.internal.raster;

import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;

/**
 * Random surfels on a tissue-like surface in front of the camera, for the rasterizer benchmark and parity checks:
 * a gently folded height field (depth about 1 with folds of a few percent, like an endoscopic view of tissue) filled
 * densely enough that surfels overlap a few times per pixel. Surfels lie roughly in the surface (normal along the
 * surface normal with a random tilt), carry non-unit quaternions (the rasterizer normalizes them), opacities from
 * almost transparent to nearly opaque and colours already evaluated (as SH colours are before rasterization). A few
 * surfels sit before the near plane or behind the camera so culling is exercised. Deterministic for a seed.
 */
public final class TissueScene {

    /** Mean depth of the surface. */
    public static final double DEPTH = 1.0;
    /** The surface's extent over the front camera's view at DEPTH for random cameras (they look aside a bit). */
    public static final double RANDOM_VIEW_MARGIN = 1.2;

    private TissueScene() {
    }

    /** The benchmark camera: identity pose, focal length 0.8 W, principal point at the image centre. */
    public static Camera frontCamera(int width, int height) {
        return new Camera(new Intrinsics(0.8 * width, 0.8 * width, 0.5 * width, 0.5 * height, width, height),
                Pose.identity(), 0.03, 250);
    }

    /**
     * A random camera looking at the surface: rotated up to 0.1 rad about each axis, shifted by up to 5% of
     * the depth, unequal focal lengths and an off-centre principal point.
     */
    public static Camera randomCamera(int width, int height, SplittableRandom random) {
        double ax = (random.nextDouble() - 0.5) * 0.2;
        double ay = (random.nextDouble() - 0.5) * 0.2;
        double az = (random.nextDouble() - 0.5) * 0.2;
        double[] r = matMul(rotationX(ax), matMul(rotationY(ay), rotationZ(az)));
        double[] t = {(random.nextDouble() - 0.5) * 0.1, (random.nextDouble() - 0.5) * 0.1,
            (random.nextDouble() - 0.5) * 0.1};
        double f = (0.7 + 0.3 * random.nextDouble()) * width;
        double fy = f * (0.95 + 0.1 * random.nextDouble());
        double cx = width * (0.45 + 0.1 * random.nextDouble());
        double cy = height * (0.45 + 0.1 * random.nextDouble());
        return new Camera(new Intrinsics(f, fy, cx, cy, width, height), new Pose(r, t), 0.03, 250);
    }

    /** The render settings of the benchmark and checks: a non-black background, near 0.03, far 250. */
    public static RenderSettings settings() {
        return new RenderSettings(new float[] {0.1f, 0.2f, 0.3f}, 0.03, 250);
    }

    /**
     * {@code n} surfels covering the view of a camera with focal length about 0.8 W of a W x H image (the extent is
     * that view's plus a 20% margin, so some surfels fall outside and a random camera still sees the surface).
     */
    public static SurfelBatch surfels(int n, int width, int height, SplittableRandom random) {
        return surfels(n, width, height, RANDOM_VIEW_MARGIN, random);
    }

    /**
     * {@code n} surfels on the part of the surface that the front camera sees at DEPTH, widened by {@code margin}
     * (1: just the front view, as in the benchmark, where nearly every surfel is in view).
     */
    public static SurfelBatch surfels(int n, int width, int height, double margin, SplittableRandom random) {
        SurfelBatch b = SurfelBatch.allocate(n);
        double halfW = margin * 0.5 * width / (0.8 * width) * DEPTH;
        double halfH = margin * 0.5 * height / (0.8 * width) * DEPTH;
        // Surfels of about the spacing of a uniform cover, so that each pixel sees a few of them.
        double spacing = Math.sqrt(4 * halfW * halfH / Math.max(1, n));
        float[] p = b.positions();
        float[] q = b.rotations();
        float[] s = b.scales();
        float[] o = b.opacities();
        float[] c = b.colors();
        for (int i = 0; i < n; i++) {
            double x = (2 * random.nextDouble() - 1) * halfW;
            double y = (2 * random.nextDouble() - 1) * halfH;
            double z = surface(x, y);
            // Normal of z = f(x, y): (-f_x, -f_y, 1), facing the camera up to the sign.
            double h = 1e-4;
            double fx = (surface(x + h, y) - surface(x - h, y)) / (2 * h);
            double fy = (surface(x, y + h) - surface(x, y - h)) / (2 * h);
            double[] normal = normalize(new double[] {-fx, -fy, -1});
            if (i % 97 == 13) {
                z = 0.01 + 0.015 * random.nextDouble();  // before the near plane: culled
            } else if (i % 89 == 7) {
                z = -0.5;  // behind the camera
            }
            p[3 * i] = (float) x;
            p[3 * i + 1] = (float) y;
            p[3 * i + 2] = (float) z;
            double[] quat = align(normal);
            quat = multiply(quat, axisAngle(0, 0, 1, 2 * Math.PI * random.nextDouble()));
            quat = multiply(quat, axisAngle(random.nextDouble() - 0.5, random.nextDouble() - 0.5, 0,
                    0.6 * random.nextDouble()));
            double norm = 0.5 + 1.5 * random.nextDouble();
            for (int k = 0; k < 4; k++) {
                q[4 * i + k] = (float) (quat[k] * norm);
            }
            s[2 * i] = (float) (spacing * (0.5 + 1.5 * random.nextDouble()));
            s[2 * i + 1] = (float) (spacing * (0.5 + 1.5 * random.nextDouble()));
            o[i] = (float) (0.02 + 0.97 * random.nextDouble());
            for (int k = 0; k < 3; k++) {
                c[3 * i + k] = (float) (random.nextDouble() * 1.1 - 0.05);
            }
        }
        return b;
    }

    /** Upstream gradients in [-1, 1] for {@code planes} image planes of W x H. */
    public static float[] upstream(int planes, int width, int height, SplittableRandom random) {
        float[] g = new float[planes * width * height];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (2 * random.nextDouble() - 1);
        }
        return g;
    }

    static double surface(double x, double y) {
        return DEPTH + 0.04 * Math.sin(7 * x + 1) * Math.cos(5 * y) + 0.02 * Math.sin(13 * x * y + 3 * y);
    }

    /** Unit quaternion (w, x, y, z) that turns the z axis into {@code n} (unit). */
    static double[] align(double[] n) {
        double w = 1 + n[2];
        if (w < 1e-9) {
            return new double[] {0, 1, 0, 0};
        }
        double[] q = {w, -n[1], n[0], 0};
        double len = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
        return new double[] {q[0] / len, q[1] / len, q[2] / len, q[3] / len};
    }

    static double[] axisAngle(double x, double y, double z, double angle) {
        double len = Math.sqrt(x * x + y * y + z * z);
        if (len == 0) {
            return new double[] {1, 0, 0, 0};
        }
        double s = Math.sin(angle / 2) / len;
        return new double[] {Math.cos(angle / 2), x * s, y * s, z * s};
    }

    /** Hamilton product a * b of quaternions (w, x, y, z). */
    static double[] multiply(double[] a, double[] b) {
        return new double[] {a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
            a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
            a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
            a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]};
    }

    /** Product of 3x3 row-major matrices. */
    static double[] matMul(double[] a, double[] b) {
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    m[3 * i + j] += a[3 * i + k] * b[3 * k + j];
                }
            }
        }
        return m;
    }

    private static double[] normalize(double[] v) {
        double len = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / len, v[1] / len, v[2] / len};
    }

    private static double[] rotationX(double a) {
        return new double[] {1, 0, 0, 0, Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a)};
    }

    private static double[] rotationY(double a) {
        return new double[] {Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)};
    }

    private static double[] rotationZ(double a) {
        return new double[] {Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1};
    }
}
