package org.diff2dgs.inpaint.internal;

import org.diff2dgs.core.api.InpaintedFrame;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.internal.flow.HarmonicFill;
import org.diff2dgs.inpaint.internal.flow.TrendFill;

/**
 * Builds one inpainted frame from the origins found in the past and in the future: reads colour and depth where the
 * tissue was seen, weights the two candidates by chain length and flow consistency, corrects the seam, fills what was
 * never seen spatially, and gives each restored pixel a confidence.
 * <p>
 * Confidence (stored as 8-bit, value = sample / 255): 1 for observed pixels; for propagated pixels
 * {@code 1 - prod(1 - w_k)} over the candidates, with
 * {@code w_k = quality * exp(-steps / 30) / (1 + (meanError / 0.5)^2)} (sources far from instruments, shorter and more
 * consistent chains are trusted more); for spatially filled pixels {@code 0.25 / (1 + d / 8)} with d
 * the distance in pixels to the nearest propagated or observed pixel.
 */
final class Compositor {

    private static final float MIN_PROPAGATED_CONFIDENCE = 0.05f;
    /** Band of known depth (pixels) each never-seen hole's trend is fitted to (depthFill plane / quadratic). */
    private static final int DEPTH_TREND_RING = 8;

    private final Sequence clip;
    private final FramePixels pixels;
    private final Regions regions;
    private final PropagateSettings settings;
    private final boolean completeDepth;
    private final int w;
    private final int h;

    Compositor(Sequence clip, Regions regions, PropagateSettings settings, boolean completeDepth) {
        this.clip = clip;
        this.pixels = FramePixels.of(clip);
        this.regions = regions;
        this.settings = settings;
        this.completeDepth = completeDepth;
        this.w = clip.width();
        this.h = clip.height();
    }

