package org.diff2dgs.train.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.TrainOptions;

/**
 * Initial surfels from the frames and their depth, as the published Diff2DGS loader builds them (endo_loader.py
 * get_sparse_pts and search_pts_colors_with_motion; docs/reconstruction.md cites the lines): all tissue pixels of the
 * first training frame whose depth lies inside that frame's 0.1-99.9 percentiles, then, frame by frame, the tissue
 * pixels of later frames (depth inside their 3-99.8 percentiles) that fall where the first frame saw no tissue or
 * moved, 10 % of them per frame (with replacement) when there are more than 50; of the whole cloud 10 % are kept.
 * Scales are the log of the RMS distance to the 3 nearest neighbours (simple-knn's distCUDA2), opacity 0.1, colours
 * as SH DC. Rotations are random quaternions as published, or (option initRotation = depth-normal) facing along the
 * depth map's surface normal, which matters when the camera is static and every view sees a surfel at one angle.
 * Unlike the published loader only training frames are read (it also reads the test frames).
 */
public final class PointCloudInitializer {

    private static final double SH_C0 = 0.28209479177387814;
    /** Published: a later frame contributes only when more than this many pixels are new. */
    private static final int MIN_NEW_PIXELS = 50;
    /** Published: clouds above 600,000 points are resampled to 500,000 before the final subsample. */
    private static final int CAP_TRIGGER = 600_000;
    private static final int CAP_SIZE = 500_000;

    /** Points as (frame, pixel) pairs: where each was seen. */
    record Points(int count, int[] frame, int[] pixel) {
    }

    private PointCloudInitializer() {
    }

    public static GaussianModel initialize(Sequence seq, int[] trainFrames, TrainOptions o, long seed) {
        return initialize(seq, trainFrames, o, seed, new LinkedHashMap<>());
    }

    /**
     * As {@link #initialize(Sequence, int[], TrainOptions, long)}, adding the wall time of its phases to
     * {@code phases} (seconds): "motionMask", "firstFrame" (its valid pixels), "laterFrames" (back-projecting the
     * later frames and choosing their new points), "neighbours" (the 3 nearest neighbours' distances), "surfels" (the
     * rest: the cloud and the surfel tensors). Where a run's initialization goes is otherwise one number.
     */
    public static GaussianModel initialize(Sequence seq, int[] trainFrames, TrainOptions o, long seed,
            Map<String, Double> phases) {
        long t0 = System.nanoTime();
        Points p = backProject(seq, trainFrames, o.initSubsample(), o.initLaterSubsample(), seed, phases);
        if (p.count() < 4) {
            throw new UserInputException(seq.source(), "too few valid depth pixels to initialize surfels ("
                    + p.count() + "); is the depth folder empty or all zero?");
        }
        int n = p.count();
        float[] xyz = new float[3 * n];
        double[] world = new double[3];
        for (int i = 0; i < n; i++) {
            Frame f = seq.frame(p.frame()[i]);
            worldPoint(f, p.pixel()[i], world);
            for (int c = 0; c < 3; c++) {
                xyz[3 * i + c] = (float) world[c];
            }
        }
        long neighbours = System.nanoTime();
        float[] rmsDist = rmsNeighbourDistance(xyz, n, 3);
        phases.put("neighbours", seconds(neighbours));
        GaussianModel m = GaussianModel.allocate(n, o.shDegree());
        int k = m.shCoefficients();
        float logit = SurfelParameters.logit(o.initOpacity());
        boolean random = o.initRotation().equals("random");
        SplittableRandom rotations = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        double[] normal = new double[3];
        for (int i = 0; i < n; i++) {
            Frame f = seq.frame(p.frame()[i]);
            int px = p.pixel()[i];
            int plane = f.image().pixels();
            System.arraycopy(xyz, 3 * i, m.positions(), 3 * i, 3);
            for (int c = 0; c < 3; c++) {
                m.sh()[(i * k) * 3 + c] = (float) ((f.image().data()[c * plane + px] - 0.5) / SH_C0);
            }
            // distCUDA2 clamps the mean squared distance at 1e-7 before the square root
            float s = (float) Math.log(Math.sqrt(Math.max(rmsDist[i] * (double) rmsDist[i], 1e-7)));
            m.logScales()[2 * i] = s;
            m.logScales()[2 * i + 1] = s;
            m.opacityLogits()[i] = logit;
            if (random) {
                // torch.rand: each component uniform in [0, 1); the renderer normalizes
                for (int c = 0; c < 4; c++) {
                    m.rotations()[4 * i + c] = (float) rotations.nextDouble();
                }
            } else {
                int w = f.depth().width();
                surfaceNormal(f.depth(), null, f.camera().intrinsics(), px % w, px / w, normal);
                // rotate the camera-frame normal into the world: n_w = R^T n_c
                double[] r = f.camera().pose().rotation();
                quaternionFromZ((float) (r[0] * normal[0] + r[3] * normal[1] + r[6] * normal[2]),
                        (float) (r[1] * normal[0] + r[4] * normal[1] + r[7] * normal[2]),
                        (float) (r[2] * normal[0] + r[5] * normal[1] + r[8] * normal[2]), m.rotations(), 4 * i);
            }
        }
        double others = 0;
        for (String phase : new String[] {"firstFrame", "motionMask", "laterFrames", "neighbours"}) {
            others += phases.getOrDefault(phase, 0.0);
        }
        phases.put("surfels", Math.max(0, seconds(t0) - others));
        return m;
    }

