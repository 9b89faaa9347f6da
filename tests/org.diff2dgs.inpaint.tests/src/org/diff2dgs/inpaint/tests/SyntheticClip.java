package org.diff2dgs.inpaint.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;

/**
 * A small clip with known truth: a smooth random texture (a sum of fixed-seed sinusoids, defined at every sub-pixel
 * position) that pans steadily, a tilted depth plane that moves with it, and a dark rectangular "instrument" that
 * sweeps across the frame. The truth is the texture without the instrument.
 */
final class SyntheticClip {

    static final int W = 72;
    static final int H = 56;

    private final double[][] waves;
    private final double panX;
    private final double panY;

    SyntheticClip(long seed, double panX, double panY) {
        Random r = new Random(seed);
        waves = new double[18][];
        for (int k = 0; k < waves.length; k++) {
            double f = 0.06 + 0.35 * r.nextDouble();
            double a = 2 * Math.PI * r.nextDouble();
            waves[k] = new double[] {f * Math.cos(a), f * Math.sin(a), 2 * Math.PI * r.nextDouble(),
                    0.5 + r.nextDouble(), r.nextInt(3)};
        }
        this.panX = panX;
        this.panY = panY;
    }

    /** Texture colour channel c at continuous position (x, y) in frame t. */
    double colour(int c, double x, double y, int t) {
        double u = x + panX * t;
        double v = y + panY * t;
        double s = 0;
        double norm = 0;
        for (double[] w : waves) {
            double gain = w[4] == c ? 1.0 : 0.35;
            s += gain * w[3] * Math.sin(w[0] * u + w[1] * v + w[2]);
            norm += gain * w[3];
        }
        return 0.5 + 0.4 * s / norm;
    }

    /** Depth of the tissue plane at (x, y) in frame t. */
    double depth(double x, double y, int t) {
        double u = x + panX * t;
        double v = y + panY * t;
        return 50 + 0.05 * u + 0.08 * v;
    }

    /**
     * @param frames    frame count
     * @param instrument rectangle width and height; its left edge moves from x0 by dx per frame
     */
    Sequence sequence(Path source, int frames, int iw, int ih, int x0, int y0, int dx) {
        return sequence(source, frames, iw, ih, x0, y0, dx, 0);
    }

    /**
     * The same with the instrument's shadow: the observed tissue in a band of {@code shadow} pixels below the
     * instrument (not in its mask) is darkened to 55%, and the band moves with the instrument.
     */
    Sequence sequence(Path source, int frames, int iw, int ih, int x0, int y0, int dx, int shadow) {
        List<Frame> list = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            float[] img = new float[3 * W * H];
            float[] truth = new float[3 * W * H];
            float[] d = new float[W * H];
            float[] td = new float[W * H];
            float[] m = new float[W * H];
            int left = x0 + dx * t;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int p = y * W + x;
                    boolean hidden = x >= left && x < left + iw && y >= y0 && y < y0 + ih;
                    m[p] = hidden ? 1f : 0f;
                    td[p] = (float) depth(x, y, t);
                    d[p] = hidden ? 30f : td[p];
                    boolean shaded = x >= left && x < left + iw && y >= y0 + ih && y < y0 + ih + shadow;
                    for (int c = 0; c < 3; c++) {
                        truth[c * W * H + p] = (float) colour(c, x, y, t);
                        img[c * W * H + p] = hidden ? 0.15f : truth[c * W * H + p] * (shaded ? 0.55f : 1f);
                    }
                }
            }
            list.add(new Frame(t, t / (double) frames, String.format("frame-%03d", t), null,
                    new FloatImage(W, H, 3, img), new FloatImage(W, H, 1, d), new FloatImage(W, H, 1, m),
                    new FloatImage(W, H, 3, truth), new FloatImage(W, H, 1, td)));
        }
        int[] all = java.util.stream.IntStream.range(0, frames).toArray();
        DatasetInfo info = new DatasetInfo("test", "endonerf", "white-is-instrument", 1.0, new double[] {40, 60},
                Map.of(), List.of());
        return new Sequence("synthetic-test", source, list, new Split("all", all, new int[0]), info);
    }

    /** PSNR of {@code images} against the truth inside the original instrument masks, over the clip. */
    static double psnrInsideMasks(Sequence clip, List<FloatImage> images) {
        double se = 0;
        long n = 0;
        for (int t = 0; t < clip.size(); t++) {
            Frame f = clip.frame(t);
            float[] m = f.instrumentMask().data();
            float[] a = images.get(t).data();
            float[] g = f.truthImage().data();
            int px = m.length;
            for (int p = 0; p < px; p++) {
                if (m[p] > 0.5f) {
                    for (int c = 0; c < 3; c++) {
                        double e = a[c * px + p] - g[c * px + p];
                        se += e * e;
                    }
                    n += 3;
                }
            }
        }
        return 10 * Math.log10(n / se);
    }
}
