package org.diff2dgs.train.internal;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Sequence;

/**
 * Initial surfels from the frames and their depth (reconstruction.md, "Initialization"): back-project the first
 * training frame's tissue pixels, then add pixels of later frames where the first frame saw an instrument; keep a
 * random subset. Scales come from the mean distance to the 3 nearest neighbours. Unlike the public 2DGS code, which
 * starts from random rotations, each surfel starts facing along the depth map's surface normal: the disc then already
 * lies in the tissue surface, which matters when the camera is static and every view sees the surfel at one angle.
 */
final class PointCloudInitializer {

    private static final double SH_C0 = 0.28209479177387814;

    record Points(int count, float[] xyz, float[] rgb, float[] normals) {
    }

    private PointCloudInitializer() {
    }

    static GaussianModel initialize(Sequence seq, int[] trainFrames, int shDegree, double keepFraction,
            double opacity, boolean inpainted, long seed) {
        Points p = backProject(seq, trainFrames, keepFraction, inpainted, seed);
        if (p.count() < 4) {
            throw new UserInputException(seq.source(), "too few valid depth pixels to initialize surfels ("
                    + p.count() + "); is the depth folder empty or all zero?");
        }
        float[] meanDist = meanNeighbourDistance(p.xyz(), p.count(), 3);
        int n = p.count();
        GaussianModel m = GaussianModel.allocate(n, shDegree);
        int k = m.shCoefficients();
        float logit = SurfelParameters.logit(opacity);
        for (int i = 0; i < n; i++) {
            System.arraycopy(p.xyz(), 3 * i, m.positions(), 3 * i, 3);
            for (int c = 0; c < 3; c++) {
                m.sh()[(i * k) * 3 + c] = (float) ((p.rgb()[3 * i + c] - 0.5) / SH_C0);
            }
            float s = (float) Math.log(Math.max(meanDist[i], 1e-7));
            m.logScales()[2 * i] = s;
            m.logScales()[2 * i + 1] = s;
            m.opacityLogits()[i] = logit;
            quaternionFromZ(p.normals()[3 * i], p.normals()[3 * i + 1], p.normals()[3 * i + 2], m.rotations(), 4 * i);
        }
        return m;
    }

    static Points backProject(Sequence seq, int[] trainFrames, double keepFraction, boolean inpainted, long seed) {
        Frame first = seq.frame(trainFrames[0]);
        int w = first.image().width();
        int h = first.image().height();
        boolean[] covered = new boolean[w * h];
        SplittableRandom rnd = new SplittableRandom(seed);
        FloatArrayBuilder xyz = new FloatArrayBuilder();
        FloatArrayBuilder rgb = new FloatArrayBuilder();
        FloatArrayBuilder normals = new FloatArrayBuilder();
        for (int f = 0; f < trainFrames.length; f++) {
            Frame frame = seq.frame(trainFrames[f]);
            if (frame.depth() == null) {
                throw new UserInputException(seq.source(), "frame " + frame.name() + " has no depth; "
                        + "initialization back-projects depth");
            }
            float[] bounds = percentiles(frame.depth().data(), 0.001, 0.999);
            addFrame(frame, bounds, covered, f == 0, inpainted, keepFraction, rnd, xyz, rgb, normals);
            if (allCovered(covered)) {
                break;
            }
        }
        return new Points(xyz.size() / 3, xyz.toArray(), rgb.toArray(), normals.toArray());
    }

