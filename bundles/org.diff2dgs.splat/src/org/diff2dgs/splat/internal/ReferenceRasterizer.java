package org.diff2dgs.splat.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;

/**
 * The 2DGS rasterizer in double precision, single-threaded and written for clarity: the reference the fast path and
 * the finite-difference tests are checked against. Same algorithm and decisions as {@link CpuRasterizer} (same tile
 * rectangles, depth order, cut-offs), but the ray-splat intersection is formed per pixel as the cross product of the
 * two homogeneous planes k and l (2DGS Eq. 8-10) rather than through the precomputed adjugate.
 *
 * <p>
 * {@link Mode#ORIGINAL_CUDA} reproduces the three places where the public CUDA backward deviates from the true
 * derivative (see docs/rasterizer.md); it exists only so the golden file can be matched term by term.
 */
public final class ReferenceRasterizer implements Rasterizer {

    public enum Mode {
        /** The true derivative of the forward pass (what finite differences measure). */
        EXACT,
        /**
         * The original CUDA backward: no quaternion normalization Jacobian, the low-pass branch treats the intersection
         * depth's dependence on (u, v) as constant, gradients pass through the 0.99 alpha clamp.
         */
        ORIGINAL_CUDA
    }

    /** Surfels in double precision, same layout as {@link SurfelBatch}. */
    public record Scene(int count, double[] positions, double[] rotations, double[] scales, double[] opacities,
            double[] colors) {

        public static Scene of(SurfelBatch b) {
            int n = b.count();
            return new Scene(n, toDouble(b.positions(), 3 * n), toDouble(b.rotations(), 4 * n),
                    toDouble(b.scales(), 2 * n), toDouble(b.opacities(), n), toDouble(b.colors(), 3 * n));
        }

        public Scene copy() {
            return new Scene(count, positions.clone(), rotations.clone(), scales.clone(), opacities.clone(),
                    colors.clone());
        }

        public SurfelBatch toBatch() {
            return new SurfelBatch(count, toFloat(positions), toFloat(rotations), toFloat(scales), toFloat(opacities),
                    toFloat(colors));
        }
    }

    /**
     * Forward outputs; {@code decisions} hashes every discrete choice (visibility, tile rectangles, depth order, which
     * surfels contribute to which pixel, low-pass branch, alpha clamp, median, early stop): equal hashes mean a
     * perturbation stayed inside one smooth piece, which is what finite differences need. The counts say which
     * branches the scene exercises: pixel-surfel contributions in all, through the low-pass branch, at the alpha
     * clamp, and pixels that stopped early because T would fall below 1e-4.
     */
    public record Image(int width, int height, double[] color, double[] others, int[] radii, long decisions,
            int contributions, int lowPassContributions, int clampedContributions, int terminatedPixels) {
    }

    public record Gradients(double[] positions, double[] rotations, double[] scales, double[] opacities,
            double[] colors, double[] screen) {
    }

    /** One visible surfel after projection. */
    private static final class Splat {
        int id;
        final SurfelGeometry geom = new SurfelGeometry();
        final int[] rect = new int[4];
        double opacity;
    }

    /** One pixel's contributors in blending order, for the backward pass. */
    private static final class PixelTrace {
        final List<Splat> splats = new ArrayList<>();
        final List<double[]> values = new ArrayList<>();
        double finalT;
        double m1;
        double m2;
        int median = -1;
        int lowPass;
        int clamped;
        boolean terminated;
    }

    // values[] layout per contributor
    private static final int V_SX = 0;
    private static final int V_SY = 1;
    private static final int V_PZ = 2;
    private static final int V_LOWPASS = 3;
    private static final int V_G = 4;
    private static final int V_ALPHA = 5;
    private static final int V_DEPTH = 6;
    private static final int V_T = 7;
    private static final int V_CLAMPED = 8;
    private static final int V_K = 9; // 3 values
    private static final int V_L = 12; // 3 values
    private static final int V_SIZE = 15;

