package org.diff2dgs.inpaint.quality;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.internal.flow.Bilinear;
import org.diff2dgs.inpaint.internal.flow.FlowField;
import org.diff2dgs.inpaint.internal.flow.FlowSettings;
import org.diff2dgs.inpaint.internal.flow.PyramidalFlow;

/**
 * How well stage 1 restored the hidden tissue, on clips with ground truth (synthetic scenes, gt/). Keys of the result
 * (docs/inpainting.md, "Stage-1 quality"):
 * <ul>
 * <li>{@code psnr}, {@code psnr-raw}: PSNR over the original instrument pixels of all frames (one MSE over the clip),
 * of the inpainted frames and of the raw observed frames, against gt/images;</li>
 * <li>{@code ssim}: SSIM (11x11 Gaussian, as the papers) averaged over the instrument pixels and frames;</li>
 * <li>{@code depth-rmse}, {@code depth-rmse-raw}: depth RMSE in scene units over the instrument pixels with valid
 * ground truth;</li>
 * <li>{@code temporal-error}: mean over consecutive frames of the mean absolute difference between frame t and
 * frame t+1 warped back along the flow of the ground truth (t to t+1), over the instrument pixels of t;
 * {@code temporal-error-gt} is the same on the ground truth itself (what flow and resampling alone leave), so the
 * difference is the flicker stage 1 added.</li>
 * </ul>
 */
public final class Stage1Quality {

    private Stage1Quality() {
    }

    /** True when every frame has ground-truth colour (on a compact clip without expanding a frame). */
    public static boolean measurable(Sequence source) {
        if (source.frames() instanceof CompactFrames c) {
            return IntStream.range(0, c.size()).allMatch(c::hasGroundTruth);
        }
        return source.frames().stream().allMatch(Frame::hasGroundTruth);
    }

    /**
     * One pass over the frames, each expanded once (two of each clip in hand at a time), so that clips held compactly
     * ({@link CompactFrames}, as the run's inpaint stage reads them) are never expanded whole.
     *
     * @param source    the clip as read (observed frames, instrument masks, gt)
     * @param inpainted the inpainted clip as read back from disk (same frames)
     */
    public static Map<String, Double> measure(Sequence source, Sequence inpainted) {
        if (inpainted.size() != source.size()) {
            throw new IllegalArgumentException("inpainted clip has " + inpainted.size() + " frames, the source "
                    + source.size());
        }
        Sums s = new Sums();
        PyramidalFlow flow = new PyramidalFlow(FlowSettings.defaults());
        Frame f = source.frame(0);
        Frame g = inpainted.frame(0);
        for (int t = 0; t < source.size(); t++) {
            inside(f, g, s);
            if (t + 1 == source.size()) {
                break;
            }
            Frame fNext = source.frame(t + 1);
            Frame gNext = inpainted.frame(t + 1);
            temporal(flow, f, fNext, g, gNext, s);
            f = fNext;
            g = gNext;
        }
        Map<String, Double> q = new LinkedHashMap<>();
        q.put("psnr", s.n == 0 ? Double.NaN : 10 * Math.log10(s.n / s.se));
        q.put("psnr-raw", s.n == 0 ? Double.NaN : 10 * Math.log10(s.n / s.seRaw));
        q.put("ssim", s.ssimN == 0 ? Double.NaN : s.ssimSum / s.ssimN);
        q.put("depth-rmse", s.dn == 0 ? Double.NaN : Math.sqrt(s.dse / s.dn));
        q.put("depth-rmse-raw", s.dn == 0 ? Double.NaN : Math.sqrt(s.dseRaw / s.dn));
        q.put("temporal-error", s.count == 0 ? Double.NaN : s.sumInpainted / s.count);
        q.put("temporal-error-gt", s.count == 0 ? Double.NaN : s.sumTruth / s.count);
        return q;
    }

    /** Running sums over the clip, each added to in frame order. */
    private static final class Sums {
        double se;
        double seRaw;
        long n;
        double dse;
        double dseRaw;
        long dn;
        double ssimSum;
        long ssimN;
        double sumInpainted;
        double sumTruth;
        long count;
    }

    /** Colour, SSIM and depth errors over frame t's instrument pixels ({@code f}: source, {@code g}: inpainted). */
    private static void inside(Frame f, Frame g, Sums s) {
        float[] mask = f.instrumentMask().data();
        int px = mask.length;
        float[] truth = f.truthImage().data();
        float[] img = g.image().data();
        float[] raw = f.image().data();
        float[] ssim = Ssim.map(g.image(), f.truthImage());
        for (int p = 0; p < px; p++) {
            if (mask[p] <= 0.5f) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                double e = img[c * px + p] - truth[c * px + p];
                double r = raw[c * px + p] - truth[c * px + p];
                s.se += e * e;
                s.seRaw += r * r;
                s.ssimSum += ssim[c * px + p];
                s.ssimN++;
            }
            s.n += 3;
            if (f.truthDepth() != null && g.depth() != null && f.depth() != null) {
                float gd = f.truthDepth().data()[p];
                if (gd > 0) {
                    double e = g.depth().data()[p] - gd;
                    double r = f.depth().data()[p] - gd;
                    s.dse += e * e;
                    s.dseRaw += r * r;
                    s.dn++;
                }
            }
        }
    }

    /**
     * Frame t+1 warped back along the ground truth's flow (t to t+1) against frame t, over t's instrument pixels, for
     * the inpainted frames and for the ground truth itself.
     */
    private static void temporal(PyramidalFlow flow, Frame f, Frame fNext, Frame g, Frame gNext, Sums s) {
        FloatImage a = f.truthImage();
        FloatImage b = fNext.truthImage();
        int w = a.width();
        int h = a.height();
        FlowField field = flow.estimate(luma(a), luma(b), null, null, w, h);
        float[] region = f.instrumentMask().data();
        float[] ia = g.image().data();
        float[][] ib = planes(gNext.image());
        float[] ga = a.data();
        float[][] gb = planes(b);
        int px = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                float tx = x + field.u()[p];
                float ty = y + field.v()[p];
                if (region[p] <= 0.5f || !Bilinear.inside(w, h, tx, ty)) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    s.sumInpainted += Math.abs(Bilinear.sample(ib[c], w, h, tx, ty) - ia[c * px + p]);
                    s.sumTruth += Math.abs(Bilinear.sample(gb[c], w, h, tx, ty) - ga[c * px + p]);
                }
                s.count += 3;
            }
        }
    }

    private static float[][] planes(FloatImage rgb) {
        int px = rgb.pixels();
        float[][] out = new float[3][];
        for (int c = 0; c < 3; c++) {
            out[c] = java.util.Arrays.copyOfRange(rgb.data(), c * px, (c + 1) * px);
        }
        return out;
    }

    private static float[] luma(FloatImage rgb) {
        int n = rgb.pixels();
        float[] d = rgb.data();
        float[] g = new float[n];
        for (int p = 0; p < n; p++) {
            g[p] = 0.299f * d[p] + 0.587f * d[n + p] + 0.114f * d[2 * n + p];
        }
        return g;
    }
}