    private static void addFrame(Frame frame, float[] bounds, boolean[] covered, boolean first, boolean inpainted,
            double keep, SplittableRandom rnd, FloatArrayBuilder xyz, FloatArrayBuilder rgb,
            FloatArrayBuilder normals) {
        FloatImage depth = frame.depth();
        FloatImage mask = inpainted ? null : frame.instrumentMask();
        int w = depth.width();
        int h = depth.height();
        int plane = w * h;
        Camera cam = frame.camera();
        Intrinsics k = cam.intrinsics();
        double[] world = new double[3];
        double[] normal = new double[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (covered[i]) {
                    continue;
                }
                float z = depth.data()[i];
                boolean tissue = mask == null || mask.data()[i] < 0.5f;
                if (!tissue || z <= 0 || z < bounds[0] || z > bounds[1]) {
                    continue;
                }
                covered[i] = true;
                // one draw per newly covered pixel keeps the subset deterministic for a seed
                if (rnd.nextDouble() >= keep) {
                    continue;
                }
                double cx = (x + 0.5 - k.cx()) / k.fx() * z;
                double cy = (y + 0.5 - k.cy()) / k.fy() * z;
                cam.pose().toWorld(cx, cy, z, world);
                xyz.add((float) world[0], (float) world[1], (float) world[2]);
                FloatImage img = frame.image();
                rgb.add(img.data()[i], img.data()[plane + i], img.data()[2 * plane + i]);
                surfaceNormal(depth, mask, k, x, y, normal);
                // rotate the camera-frame normal into the world: n_w = R^T n_c
                double[] r = cam.pose().rotation();
                normals.add((float) (r[0] * normal[0] + r[3] * normal[1] + r[6] * normal[2]),
                        (float) (r[1] * normal[0] + r[4] * normal[1] + r[7] * normal[2]),
                        (float) (r[2] * normal[0] + r[5] * normal[1] + r[8] * normal[2]));
            }
        }
    }

    /** Camera-frame normal from central differences of back-projected depth, facing the camera (n_z < 0). */
    static void surfaceNormal(FloatImage depth, FloatImage mask, Intrinsics k, int x, int y, double[] n) {
        int w = depth.width();
        int h = depth.height();
        int x0 = Math.max(0, x - 1);
        int x1 = Math.min(w - 1, x + 1);
        int y0 = Math.max(0, y - 1);
        int y1 = Math.min(h - 1, y + 1);
        double[] a = point(depth, k, x0, y);
        double[] b = point(depth, k, x1, y);
        double[] c = point(depth, k, x, y0);
        double[] d = point(depth, k, x, y1);
        if (a == null || b == null || c == null || d == null) {
            n[0] = 0;
            n[1] = 0;
            n[2] = -1;
            return;
        }
        double ux = b[0] - a[0];
        double uy = b[1] - a[1];
        double uz = b[2] - a[2];
        double vx = d[0] - c[0];
        double vy = d[1] - c[1];
        double vz = d[2] - c[2];
        double nx = uy * vz - uz * vy;
        double ny = uz * vx - ux * vz;
        double nz = ux * vy - uy * vx;
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (!(len > 0)) {
            n[0] = 0;
            n[1] = 0;
            n[2] = -1;
            return;
        }
        double sign = nz > 0 ? -1 : 1;
        n[0] = sign * nx / len;
        n[1] = sign * ny / len;
        n[2] = sign * nz / len;
    }

    private static double[] point(FloatImage depth, Intrinsics k, int x, int y) {
        float z = depth.data()[y * depth.width() + x];
        if (z <= 0) {
            return null;
        }
        return new double[] {(x + 0.5 - k.cx()) / k.fx() * z, (y + 0.5 - k.cy()) / k.fy() * z, z};
    }

    /** Quaternion (w, x, y, z) of the shortest rotation taking the local z axis to n. */
    static void quaternionFromZ(float nx, float ny, float nz, float[] q, int off) {
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (!(len > 0)) {
            q[off] = 1;
            return;
        }
        double x = nx / len;
        double y = ny / len;
        double z = nz / len;
        if (z < -0.999999) {
            // opposite of +z: half-turn about x
            q[off] = 0;
            q[off + 1] = 1;
            q[off + 2] = 0;
            q[off + 3] = 0;
            return;
        }
        // q = (1 + z, -y, x, 0) normalized: rotation about (0,0,1) x n
        double w = 1 + z;
        double qx = -y;
        double qy = x;
        double norm = Math.sqrt(w * w + qx * qx + qy * qy);
        q[off] = (float) (w / norm);
        q[off + 1] = (float) (qx / norm);
        q[off + 2] = (float) (qy / norm);
        q[off + 3] = 0;
    }

    /** Mean distance to the k nearest other points, through a uniform grid (O(n) for surface-like clouds). */
    static float[] meanNeighbourDistance(float[] xyz, int n, int k) {
        float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                min[c] = Math.min(min[c], xyz[3 * i + c]);
                max[c] = Math.max(max[c], xyz[3 * i + c]);
            }
        }
        double extent = Math.max(max[0] - min[0], Math.max(max[1] - min[1], max[2] - min[2]));
        // points lie on a surface: about sqrt(n) per side, so aim for a few points per cell
        double cell = Math.max(extent / Math.max(1, Math.sqrt(n) / 2), 1e-9);
        int gx = (int) Math.min(1024, (max[0] - min[0]) / cell + 1);
        int gy = (int) Math.min(1024, (max[1] - min[1]) / cell + 1);
        int gz = (int) Math.min(1024, (max[2] - min[2]) / cell + 1);
        double cx = (max[0] - min[0]) / gx + 1e-12;
        double cy = (max[1] - min[1]) / gy + 1e-12;
        double cz = (max[2] - min[2]) / gz + 1e-12;
        long[] keys = new long[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(cellOf(xyz[3 * i], min[0], cx, gx), cellOf(xyz[3 * i + 1], min[1], cy, gy),
                    cellOf(xyz[3 * i + 2], min[2], cz, gz));
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
        int[] sorted = new int[n];
        long[] sortedKeys = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = order[i];
            sortedKeys[i] = keys[order[i]];
        }
        float[] result = new float[n];
        int[] dims = {gx, gy, gz};
        double[] cellSize = {cx, cy, cz};
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] best = new double[k];
            for (int ring = 1; ring <= 4; ring++) {
                Arrays.fill(best, Double.MAX_VALUE);
                search(xyz, i, min, cellSize, dims, ring, sorted, sortedKeys, best);
                if (best[k - 1] < Double.MAX_VALUE) {
                    break;
                }
            }
            double sum = 0;
            int found = 0;
            for (double d : best) {
                if (d < Double.MAX_VALUE) {
                    sum += Math.sqrt(d);
                    found++;
                }
            }
            result[i] = found == 0 ? (float) cell : (float) (sum / found);
        });
        return result;
    }

    private static void search(float[] xyz, int i, float[] min, double[] cell, int[] dims, int ring, int[] sorted,
            long[] sortedKeys, double[] best) {
        int ix = cellOf(xyz[3 * i], min[0], cell[0], dims[0]);
        int iy = cellOf(xyz[3 * i + 1], min[1], cell[1], dims[1]);
        int iz = cellOf(xyz[3 * i + 2], min[2], cell[2], dims[2]);
        for (int x = Math.max(0, ix - ring); x <= Math.min(dims[0] - 1, ix + ring); x++) {
            for (int y = Math.max(0, iy - ring); y <= Math.min(dims[1] - 1, iy + ring); y++) {
                for (int z = Math.max(0, iz - ring); z <= Math.min(dims[2] - 1, iz + ring); z++) {
                    long key = key(x, y, z);
                    int pos = Arrays.binarySearch(sortedKeys, key);
                    if (pos < 0) {
                        continue;
                    }
                    while (pos > 0 && sortedKeys[pos - 1] == key) {
                        pos--;
                    }
                    for (; pos < sortedKeys.length && sortedKeys[pos] == key; pos++) {
                        int j = sorted[pos];
                        if (j == i) {
                            continue;
                        }
                        double dx = xyz[3 * j] - xyz[3 * i];
                        double dy = xyz[3 * j + 1] - xyz[3 * i + 1];
                        double dz = xyz[3 * j + 2] - xyz[3 * i + 2];
                        insert(best, dx * dx + dy * dy + dz * dz);
                    }
                }
            }
        }
    }

    private static void insert(double[] best, double d) {
        int k = best.length;
        if (d >= best[k - 1]) {
            return;
        }
        int p = k - 1;
        while (p > 0 && best[p - 1] > d) {
            best[p] = best[p - 1];
            p--;
        }
        best[p] = d;
    }

    private static int cellOf(float v, float min, double cell, int dim) {
        return Math.min(dim - 1, Math.max(0, (int) ((v - min) / cell)));
    }

    private static long key(int x, int y, int z) {
        return ((long) x << 40) | ((long) y << 20) | z;
    }

    private static boolean allCovered(boolean[] covered) {
        for (boolean c : covered) {
            if (!c) {
                return false;
            }
        }
        return true;
    }

    /** Lower and upper percentile of the positive values (0 when there are none). */
    static float[] percentiles(float[] values, double lo, double hi) {
        float[] v = new float[values.length];
        int m = 0;
        for (float x : values) {
            if (x > 0 && Float.isFinite(x)) {
                v[m++] = x;
            }
        }
        if (m == 0) {
            return new float[] {0, 0};
        }
        Arrays.sort(v, 0, m);
        return new float[] {v[(int) Math.floor(lo * (m - 1))], v[(int) Math.ceil(hi * (m - 1))]};
    }

    /** Growable float array without boxing. */
    static final class FloatArrayBuilder {
        private float[] data = new float[1024];
        private int size;

        void add(float a, float b, float c) {
            if (size + 3 > data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = a;
            data[size++] = b;
            data[size++] = c;
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
