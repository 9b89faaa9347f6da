package org.diff2dgs.inpaint.internal;

import java.util.concurrent.ExecutorService;

import org.diff2dgs.inpaint.internal.flow.Bilinear;
import org.diff2dgs.inpaint.internal.flow.StoredFlow;

/**
 * One direction of flow-guided propagation. Frames are visited in time order (or reverse); each traced pixel of frame
 * t follows the completed flow one step to frame t-1 (or t+1). If it lands on tissue visible there, that frame and
 * position are its origin; if it lands inside the previous frame's region, it inherits that pixel's origin (shifted
 * by the sub-pixel remainder), so chains of any length cost one step per frame and the colour is later read once,
 * from a frame that saw it: no repeated resampling, no blur accumulating along the chain (the idea of flow-guided
 * propagation in FGVC, Gao et al. 2020, and ProPainter's dual-domain propagation, Zhou et al. 2023, Sec. 3.2, done
 * explicitly). Each step adds |flow(t -> t-1)(p) + flow(t-1 -> t)(q)|, the forward-backward inconsistency, to the
 * chain's error. Tissue seen close to an instrument (within the band) is a poorer source (the instrument's shadow,
 * its blurred edge): a chain keeps the source farthest from any instrument it has met.
 */
final class Propagation {

    private final FlowBank flows;
    private final Regions regions;
    private final int width;
    private final int height;
    private final int reach;

    Propagation(FlowBank flows, Regions regions, int width, int height, int reach) {
        this.flows = flows;
        this.regions = regions;
        this.width = width;
        this.height = height;
        this.reach = reach;
    }

    /**
     * The origins of frame t's traced pixels, one step from the previous frame's origins.
     *
     * @param prev origins of frame t - dir (null for the first frame of the pass)
     * @param dir  +1: origins in the past (forward pass), -1: in the future (backward pass)
     */
    Origins step(Origins prev, int t, int dir, int[] workPixels, ExecutorService pool, int threads) {
        Origins cur = new Origins(workPixels);
        if (prev == null) {
            return cur;
        }
        int s = t - dir;
        StoredFlow toPrev = dir > 0 ? flows.backward(s) : flows.forward(t);
        StoredFlow fromPrev = dir > 0 ? flows.forward(s) : flows.backward(t);
        int[] slots = prev.slots(width * height);
        float[] distance = regions.distanceToInstrument(s);
        float band = Math.max(1, regions.band());
        Parallel.forRange(pool, cur.size(), threads, i -> {
            float[] f = new float[2];
            float[] b = new float[2];
            int p = cur.pixels[i];
            int x = p % width;
            int y = p / width;
            toPrev.sample(x, y, f);
            float qx = x + f[0];
            float qy = y + f[1];
            if (!Bilinear.inside(width, height, qx, qy)) {
                return;
            }
            fromPrev.sample(qx, qy, b);
            float e = (float) Math.hypot(f[0] + b[0], f[1] + b[1]);
            int rx = Math.round(qx);
            int ry = Math.round(qy);
            int q = ry * width + rx;
            float direct = regions.unusable(s, q) ? -1 : Math.min(1f, distance[q] / band);
            int j = slots[q];
            boolean inherit = j >= 0 && prev.found(j) && prev.steps[j] < reach;
            if (direct >= 0 && (!inherit || direct >= prev.quality[j])) {
                cur.set(i, s, qx, qy, 1, e, direct);
            } else if (inherit) {
                cur.set(i, prev.frame[j], prev.x[j] + (qx - rx), prev.y[j] + (qy - ry), prev.steps[j] + 1,
                        prev.error[j] + e, prev.quality[j]);
            }
        });
        return cur;
    }
}
