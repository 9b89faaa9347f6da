package org.diff2dgs.inpaint.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.internal.flow.FlowField;
import org.diff2dgs.inpaint.internal.flow.FlowSettings;
import org.diff2dgs.inpaint.internal.flow.PyramidalFlow;
import org.diff2dgs.inpaint.internal.flow.StoredFlow;

/**
 * Forward and backward flow between every pair of neighbouring frames, estimated in parallel (one pair per task) with
 * the regions hidden, and kept compactly for the propagation passes.
 */
final class FlowBank {

    private final StoredFlow[] forward;
    private final StoredFlow[] backward;

    private FlowBank(StoredFlow[] forward, StoredFlow[] backward) {
        this.forward = forward;
        this.backward = backward;
    }

    /** Flow from frame t to t+1. */
    StoredFlow forward(int t) {
        return forward[t];
    }

    /** Flow from frame t+1 to t. */
    StoredFlow backward(int t) {
        return backward[t];
    }

    static FlowBank estimate(Sequence clip, Regions regions, FlowSettings settings, ExecutorService pool,
            Progress progress) {
        int pairs = clip.size() - 1;
        StoredFlow[] fw = new StoredFlow[Math.max(0, pairs)];
        StoredFlow[] bw = new StoredFlow[Math.max(0, pairs)];
        PyramidalFlow flow = new PyramidalFlow(settings);
        float scale = 1 << settings.finestLevel();
        int w = clip.width();
        int h = clip.height();
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < pairs; t++) {
            int pair = t;
            jobs.add(pool.submit(() -> {
                if (progress.isCancelled()) {
                    return;
                }
                float[] g1 = luma(clip.image(pair));
                float[] g2 = luma(clip.image(pair + 1));
                float[] v1 = regions.visible(pair);
                float[] v2 = regions.visible(pair + 1);
                FlowField f = flow.estimate(g1, g2, v1, v2, w, h);
                FlowField b = flow.estimate(g2, g1, v2, v1, w, h);
                fw[pair] = new StoredFlow(f, scale);
                bw[pair] = new StoredFlow(b, scale);
                progress.worked(1, "flow " + (pair + 1) + "/" + pairs);
            }));
        }
        Parallel.await(jobs);
        progress.checkCancelled();
        return new FlowBank(fw, bw);
    }

    /** Rec. 601 luma: the flow needs one intensity plane, and tissue texture lives mostly in red and green. */
    static float[] luma(FloatImage rgb) {
        int n = rgb.pixels();
        float[] d = rgb.data();
        float[] g = new float[n];
        for (int p = 0; p < n; p++) {
            g[p] = 0.299f * d[p] + 0.587f * d[n + p] + 0.114f * d[2 * n + p];
        }
        return g;
    }
}
