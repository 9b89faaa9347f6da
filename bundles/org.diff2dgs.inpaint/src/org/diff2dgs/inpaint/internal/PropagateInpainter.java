package org.diff2dgs.inpaint.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.image.BinaryMorphology;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.internal.flow.FlowSettings;
import org.osgi.service.component.annotations.Component;

/**
 * The embedded stage-1 method, no model weights: optical flow between neighbouring frames with the instruments
 * hidden and completed inside them, forward and backward propagation of visible tissue along the flow with
 * forward-backward consistency checks, a spatial fill of what no frame showed, seam blending; depth the same way.
 * <p>
 * Memory: the clip is read once (the {@link Sequence}); on top of it the flows of all pairs in 16-bit fixed point,
 * the past origins of the traced pixels (region plus ring) of every frame, and a few frames in flight. Frames are
 * written as soon as they are composed.
 */
@Component(service = Inpainter.class)
public final class PropagateInpainter implements Inpainter {

    public static final String NAME = "propagate";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "flow-guided propagation of tissue seen in other frames, spatial fill of the rest; colour and depth; "
                + "no model weights";
    }

    @Override
    public InpaintResult inpaint(Sequence clip, InpaintOptions options, Path output, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        InpaintOptions o = options == null ? InpaintOptions.defaults() : options;
        PropagateSettings s = PropagateSettings.parse(o.settings());
        int n = clip.size();
        int w = clip.width();
        int h = clip.height();
        int threads = o.effectiveThreads();
        ExecutorService pool = InpaintThreads.pool(NAME, threads);
        try (InpaintedClipWriter out = InpaintedClipWriter.open(clip, o, output)) {
            p.begin("inpainting " + n + " frames (" + NAME + ")", 3L * n - 1);
            Regions regions = new Regions(out, t -> BinaryMorphology.restoreRegion(clip.instrumentMask(t),
                    o.maskErode(), Math.min(o.maskDilate(), s.sourceMargin())), n, w, h, s.band(), s.flowMargin(w, h));
            FlowSettings flowSettings = FlowSettings.defaults().withFinestLevel(s.flowLevel(w, h));
            FlowBank flows = FlowBank.estimate(clip, regions, flowSettings, pool, p);
            Propagation propagation = new Propagation(flows, regions, w, h, s.reach());
            // the forward pass keeps, per frame, only what composition reads (composed pixels, 16 bytes each)
            Candidates[] past = new Candidates[n];
            Origins prev = null;
            for (int t = 0; t < n; t++) {
                p.checkCancelled();
                prev = propagation.step(prev, t, +1, regions.workPixels(t), pool, threads);
                past[t] = Candidates.of(prev, regions.composedPixels(t), s.maxError());
                p.worked(1, "propagating forward " + (t + 1) + "/" + n);
            }
            Compositor compositor = new Compositor(clip, regions, s, o.completeDepth());
            Semaphore inFlight = new Semaphore(threads + 1);
            List<Future<?>> jobs = new ArrayList<>();
            long[] spatial = new long[1];
            long[] restored = new long[1];
            Origins next = null;
            for (int t = n - 1; t >= 0; t--) {
                p.checkCancelled();
                next = propagation.step(next, t, -1, regions.workPixels(t), pool, threads);
                Candidates fromPast = past[t];
                Candidates fromFuture = Candidates.of(next, regions.composedPixels(t), s.maxError());
                past[t] = null;
                int frame = t;
                acquire(inFlight);
                jobs.add(pool.submit(() -> {
                    try {
                        if (p.isCancelled()) {
                            return;
                        }
                        var f = compositor.compose(frame, fromPast, fromFuture);
                        out.write(f);
                        synchronized (spatial) {
                            spatial[0] += f.spatial();
                            restored[0] += f.propagated() + f.spatial();
                        }
                        p.worked(1, "frame " + clip.frameName(frame));
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            Parallel.await(jobs);
            p.checkCancelled();
            List<String> warnings = new ArrayList<>();
            if (restored[0] > 0 && spatial[0] > 0.5 * restored[0]) {
                warnings.add(String.format(Locale.ROOT, "%.0f%% of the restored pixels were never seen in another "
                        + "frame and were filled spatially", 100.0 * spatial[0] / restored[0]));
            }
            return out.commit(NAME, Map.of(), warnings);
        } finally {
            pool.shutdownNow();
            p.done();
        }
    }

    private static void acquire(Semaphore s) {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
    }
}
