package org.diff2dgs.dataset.synthetic.internal;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The tissue's appearance in material coordinates (millimetres), tabulated once per scene: linear albedo, the slope
 * of a fine bump height (wet micro-relief, raised vessels) and a gloss factor for the specular film. Pale serosa and
 * dark red parenchyma lobes with mottling and pores, three vessel layers from {@link VesselNetwork}.
 */
final class TissueTexture {

    static final int CHANNELS = 6;
    private static final int TILE_ROWS = 32;

    private final Bounds bounds;
    private final double texel;
    private final int nx;
    private final int ny;
    /** Planar: red, green, blue, bump slope du, bump slope dv, gloss. */
    private final float[] maps;

    TissueTexture(Bounds bounds, double texel, TissueParameters.Texture p, TissueParameters.Vessels vessels,
            long seed) {
        this.bounds = bounds;
        this.texel = texel;
        this.nx = (int) Math.ceil(bounds.width() / texel) + 1;
        this.ny = (int) Math.ceil(bounds.height() / texel) + 1;
        int n = nx * ny;
        VesselNetwork network = VesselNetwork.grow(bounds, vessels, Hash.key(seed, 31, 0, 0));
        float[][] layers = rasterize(network);
        maps = new float[CHANNELS * n];
        float[] bump = new float[n];
        GradientNoise lobes = new GradientNoise(Hash.key(seed, 32, 0, 0));
        GradientNoise mottle = new GradientNoise(Hash.key(seed, 33, 0, 0));
        GradientNoise grain = new GradientNoise(Hash.key(seed, 34, 0, 0));
        GradientNoise relief = new GradientNoise(Hash.key(seed, 35, 0, 0));
        GradientNoise wet = new GradientNoise(Hash.key(seed, 36, 0, 0));
        GradientNoise hue = new GradientNoise(Hash.key(seed, 37, 0, 0));
        IntStream.range(0, ny).parallel().forEach(j -> {
            double v = bounds.yMin() + j * texel;
            double[] colour = new double[3];
            for (int i = 0; i < nx; i++) {
                double u = bounds.xMin() + i * texel;
                int k = j * nx + i;
                // large smooth lobes of organ seen through the membrane; a mild domain warp bends their outlines
                double wu = u / p.lobeScale() + 0.15 * hue.noise(u / 12 + 5.2, v / 12);
                double wv = v / p.lobeScale() + 0.15 * hue.noise(u / 12, v / 12 - 3.7);
                double lobe = 0.9 * smoothstep(-0.12, 0.3, lobes.fbm(wu, wv, 2, 0.3));
                double shade = (1 + 0.10 * mottle.fbm(u / 3.5, v / 3.5, 2, 0.55))
                        * (1 + 0.07 * mottle.fbm(u / 0.8 - 19.1, v / 0.8 + 4.4, 2, 0.5));
                double purple = 0.4 * hue.fbm(u / 14, v / 14, 2, 0.5);
                double pores = lobe * smoothstep(0.30, 0.75, grain.noise(u / 0.3, v / 0.3));
                for (int c = 0; c < 3; c++) {
                    double base = p.serosa()[c] + (p.parenchyma()[c] - p.serosa()[c]) * lobe;
                    // a purple or orange cast varies slowly across the organ
                    double cast = c == 2 ? 1 + purple : c == 1 ? 1 - 0.3 * purple : 1;
                    colour[c] = base * shade * cast * (1 - 0.4 * pores);
                }
                absorb(colour, vessels.deepAbsorption(), layers[VesselNetwork.DEEP][k]);
                absorb(colour, vessels.superficialAbsorption(), layers[VesselNetwork.SUPERFICIAL][k]);
                absorb(colour, vessels.capillaryAbsorption(), layers[VesselNetwork.CAPILLARY][k]);
                for (int c = 0; c < 3; c++) {
                    maps[c * n + k] = (float) Math.min(Math.max(colour[c], 0), 1);
                }
                bump[k] = (float) (p.fineBumpMm() * relief.fbm(u / 0.45, v / 0.45, 2, 0.5)
                        + p.wrinkleBumpMm() * relief.fbm(u / 2.5 + 33.1, v / 2.5 - 7.9, 3, 0.5)
                        + 0.03 * layers[VesselNetwork.SUPERFICIAL][k] + 0.01 * layers[VesselNetwork.CAPILLARY][k]
                        - 0.015 * pores);
                maps[5 * n + k] = (float) (0.25 + 0.75 * smoothstep(-0.35, 0.45, wet.fbm(u / 8, v / 8, 3, 0.5)));
            }
        });
        IntStream.range(0, ny).parallel().forEach(j -> {
            int jd = Math.max(j - 1, 0);
            int ju = Math.min(j + 1, ny - 1);
            for (int i = 0; i < nx; i++) {
                int il = Math.max(i - 1, 0);
                int ir = Math.min(i + 1, nx - 1);
                int k = j * nx + i;
                maps[3 * n + k] = (float) ((bump[j * nx + ir] - bump[j * nx + il]) / ((ir - il) * texel));
                maps[4 * n + k] = (float) ((bump[ju * nx + i] - bump[jd * nx + i]) / ((ju - jd) * texel));
            }
        });
    }

    double texel() {
        return texel;
    }

    int texels() {
        return nx * ny;
    }