    public static Image render(Scene scene, Camera camera, RenderSettings settings) {
        CameraModel cam = new CameraModel(camera);
        int[] radii = new int[scene.count()];
        long[] hash = {17};
        List<Splat> splats = project(scene, cam, settings, radii, hash);
        int hw = cam.pixels();
        double[] color = new double[3 * hw];
        double[] others = new double[RenderOutput.AUX_CHANNELS * hw];
        int[] counts = new int[4];
        for (int py = 0; py < cam.height; py++) {
            for (int px = 0; px < cam.width; px++) {
                int pix = py * cam.width + px;
                PixelTrace tr = trace(splats, scene, cam, settings, px, py, hash);
                counts[0] += tr.splats.size();
                counts[1] += tr.lowPass;
                counts[2] += tr.clamped;
                counts[3] += tr.terminated ? 1 : 0;
                double[] c = new double[3];
                double depth = 0;
                double[] n = new double[3];
                double dist = 0;
                double median = 0;
                double aAcc = 0;
                double m1 = 0;
                double m2 = 0;
                for (int k = 0; k < tr.splats.size(); k++) {
                    Splat s = tr.splats.get(k);
                    double[] v = tr.values.get(k);
                    double w = v[V_ALPHA] * v[V_T];
                    double z = v[V_DEPTH];
                    double m = mappedDepth(z, settings);
                    // Distortion (2DGS Sec. 4.1, appendix): sum_i w_i sum_{j<i} w_j (m_i - m_j)^2, accumulated
                    // with the running sums A, M1, M2 of the earlier contributors.
                    dist += (m * m * aAcc + m2 - 2 * m * m1) * w;
                    aAcc += w;
                    m1 += m * w;
                    m2 += m * m * w;
                    depth += z * w;
                    if (k == tr.median) {
                        median = z;
                    }
                    for (int ch = 0; ch < 3; ch++) {
                        c[ch] += scene.colors()[3 * s.id + ch] * w;
                    }
                    n[0] += s.geom.nx * w;
                    n[1] += s.geom.ny * w;
                    n[2] += s.geom.nz * w;
                }
                for (int ch = 0; ch < 3; ch++) {
                    color[ch * hw + pix] = c[ch] + tr.finalT * settings.background()[ch];
                }
                others[RenderOutput.AUX_DEPTH * hw + pix] = depth;
                others[RenderOutput.AUX_ALPHA * hw + pix] = 1 - tr.finalT;
                for (int ch = 0; ch < 3; ch++) {
                    others[(RenderOutput.AUX_NORMAL + ch) * hw + pix] = n[ch];
                }
                others[RenderOutput.AUX_MEDIAN_DEPTH * hw + pix] = median;
                others[RenderOutput.AUX_DISTORTION * hw + pix] = dist;
            }
        }
        return new Image(cam.width, cam.height, color, others, radii, hash[0], counts[0], counts[1], counts[2],
                counts[3]);
    }

    /** L = sum(color * dColor) + sum(others * dOthers), the scalar whose gradient {@link #gradients} returns. */
    public static double loss(Image image, double[] dColor, double[] dOthers) {
        double l = 0;
        for (int i = 0; i < dColor.length; i++) {
            l += image.color()[i] * dColor[i];
        }
        if (dOthers != null) {
            for (int i = 0; i < dOthers.length; i++) {
                l += image.others()[i] * dOthers[i];
            }
        }
        return l;
    }

