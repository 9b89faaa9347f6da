package org.diff2dgs.dataset.synthetic.internal;

import org.diff2dgs.core.model.Intrinsics;

/**
 * Turns exact depth into what a stereo network (STTR-light in EndoNeRF) delivers: noise that grows with depth
 * squared (depth = f b / disparity, so a fixed disparity error costs z^2 / (f b)) and is partly correlated in space,
 * and holes (0 = invalid) where stereo fails: saturated highlights, the band beside an instrument that only one
 * camera sees, and random blobs of failed matches.
 */
final class StereoDepth {

    private final TissueScene scene;
    private final GradientNoise correlated;

    StereoDepth(TissueScene scene) {
        this.scene = scene;
        this.correlated = new GradientNoise(Hash.key(scene.spec().seed(), 61, 0, 0));
    }

    /**
     * @param exact     exact depth of what is visible, per pixel (mm)
     * @param mask      1 on instrument pixels
     * @param luminance display luminance before sensor noise, for finding saturated highlights
     * @return the measured depth map
     */
    float[] measure(int frame, float[] exact, float[] mask, float[] luminance) {
        Intrinsics k = scene.intrinsics();
        int w = k.width();
        int h = k.height();
        int n = w * h;
        SceneOptions options = scene.options();
        TissueParameters.Sensor sensor = scene.params().sensor();
        long seed = scene.spec().seed();
        boolean[] hole = new boolean[n];
        if (options.holes() > 0) {
            for (int p = 0; p < n; p++) {
                hole[p] = luminance[p] >= 0.97f;
            }
            occlusionBands(exact, mask, hole, w, h, k.fx() * sensor.baselineMm());
            blobs(frame, hole, w, h, options.holes(), sensor.holeRadiusPixels() * w / 640.0, seed);
        }
        float[] out = new float[n];
        double scale = w / 24.0;
        double offset = 37.7 * frame;
        double reference = sensor.depthReferenceMm();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (hole[p]) {
                    continue;
                }
                double z = exact[p];
                double sigma = options.depthNoise() * (z / reference) * (z / reference);
                // about unit variance: the gradient noise has a standard deviation near 0.3
                double smooth = correlated.noise(x / scale + offset, y / scale) / 0.3;
                double white = Hash.roughGaussian(Hash.key(seed, 2000 + frame, p, 0));
                double noisy = z + sigma * (0.75 * smooth + 0.66 * white);
                out[p] = (float) Math.max(noisy, 1e-3);
            }
        }
        return out;
    }

    /**
     * Tissue just left of an instrument's left edge is hidden from the right camera of the stereo pair, so no
     * disparity exists there; the band is as wide as the disparity step between tissue and instrument (half of it:
     * stereo networks fill some in).
     */
    private static void occlusionBands(float[] exact, float[] mask, boolean[] hole, int w, int h,
            double focalBaseline) {
        int maxBand = Math.max(1, w / 20);
        for (int y = 0; y < h; y++) {
            for (int x = 1; x < w; x++) {
                int p = y * w + x;
                if (mask[p] > 0.5f && mask[p - 1] < 0.5f) {
                    double step = focalBaseline * (1.0 / exact[p] - 1.0 / exact[p - 1]);
                    int band = (int) Math.min(maxBand, Math.round(0.5 * step));
                    for (int b = 1; b <= band && x - b >= 0 && mask[p - b] < 0.5f; b++) {
                        hole[p - b] = true;
                    }
                }
            }
        }
    }

    /** Random elliptic blobs covering about {@code fraction} of the frame, new ones every frame. */
    private static void blobs(int frame, boolean[] hole, int w, int h, double fraction, double meanRadius, long seed) {
        // radius uniform in [0.5, 1.5] x mean: E[r^2] = 13/12 mean^2
        int count = (int) Math.round(fraction * w * h / (Math.PI * meanRadius * meanRadius * 13 / 12));
        for (int b = 0; b < count; b++) {
            double cx = w * Hash.uniform(Hash.key(seed, 3000 + frame, b, 0));
            double cy = h * Hash.uniform(Hash.key(seed, 3000 + frame, b, 1));
            double r = meanRadius * (0.5 + Hash.uniform(Hash.key(seed, 3000 + frame, b, 2)));
            double stretch = 0.6 + 0.8 * Hash.uniform(Hash.key(seed, 3000 + frame, b, 3));
            double angle = Math.PI * Hash.uniform(Hash.key(seed, 3000 + frame, b, 4));
            double a = r * stretch;
            double c = r / stretch;
            double cos = StrictMath.cos(angle);
            double sin = StrictMath.sin(angle);
            int reach = (int) Math.ceil(Math.max(a, c));
            for (int y = Math.max(0, (int) cy - reach); y <= Math.min(h - 1, (int) cy + reach); y++) {
                for (int x = Math.max(0, (int) cx - reach); x <= Math.min(w - 1, (int) cx + reach); x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    double u = (dx * cos + dy * sin) / a;
                    double v = (-dx * sin + dy * cos) / c;
                    if (u * u + v * v <= 1) {
                        hole[y * w + x] = true;
                    }
                }
            }
        }
    }
}