    InpaintedFrame compose(int t, Candidates past, Candidates future) {
        Frame frame = clip.frame(t);
        int n = w * h;
        float[] obs = frame.image().data();
        float[][] colour = {slice(obs, 0, n), slice(obs, 1, n), slice(obs, 2, n)};
        boolean hasDepth = completeDepth && frame.depth() != null;
        float[] depth = hasDepth ? frame.depth().data().clone() : null;
        boolean[] region = new boolean[n];
        boolean[] propagated = new boolean[n];
        boolean[] depthKnown = hasDepth ? new boolean[n] : null;
        float[] confidence = new float[n];
        java.util.Arrays.fill(confidence, 1f);
        // propagated values of the ring (observed pixels around the region), for the seam mismatch
        boolean[] ringKnown = new boolean[n];
        float[][] ringColour = new float[3][n];
        float[] ringDepth = hasDepth ? new float[n] : null;
        boolean[] ringDepthKnown = hasDepth ? new boolean[n] : null;
        long propagatedCount = 0;
        float[] c = new float[4];
        int[] composed = regions.composedPixels(t);
        Candidates[] both = {past, future};
        for (int i = 0; i < composed.length; i++) {
            int p = composed[i];
            boolean inside = regions.hidden(t, p);
            region[p] = inside;
            float wsum = 0;
            float dsum = 0;
            float dw = 0;
            float r = 0;
            float g = 0;
            float b = 0;
            float keep = 1;
            for (Candidates o : both) {
                if (o == null || !o.found(i)) {
                    continue;
                }
                float wk = o.weight[i];
                sample(o.frame[i], o.x[i], o.y[i], hasDepth, c);
                r += wk * c[0];
                g += wk * c[1];
                b += wk * c[2];
                wsum += wk;
                if (c[3] > 0) {
                    dsum += wk * c[3];
                    dw += wk;
                }
                keep *= 1 - wk;
            }
            if (wsum <= 0) {
                continue;
            }
            if (inside) {
                colour[0][p] = r / wsum;
                colour[1][p] = g / wsum;
                colour[2][p] = b / wsum;
                propagated[p] = true;
                propagatedCount++;
                confidence[p] = Math.max(MIN_PROPAGATED_CONFIDENCE, 1 - keep);
                if (hasDepth && dw > 0) {
                    depth[p] = dsum / dw;
                    depthKnown[p] = true;
                }
            } else {
                // a ring pixel: composed pixels outside the region are exactly the ring
                ringColour[0][p] = r / wsum;
                ringColour[1][p] = g / wsum;
                ringColour[2][p] = b / wsum;
                ringKnown[p] = true;
                ringColour[0][p] = colour[0][p] - ringColour[0][p];
                ringColour[1][p] = colour[1][p] - ringColour[1][p];
                ringColour[2][p] = colour[2][p] - ringColour[2][p];
                if (hasDepth && dw > 0 && depth[p] > 0) {
                    ringDepth[p] = depth[p] - dsum / dw;
                    ringDepthKnown[p] = true;
                }
            }
        }
        if ("poisson".equals(settings.seam())) {
            addSeamCorrection(colour, ringColour, ringKnown, region, propagated);
        }
        if (hasDepth) {
            // depth always gets the smooth correction: tissue moved along the view axis between the frames
            addSeamCorrection(new float[][] {depth}, new float[][] {ringDepth}, ringDepthKnown, region, depthKnown);
        }
        // spatial fill of what no frame showed
        boolean[] known = new boolean[n];
        long spatial = 0;
        boolean[] seen = new boolean[n];
        for (int p = 0; p < n; p++) {
            known[p] = !region[p] || propagated[p];
            seen[p] = known[p];
            if (!known[p]) {
                spatial++;
            }
        }
        if (spatial > 0) {
            HarmonicFill.fill(colour, known, w, h);
            float[] dist = Chamfer.distance(seen, w, h);
            for (int p = 0; p < n; p++) {
                if (!seen[p]) {
                    confidence[p] = 0.25f / (1 + dist[p] / 8);
                }
            }
        }
        if (hasDepth) {
            boolean[] domain = new boolean[n];
            boolean[] dKnown = new boolean[n];
            boolean missing = false;
            for (int p = 0; p < n; p++) {
                boolean valid = region[p] ? depthKnown[p] : depth[p] > 0;
                domain[p] = region[p] || depth[p] > 0;
                dKnown[p] = valid;
                missing |= region[p] && !valid;
            }
            if (missing) {
                fillDepth(depth, dKnown, domain, depthKnown);
            }
        }
        if ("feather".equals(settings.seam()) && settings.featherWidth() > 0) {
            feather(colour, obs, region, frame.instrumentMask().data());
        }
        float[] out = new float[3 * n];
        System.arraycopy(colour[0], 0, out, 0, n);
        System.arraycopy(colour[1], 0, out, n, n);
        System.arraycopy(colour[2], 0, out, 2 * n, n);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0f, Math.min(1f, out[i]));
        }
        FloatImage regionImage = regions.image(t);
        return new InpaintedFrame(t, new FloatImage(w, h, 3, out), hasDepth ? new FloatImage(w, h, 1, depth) : null,
                regionImage, new FloatImage(w, h, 1, confidence), propagatedCount, spatial);
    }

    /** propagated: depth read from other frames, which the trend fills may overrule where it is far off the trend. */
    private void fillDepth(float[] depth, boolean[] known, boolean[] domain, boolean[] propagated) {
        switch (settings.depthFill()) {
            case "plane" -> TrendFill.fill(depth, known, domain, propagated, w, h, TrendFill.Degree.PLANE,
                    DEPTH_TREND_RING);
            case "quadratic" -> TrendFill.fill(depth, known, domain, propagated, w, h, TrendFill.Degree.QUADRATIC,
                    DEPTH_TREND_RING);
            default -> HarmonicFill.fill(new float[][] {depth}, known, domain, w, h);
        }
        // a trend continued far from the tissue it was fitted to must not leave the valid range (depth 0 = invalid)
        float floor = Float.MAX_VALUE;
        for (int p = 0; p < depth.length; p++) {
            if (known[p] && depth[p] > 0) {
                floor = Math.min(floor, depth[p]);
            }
        }
        for (int p = 0; p < depth.length; p++) {
            if (domain[p] && !known[p] && depth[p] < 0.5f * floor) {
                depth[p] = 0.5f * floor;
            }
        }
    }

    /**
     * Poisson-style seam correction (Perez et al. 2003, in its offset form): the mismatch between observed and
     * propagated values on the ring around the region is interpolated harmonically over the region and added to the
     * propagated pixels, so that they meet the observed ones without a step while keeping their own detail.
     */
    private void addSeamCorrection(float[][] values, float[][] ringMismatch, boolean[] ringKnown, boolean[] region,
            boolean[] target) {
        int n = w * h;
        boolean[] domain = new boolean[n];
        boolean any = false;
        for (int p = 0; p < n; p++) {
            domain[p] = region[p] || ringKnown[p];
            any |= ringKnown[p];
        }
        if (!any) {
            return;
        }
        boolean[] known = ringKnown.clone();
        float[][] offset = new float[ringMismatch.length][];
        for (int k = 0; k < offset.length; k++) {
            offset[k] = ringMismatch[k].clone();
        }
        HarmonicFill.fill(offset, known, domain, w, h);
        for (int p = 0; p < n; p++) {
            if (region[p] && target[p]) {
                for (int k = 0; k < values.length; k++) {
                    values[k][p] += offset[k][p];
                }
            }
        }
    }

    /**
     * Linear ramp from the observed frame at the region's border to the restored values featherWidth pixels in. Only
     * the dilated margin is blended: pixels of the instrument mask itself (and its 1-pixel edge) never show through.
     */
    private void feather(float[][] colour, float[] obs, boolean[] region, float[] instrument) {
        int n = w * h;
        boolean[] outside = new boolean[n];
        for (int p = 0; p < n; p++) {
            outside[p] = !region[p];
        }
        float[] d = Chamfer.distance(outside, w, h);
        boolean[] tool = new boolean[n];
        for (int p = 0; p < n; p++) {
            tool[p] = instrument[p] > 0.5f;
        }
        tool = org.diff2dgs.core.image.BinaryMorphology.dilate(tool, w, h, 1);
        float width = settings.featherWidth() + 1;
        for (int p = 0; p < n; p++) {
            if (region[p] && !tool[p] && d[p] < width) {
                float a = d[p] / width;
                for (int k = 0; k < 3; k++) {
                    colour[k][p] = a * colour[k][p] + (1 - a) * obs[k * n + p];
                }
            }
        }
    }

    /** Colour (c[0..2]) and depth (c[3], 0 when invalid) of frame f at (x, y); depth only from valid samples. */
    private void sample(int f, float x, float y, boolean withDepth, float[] c) {
        int n = w * h;
        float fx = Math.max(0, Math.min(w - 1, x));
        float fy = Math.max(0, Math.min(h - 1, y));
        int x0 = (int) fx;
        int y0 = (int) fy;
        int x1 = Math.min(w - 1, x0 + 1);
        int y1 = Math.min(h - 1, y0 + 1);
        float ax = fx - x0;
        float ay = fy - y0;
        int[] idx = {y0 * w + x0, y0 * w + x1, y1 * w + x0, y1 * w + x1};
        float[] wt = {(1 - ax) * (1 - ay), ax * (1 - ay), (1 - ax) * ay, ax * ay};
        for (int k = 0; k < 3; k++) {
            float s = 0;
            for (int j = 0; j < 4; j++) {
                s += wt[j] * pixels.colour(f, k * n + idx[j]);
            }
            c[k] = s;
        }
        c[3] = 0;
        if (withDepth && pixels.hasDepth(f)) {
            float s = 0;
            float sw = 0;
            for (int j = 0; j < 4; j++) {
                float d = pixels.depth(f, idx[j]);
                if (d > 0) {
                    s += wt[j] * d;
                    sw += wt[j];
                }
            }
            c[3] = sw > 1e-3f ? s / sw : 0;
        }
    }

    private static float[] slice(float[] planar, int channel, int n) {
        return java.util.Arrays.copyOfRange(planar, channel * n, (channel + 1) * n);
    }
}