    public static Gradients gradients(Scene scene, Camera camera, RenderSettings settings, double[] dColor,
            double[] dOthers, Mode mode) {
        CameraModel cam = new CameraModel(camera);
        int n = scene.count();
        int hw = cam.pixels();
        checkUpstream(dColor == null ? -1 : dColor.length, dOthers == null ? -1 : dOthers.length, hw);
        List<Splat> splats = project(scene, cam, settings, new int[n], new long[1]);
        double[][] gH = new double[n][9];
        double[][] gCentre = new double[n][2];
        double[][] gNormal = new double[n][3];
        double[] gOpacity = new double[n];
        double[] gColor = new double[3 * n];
        double[] bg = {settings.background()[0], settings.background()[1], settings.background()[2]};
        for (int py = 0; py < cam.height; py++) {
            for (int px = 0; px < cam.width; px++) {
                int pix = py * cam.width + px;
                double x = px + 0.5;
                double y = py + 0.5;
                PixelTrace tr = trace(splats, scene, cam, settings, px, py, new long[1]);
                double[] gc = {dColor[pix], dColor[hw + pix], dColor[2 * hw + pix]};
                double gD = aux(dOthers, RenderOutput.AUX_DEPTH, hw, pix);
                double gA = aux(dOthers, RenderOutput.AUX_ALPHA, hw, pix);
                double[] gN = {aux(dOthers, RenderOutput.AUX_NORMAL, hw, pix),
                        aux(dOthers, RenderOutput.AUX_NORMAL + 1, hw, pix),
                        aux(dOthers, RenderOutput.AUX_NORMAL + 2, hw, pix)};
                double gMed = aux(dOthers, RenderOutput.AUX_MEDIAN_DEPTH, hw, pix);
                double gDist = aux(dOthers, RenderOutput.AUX_DISTORTION, hw, pix);
                double aTot = 1 - tr.finalT;
                // rest = (what the contributors behind k and the background add) / T_{k+1}, back to front.
                double rest = gc[0] * bg[0] + gc[1] * bg[1] + gc[2] * bg[2];
                for (int k = tr.splats.size() - 1; k >= 0; k--) {
                    Splat s = tr.splats.get(k);
                    double[] v = tr.values.get(k);
                    int id = s.id;
                    SurfelGeometry g = s.geom;
                    double alpha = v[V_ALPHA];
                    double tk = v[V_T];
                    double w = alpha * tk;
                    double z = v[V_DEPTH];
                    double m = mappedDepth(z, settings);
                    double f = gc[0] * scene.colors()[3 * id] + gc[1] * scene.colors()[3 * id + 1]
                            + gc[2] * scene.colors()[3 * id + 2] + gD * z + gA + gN[0] * g.nx + gN[1] * g.ny
                            + gN[2] * g.nz + gDist * (m * m * aTot + tr.m2 - 2 * m * tr.m1);
                    double dAlpha = tk * (f - rest);
                    rest = alpha * f + (1 - alpha) * rest;
                    double dz = gD * w + gDist * 2 * w * (m * aTot - tr.m1) * mappedDepthSlope(z, settings);
                    if (k == tr.median) {
                        dz += gMed;
                    }
                    for (int ch = 0; ch < 3; ch++) {
                        gColor[3 * id + ch] += w * gc[ch];
                        gNormal[id][ch] += w * gN[ch];
                    }
                    boolean clamped = v[V_CLAMPED] != 0;
                    double gGauss = 0;
                    if (!clamped || mode == Mode.ORIGINAL_CUDA) {
                        gGauss = s.opacity * dAlpha;
                        gOpacity[id] += v[V_G] * dAlpha;
                    }
                    double gRho = -0.5 * v[V_G] * gGauss;
                    double sx = v[V_SX];
                    double sy = v[V_SY];
                    boolean lowpass = v[V_LOWPASS] != 0;
                    double gsx = 0;
                    double gsy = 0;
                    if (lowpass) {
                        gCentre[id][0] += gRho * 2 * SplatConstants.FILTER_INV_SQUARE * (g.centreX - x);
                        gCentre[id][1] += gRho * 2 * SplatConstants.FILTER_INV_SQUARE * (g.centreY - y);
                    } else {
                        gsx = 2 * sx * gRho;
                        gsy = 2 * sy * gRho;
                    }
                    double[] h = g.h;
                    if (!lowpass || mode == Mode.EXACT) {
                        gsx += dz * h[6];
                        gsy += dz * h[7];
                    }
                    // depth = Tw . (u, v, 1)
                    gH[id][6] += dz * sx;
                    gH[id][7] += dz * sy;
                    gH[id][8] += dz;
                    // (u, v) = (p_x, p_y) / p_z, p = k x l, k = x Tw - Tu, l = y Tw - Tv.
                    double pz = v[V_PZ];
                    double gpx = gsx / pz;
                    double gpy = gsy / pz;
                    double gpz = -(gsx * sx + gsy * sy) / pz;
                    double kx = v[V_K];
                    double ky = v[V_K + 1];
                    double kz = v[V_K + 2];
                    double lx = v[V_L];
                    double ly = v[V_L + 1];
                    double lz = v[V_L + 2];
                    // dL/dk = l x gp, dL/dl = gp x k
                    double dkx = ly * gpz - lz * gpy;
                    double dky = lz * gpx - lx * gpz;
                    double dkz = lx * gpy - ly * gpx;
                    double dlx = gpy * kz - gpz * ky;
                    double dly = gpz * kx - gpx * kz;
                    double dlz = gpx * ky - gpy * kx;
                    gH[id][0] -= dkx;
                    gH[id][1] -= dky;
                    gH[id][2] -= dkz;
                    gH[id][3] -= dlx;
                    gH[id][4] -= dly;
                    gH[id][5] -= dlz;
                    gH[id][6] += x * dkx + y * dlx;
                    gH[id][7] += x * dky + y * dly;
                    gH[id][8] += x * dkz + y * dlz;
                }
            }
        }
        Gradients out = new Gradients(new double[3 * n], new double[4 * n], new double[2 * n], gOpacity, gColor,
                new double[n]);
        for (Splat s : splats) {
            int id = s.id;
            SurfelGeometry g = s.geom;
            g.backward(cam, gH[id], gCentre[id][0], gCentre[id][1], gNormal[id][0], gNormal[id][1], gNormal[id][2],
                    mode == Mode.EXACT);
            System.arraycopy(g.gPosition, 0, out.positions(), 3 * id, 3);
            System.arraycopy(g.gRotation, 0, out.rotations(), 4 * id, 4);
            System.arraycopy(g.gScale, 0, out.scales(), 2 * id, 2);
            out.screen()[id] = g.screenGradient(cam);
        }
        return out;
    }