    private static void worldPoint(Frame f, int pixel, double[] world) {
        int w = f.depth().width();
        Intrinsics k = f.camera().intrinsics();
        float z = f.depth().data()[pixel];
        double cx = (pixel % w + 0.5 - k.cx()) / k.fx() * z;
        double cy = (pixel / w + 0.5 - k.cy()) / k.fy() * z;
        f.camera().pose().toWorld(cx, cy, z, world);
    }

    static Points backProject(Sequence seq, int[] trainFrames, double keepFraction, double laterFraction, long seed) {
        return backProject(seq, trainFrames, keepFraction, laterFraction, seed, new LinkedHashMap<>());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static Points backProject(Sequence seq, int[] trainFrames, double keepFraction, double laterFraction, long seed,
            Map<String, Double> phases) {
        long t0 = System.nanoTime();
        Frame first = seq.frame(trainFrames[0]);
        int w = first.image().width();
        int h = first.image().height();
        int plane = w * h;
        SplittableRandom rnd = new SplittableRandom(seed);
        IntList frames = new IntList();
        IntList pixels = new IntList();
        boolean[] reference = valid(seq, first, 0.001, 0.999);
        for (int i = 0; i < plane; i++) {
            if (reference[i]) {
                frames.add(first.index());
                pixels.add(i);
            }
        }
        phases.put("firstFrame", seconds(t0));
        long motion = System.nanoTime();
        boolean[] moving = motionMask(seq, trainFrames);
        phases.put("motionMask", seconds(motion));
        long laterStart = System.nanoTime();
        // published: every second frame of clips longer than 150 frames
        int step = trainFrames.length > 150 ? 2 : 1;
        int[] later = IntStream.iterate(1, f -> f < trainFrames.length, f -> f + step).toArray();
        Camera refCam = first.camera();
        // what a frame sees depends on that frame alone, so frames are projected in parallel, a block at a time (the
        // masks of a whole long clip would not all fit); what they add depends on the frames before them and on the
        // random stream, so that part runs in frame order
        int block = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        for (int start = 0; start < later.length; start += block) {
            int end = Math.min(later.length, start + block);
            int from = start;
            Seen[] seen = IntStream.range(start, end).parallel()
                    .mapToObj(j -> seen(seq, seq.frame(trainFrames[later[j]]), refCam, w, h))
                    .toArray(Seen[]::new);
            for (int j = from; j < end; j++) {
                Frame frame = seq.frame(trainFrames[later[j]]);
                boolean[] mask = seen[j - from].valid();
                boolean[] projected = seen[j - from].projected();
                seen[j - from] = null;
                // complement: projected where the reference saw no tissue or moved; as published, a point of frame
                // f counts when its own pixel is in the complement
                boolean[] complement = projected;
                IntList candidates = new IntList();
                for (int i = 0; i < plane; i++) {
                    boolean c = (!reference[i] || moving[i]) && projected[i];
                    complement[i] = c;
                    if (c && mask[i]) {
                        candidates.add(i);
                    }
                }
                if (candidates.size() <= MIN_NEW_PIXELS) {
                    continue;
                }
                int take = (int) (laterFraction * candidates.size());
                for (int t = 0; t < take; t++) {
                    frames.add(frame.index());
                    pixels.add(candidates.get(rnd.nextInt(candidates.size())));
                }
                for (int i = 0; i < plane; i++) {
                    reference[i] |= complement[i];
                }
            }
        }
        phases.put("laterFrames", seconds(laterStart));
        int[] fr = frames.toArray();
        int[] px = pixels.toArray();
        if (fr.length > CAP_TRIGGER) {
            int[] pick = new int[CAP_SIZE];
            for (int i = 0; i < CAP_SIZE; i++) {
                pick[i] = rnd.nextInt(fr.length);
            }
            fr = gather(fr, pick);
            px = gather(px, pick);
        }
        // final subsample without replacement: a seeded partial Fisher-Yates shuffle
        int keep = (int) (keepFraction * fr.length);
        int[] order = new int[fr.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = 0; i < keep; i++) {
            int j = i + rnd.nextInt(order.length - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[] chosen = Arrays.copyOf(order, keep);
        return new Points(keep, gather(fr, chosen), gather(px, chosen));
    }

    /** A later frame's valid tissue pixels, and the pixels of the reference view they project to. */
    private record Seen(boolean[] valid, boolean[] projected) {
    }

    private static Seen seen(Sequence seq, Frame frame, Camera refCam, int w, int h) {
        boolean[] mask = valid(seq, frame, 0.03, 0.998);
        boolean[] projected = new boolean[w * h];
        double[] cam = new double[3];
        double[] world = new double[3];
        Intrinsics k = refCam.intrinsics();
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i]) {
                continue;
            }
            worldPoint(frame, i, world);
            refCam.pose().toCamera(world[0], world[1], world[2], cam);
            if (!(cam[2] > 0)) {
                continue;
            }
            int u = (int) Math.floor(k.fx() * cam[0] / cam[2] + k.cx());
            int v = (int) Math.floor(k.fy() * cam[1] / cam[2] + k.cy());
            if (u >= 0 && u < w && v >= 0 && v < h) {
                projected[v * w + u] = true;
            }
        }
        return new Seen(mask, projected);
    }

