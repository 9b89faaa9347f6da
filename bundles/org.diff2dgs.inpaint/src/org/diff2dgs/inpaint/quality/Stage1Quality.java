package org.diff2dgs.inpaint.quality;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.image.Ssim;
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

    /** True when every frame has ground-truth colour. */
    public static boolean measurable(Sequence source) {
        return source.frames().stream().allMatch(Frame::hasGroundTruth);
    }

    /**
     * @param source    the clip as read (observed frames, instrument masks, gt)
     * @param inpainted the inpainted clip as read back from disk (same frames)
     */
    public static Map<String, Double> measure(Sequence source, Sequence inpainted) {
        if (inpainted.size() != source.size()) {
            throw new IllegalArgumentException("inpainted clip has " + inpainted.size() + " frames, the source "
                    + source.size());
        }
        double se = 0;
        double seRaw = 0;
        long n = 0;
        double dse = 0;
        double dseRaw = 0;
        long dn = 0;
        double ssimSum = 0;
        long ssimN = 0;
        for (int t = 0; t < source.size(); t++) {
            Frame f = source.frame(t);
            Frame g = inpainted.frame(t);
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
                    se += e * e;
                    seRaw += r * r;
                    ssimSum += ssim[c * px + p];
                    ssimN++;
                }
                n += 3;
                if (f.truthDepth() != null && g.depth() != null && f.depth() != null) {
                    float gd = f.truthDepth().data()[p];
                    if (gd > 0) {
                        double e = g.depth().data()[p] - gd;
                        double r = f.depth().data()[p] - gd;
                        dse += e * e;
                        dseRaw += r * r;
                        dn++;
                    }
                }
            }
        }
        Map<String, Double> q = new LinkedHashMap<>();
        q.put("psnr", n == 0 ? Double.NaN : 10 * Math.log10(n / se));
        q.put("psnr-raw", n == 0 ? Double.NaN : 10 * Math.log10(n / seRaw));
        q.put("ssim", ssimN == 0 ? Double.NaN : ssimSum / ssimN);
        q.put("depth-rmse", dn == 0 ? Double.NaN : Math.sqrt(dse / dn));
        q.put("depth-rmse-raw", dn == 0 ? Double.NaN : Math.sqrt(dseRaw / dn));
        double[] temporal = temporal(source, inpainted);
        q.put("temporal-error", temporal[0]);
        q.put("temporal-error-gt", temporal[1]);
        return q;
    }

    private static double[] temporal(Sequence source, Sequence inpainted) {
        int w = source.width();
        int h = source.height();
        PyramidalFlow flow = new PyramidalFlow(FlowSettings.defaults());
        double sumInpainted = 0;
        double sumTruth = 0;
        long count = 0;
        for (int t = 0; t + 1 < source.size(); t++) {
            FloatImage a = source.frame(t).truthImage();
            FloatImage b = source.frame(t + 1).truthImage();
            FlowField f = flow.estimate(luma(a), luma(b), null, null, w, h);
            float[] region = source.frame(t).instrumentMask().data();
            float[] ia = inpainted.frame(t).image().data();
            float[][] ib = planes(inpainted.frame(t + 1).image());
            float[] ga = a.data();
            float[][] gb = planes(b);
            int px = w * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    float tx = x + f.u()[p];
                    float ty = y + f.v()[p];
                    if (region[p] <= 0.5f || !Bilinear.inside(w, h, tx, ty)) {
                        continue;
                    }
                    for (int c = 0; c < 3; c++) {
                        sumInpainted += Math.abs(Bilinear.sample(ib[c], w, h, tx, ty) - ia[c * px + p]);
                        sumTruth += Math.abs(Bilinear.sample(gb[c], w, h, tx, ty) - ga[c * px + p]);
                    }
                    count += 3;
                }
            }
        }
        return count == 0 ? new double[] {Double.NaN, Double.NaN}
                : new double[] {sumInpainted / count, sumTruth / count};
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