    /** Projects all surfels and returns the visible ones sorted by centre depth (ties: index), like the tile sort. */
    private static List<Splat> project(Scene s, CameraModel cam, RenderSettings settings, int[] radii, long[] hash) {
        List<Splat> out = new ArrayList<>();
        for (int i = 0; i < s.count(); i++) {
            Splat sp = new Splat();
            sp.id = i;
            sp.opacity = s.opacities()[i];
            double[] p = s.positions();
            double[] q = s.rotations();
            sp.geom.project(cam, p[3 * i], p[3 * i + 1], p[3 * i + 2], q[4 * i], q[4 * i + 1], q[4 * i + 2],
                    q[4 * i + 3], s.scales()[2 * i], s.scales()[2 * i + 1], settings.near());
            if (sp.geom.visible && sp.geom.tileRect(cam, sp.rect, 0) > 0) {
                radii[i] = sp.geom.radius;
                out.add(sp);
                mix(hash, i);
                mix(hash, sp.geom.radius);
                for (int r : sp.rect) {
                    mix(hash, r);
                }
                mix(hash, (long) sp.geom.flip);
            }
        }
        // The fast path sorts by the float depth, so ties are decided the same way here.
        out.sort(Comparator.<Splat>comparingDouble(sp -> (float) sp.geom.pcz).thenComparingInt(sp -> sp.id));
        for (Splat sp : out) {
            mix(hash, sp.id);
        }
        return out;
    }

    /** Front-to-back pass of one pixel: which surfels contribute and the per-contributor values. */
    private static PixelTrace trace(List<Splat> splats, Scene scene, CameraModel cam, RenderSettings settings,
            int px, int py, long[] hash) {
        PixelTrace tr = new PixelTrace();
        int tx = px / SplatConstants.TILE;
        int ty = py / SplatConstants.TILE;
        double x = px + 0.5;
        double y = py + 0.5;
        double t = 1;
        double m1 = 0;
        double m2 = 0;
        for (Splat s : splats) {
            if (tx < s.rect[0] || tx >= s.rect[2] || ty < s.rect[1] || ty >= s.rect[3]) {
                continue;
            }
            double[] h = s.geom.h;
            double kx = x * h[6] - h[0];
            double ky = x * h[7] - h[1];
            double kz = x * h[8] - h[2];
            double lx = y * h[6] - h[3];
            double ly = y * h[7] - h[4];
            double lz = y * h[8] - h[5];
            double pxh = ky * lz - kz * ly;
            double pyh = kz * lx - kx * lz;
            double pzh = kx * ly - ky * lx;
            if (pzh == 0) {
                continue;
            }
            double sx = pxh / pzh;
            double sy = pyh / pzh;
            double rho3 = sx * sx + sy * sy;
            double dx = s.geom.centreX - x;
            double dy = s.geom.centreY - y;
            double rho2 = SplatConstants.FILTER_INV_SQUARE * (dx * dx + dy * dy);
            boolean lowpass = !(rho3 <= rho2);
            double rho = lowpass ? rho2 : rho3;
            double depth = sx * h[6] + sy * h[7] + h[8];
            if (depth < settings.near()) {
                continue;
            }
            double gauss = Math.exp(-0.5 * rho);
            double raw = s.opacity * gauss;
            boolean clamped = raw > SplatConstants.ALPHA_MAX;
            double alpha = clamped ? SplatConstants.ALPHA_MAX : raw;
            if (alpha < SplatConstants.ALPHA_MIN) {
                continue;
            }
            double nextT = t * (1 - alpha);
            if (nextT < SplatConstants.T_MIN) {
                tr.terminated = true;
                mix(hash, -1);
                break;
            }
            if (t > SplatConstants.MEDIAN_T) {
                tr.median = tr.splats.size();
            }
            double[] v = new double[V_SIZE];
            v[V_SX] = sx;
            v[V_SY] = sy;
            v[V_PZ] = pzh;
            v[V_LOWPASS] = lowpass ? 1 : 0;
            v[V_G] = gauss;
            v[V_ALPHA] = alpha;
            v[V_DEPTH] = depth;
            v[V_T] = t;
            v[V_CLAMPED] = clamped ? 1 : 0;
            v[V_K] = kx;
            v[V_K + 1] = ky;
            v[V_K + 2] = kz;
            v[V_L] = lx;
            v[V_L + 1] = ly;
            v[V_L + 2] = lz;
            tr.splats.add(s);
            tr.values.add(v);
            tr.lowPass += lowpass ? 1 : 0;
            tr.clamped += clamped ? 1 : 0;
            double w = alpha * t;
            double m = mappedDepth(depth, settings);
            m1 += m * w;
            m2 += m * m * w;
            t = nextT;
            mix(hash, s.id * 4L + (lowpass ? 1 : 0) + (clamped ? 2 : 0));
        }
        mix(hash, tr.median);
        tr.finalT = t;
        tr.m1 = m1;
        tr.m2 = m2;
        return tr;
    }