    /** Tissue pixels with depth inside the frame's [lo, hi] percentiles of its positive depth. */
    private static boolean[] valid(Sequence seq, Frame frame, double lo, double hi) {
        if (frame.depth() == null) {
            throw new UserInputException(seq.source(), "frame " + frame.name() + " has no depth; "
                    + "initialization back-projects depth");
        }
        float[] depth = frame.depth().data();
        float[] bounds = percentiles(depth, lo, hi);
        FloatImage mask = frame.instrumentMask();
        boolean[] ok = new boolean[depth.length];
        for (int i = 0; i < depth.length; i++) {
            float z = depth[i];
            boolean tissue = mask == null || mask.data()[i] < 0.5f;
            ok[i] = tissue && z > 0 && z >= bounds[0] && z <= bounds[1];
        }
        return ok;
    }

    /**
     * Pixels of the first training frame that move: the grey value (mean of RGB) differs from its mean over the
     * training frames by more than the 95th percentile of all non-zero differences (published
     * calculate_motion_masks, over training frames only).
     */
    static boolean[] motionMask(Sequence seq, int[] trainFrames) {
        int plane = seq.frame(trainFrames[0]).image().pixels();
        float[][] images = new float[trainFrames.length][];
        for (int f = 0; f < images.length; f++) {
            images[f] = seq.frame(trainFrames[f]).image().data();
        }
        double[] mean = new double[plane];
        // each pixel's sum runs over the frames in order, as a frame-by-frame loop adds; blocks of pixels in parallel
        int blocks = (plane + 4095) / 4096;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * 4096;
            int to = Math.min(plane, from + 4096);
            for (float[] img : images) {
                for (int i = from; i < to; i++) {
                    mean[i] += (img[i] + img[plane + i] + img[2 * plane + i]) / 3.0;
                }
            }
            for (int i = from; i < to; i++) {
                mean[i] /= images.length;
            }
        });
        // the non-zero differences, frame by frame, counted rather than stored and sorted
        FloatOrder diffs = FloatOrder.of(new FloatOrder.Parts() {
            @Override
            public int count() {
                return images.length;
            }

            @Override
            public int capacity() {
                return plane;
            }

            @Override
            public int fill(int f, float[] into) {
                float[] img = images[f];
                int m = 0;
                for (int i = 0; i < plane; i++) {
                    float d = (float) Math.abs((img[i] + img[plane + i] + img[2 * plane + i]) / 3.0 - mean[i]);
                    if (d != 0) {
                        into[m++] = d;
                    }
                }
                return m;
            }
        });
        boolean[] moving = new boolean[plane];
        long m = diffs.count();
        if (m == 0) {
            return moving;
        }
        double threshold = linearPercentile(diffs, 0.95);
        float[] first = images[0];
        for (int i = 0; i < plane; i++) {
            moving[i] = Math.abs((first[i] + first[plane + i] + first[2 * plane + i]) / 3.0 - mean[i]) > threshold;
        }
        return moving;
    }

    /** NumPy's default (linear) percentile of the counted values, q in [0, 1]. */
    static double linearPercentile(FloatOrder values, double q) {
        long m = values.count();
        double rank = q * (m - 1);
        long below = (long) Math.floor(rank);
        long above = Math.min(m - 1, below + 1);
        float[] v = values.at(below, above);
        return v[0] + (rank - below) * (v[1] - v[0]);
    }

    /** NumPy's default (linear) percentile of the first m sorted values, q in [0, 1]. */
    static double linearPercentile(float[] sorted, int m, double q) {
        double rank = q * (m - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(m - 1, below + 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    private static int[] gather(int[] values, int[] index) {
        int[] out = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = values[index[i]];
        }
        return out;
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

    /**
     * Root-mean-square distance to the k nearest other points (distCUDA2 averages the squared distances), through a
     * uniform grid (O(n) for surface-like clouds).
     */
    static float[] rmsNeighbourDistance(float[] xyz, int n, int k) {
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
                    sum += d;
                    found++;
                }
            }
            result[i] = found == 0 ? (float) cell : (float) Math.sqrt(sum / found);
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

    /** Lower and upper percentile of the positive values (0 when there are none). */
    public static float[] percentiles(float[] values, double lo, double hi) {
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
        // two order statistics: counted, not sorted
        return FloatOrder.of(v, m).at((long) Math.floor(lo * (m - 1)), (long) Math.ceil(hi * (m - 1)));
    }

    /** Growable int array without boxing. */
    static final class IntList {
        private int[] data = new int[1024];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        int get(int i) {
            return data[i];
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