    /** All channels at material point (u, v), bilinear, clamped to the tabulated area; out needs 6 slots. */
    void sample(double u, double v, double[] out) {
        double gx = Math.min(Math.max((u - bounds.xMin()) / texel, 0), nx - 1.000001);
        double gy = Math.min(Math.max((v - bounds.yMin()) / texel, 0), ny - 1.000001);
        int i = (int) gx;
        int j = (int) gy;
        double fx = gx - i;
        double fy = gy - j;
        int n = nx * ny;
        int k = j * nx + i;
        for (int c = 0; c < CHANNELS; c++) {
            int b = c * n + k;
            double top = maps[b] + fx * (maps[b + 1] - maps[b]);
            double bottom = maps[b + nx] + fx * (maps[b + nx + 1] - maps[b + nx]);
            out[c] = top + fy * (bottom - top);
        }
    }

    /**
     * Coverage of each vessel layer per texel. Segments are bucketed by tile rows so each tile is written by one
     * thread; coverage combines by maximum, which does not depend on the order segments are drawn in.
     */
    private float[][] rasterize(VesselNetwork vessels) {
        int n = nx * ny;
        float[][] layers = {new float[n], new float[n], new float[n]};
        int tiles = (ny + TILE_ROWS - 1) / TILE_ROWS;
        int[][] buckets = new int[tiles][16];
        int[] sizes = new int[tiles];
        for (int s = 0; s < vessels.size(); s++) {
            double reach = reach(vessels, s);
            int rowLo = (int) Math.floor((Math.min(vessels.y0(s), vessels.y1(s)) - reach - bounds.yMin()) / texel);
            int rowHi = (int) Math.ceil((Math.max(vessels.y0(s), vessels.y1(s)) + reach - bounds.yMin()) / texel);
            int tLo = Math.max(rowLo, 0) / TILE_ROWS;
            int tHi = Math.min(rowHi, ny - 1) / TILE_ROWS;
            for (int t = tLo; t <= tHi && rowHi >= 0 && rowLo < ny; t++) {
                if (sizes[t] == buckets[t].length) {
                    buckets[t] = Arrays.copyOf(buckets[t], 2 * sizes[t]);
                }
                buckets[t][sizes[t]++] = s;
            }
        }
        IntStream.range(0, tiles).parallel().forEach(t -> {
            int rowStart = t * TILE_ROWS;
            int rowEnd = Math.min(rowStart + TILE_ROWS, ny);
            for (int b = 0; b < sizes[t]; b++) {
                drawSegment(vessels, buckets[t][b], rowStart, rowEnd, layers);
            }
        });
        return layers;
    }

    /** How far from its centre line a segment darkens the texture (mm). */
    private double reach(VesselNetwork vessels, int s) {
        double half = 0.5 * vessels.width(s);
        return vessels.layer(s) == VesselNetwork.DEEP ? 2.5 * (half + 0.35) : half + texel;
    }

    private void drawSegment(VesselNetwork vessels, int s, int rowStart, int rowEnd, float[][] layers) {
        double ax = vessels.x0(s);
        double ay = vessels.y0(s);
        double bx = vessels.x1(s);
        double by = vessels.y1(s);
        double w = vessels.width(s);
        double strength = vessels.strength(s);
        int kind = vessels.layer(s);
        float[] target = layers[kind];
        double reach = reach(vessels, s);
        int iLo = Math.max((int) Math.floor((Math.min(ax, bx) - reach - bounds.xMin()) / texel), 0);
        int iHi = Math.min((int) Math.ceil((Math.max(ax, bx) + reach - bounds.xMin()) / texel), nx - 1);
        int jLo = Math.max((int) Math.floor((Math.min(ay, by) - reach - bounds.yMin()) / texel), rowStart);
        int jHi = Math.min((int) Math.ceil((Math.max(ay, by) + reach - bounds.yMin()) / texel), rowEnd - 1);
        double ex = bx - ax;
        double ey = by - ay;
        double len2 = Math.max(ex * ex + ey * ey, 1e-12);
        double half = 0.5 * w;
        double blur = half + 0.35;
        for (int j = jLo; j <= jHi; j++) {
            double py = bounds.yMin() + j * texel - ay;
            for (int i = iLo; i <= iHi; i++) {
                double px = bounds.xMin() + i * texel - ax;
                double t = Math.min(Math.max((px * ex + py * ey) / len2, 0), 1);
                double qx = px - t * ex;
                double qy = py - t * ey;
                double d = Math.sqrt(qx * qx + qy * qy);
                double cover;
                if (kind == VesselNetwork.DEEP) {
                    cover = PortableMath.exp(-0.5 * d * d / (blur * blur)) * Math.min(1, w / 1.2);
                } else if (half >= 0.5 * texel) {
                    // a vessel wider than a texel: anti-aliased edge, a little lighter at the rim (round vessel)
                    cover = Math.min(Math.max((half - d) / texel + 0.5, 0), 1) * (0.8 + 0.2 * Math.sqrt(Math.max(0,
                            1 - d * d / (half * half))));
                } else {
                    // thinner than a texel: keep the vessel's total darkness, spread over one texel
                    cover = (w / texel) * Math.max(1 - d / texel, 0);
                }
                cover *= strength;
                int k = j * nx + i;
                if (cover > target[k]) {
                    target[k] = (float) cover;
                }
            }
        }
    }

    /**
     * Blood absorbs green and blue far more than red (Beer-Lambert per channel), so a thin or partly covered vessel
     * reads red and a thick one dark red; deep veins seen through the serosa take a purple cast.
     */
    private static void absorb(double[] colour, double[] absorption, double amount) {
        if (amount > 0) {
            for (int c = 0; c < 3; c++) {
                colour[c] *= PortableMath.exp(-absorption[c] * amount);
            }
        }
    }

    static double smoothstep(double edge0, double edge1, double x) {
        double t = Math.min(Math.max((x - edge0) / (edge1 - edge0), 0), 1);
        return t * t * (3 - 2 * t);
    }
}