    /** Depth mapped to [0, 1] between near and far, as the distortion term uses it (2DGS appendix). */
    static double mappedDepth(double z, RenderSettings s) {
        return s.far() / (s.far() - s.near()) * (1 - s.near() / z);
    }

    static double mappedDepthSlope(double z, RenderSettings s) {
        return s.far() * s.near() / ((s.far() - s.near()) * z * z);
    }

    private static double aux(double[] dOthers, int channel, int hw, int pix) {
        return dOthers == null ? 0 : dOthers[channel * hw + pix];
    }

    private static void mix(long[] hash, long v) {
        hash[0] = hash[0] * 0x9E3779B97F4A7C15L + v + 0x632BE59BD9B4E019L;
    }

    static void checkUpstream(int colorLength, int othersLength, int hw) {
        if (colorLength != 3 * hw) {
            throw new IllegalArgumentException("dColor must hold 3 x " + hw + " values, got " + colorLength);
        }
        if (othersLength >= 0 && othersLength != RenderOutput.AUX_CHANNELS * hw) {
            throw new IllegalArgumentException(
                    "dOthers must hold " + RenderOutput.AUX_CHANNELS + " x " + hw + " values, got " + othersLength);
        }
    }

    static double[] toDouble(float[] a, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    // ---- Rasterizer adapter: lets the golden check and tests run the reference like any backend ----

    private record Saved(Scene scene, Camera camera, RenderSettings settings) {
    }

    @Override
    public RenderOutput forward(SurfelBatch surfels, Camera camera, RenderSettings settings) {
        Scene scene = Scene.of(surfels);
        Image im = render(scene, camera, settings);
        return new RenderOutput(im.width(), im.height(), toFloat(im.color()), toFloat(im.others()), im.radii(),
                new Saved(scene, camera, settings));
    }

    @Override
    public SurfelGradients backward(RenderOutput forward, float[] dColor, float[] dOthers) {
        if (!(forward.saved() instanceof Saved saved)) {
            throw new IllegalArgumentException("this RenderOutput was not produced by the reference rasterizer");
        }
        checkUpstream(dColor == null ? -1 : dColor.length, dOthers == null ? -1 : dOthers.length, forward.pixels());
        Gradients g = gradients(saved.scene(), saved.camera(), saved.settings(),
                toDouble(dColor, dColor.length), dOthers == null ? null : toDouble(dOthers, dOthers.length),
                Mode.EXACT);
        return new SurfelGradients(toFloat(g.positions()), toFloat(g.rotations()), toFloat(g.scales()),
                toFloat(g.opacities()), toFloat(g.colors()), toFloat(g.screen()));
    }
}
