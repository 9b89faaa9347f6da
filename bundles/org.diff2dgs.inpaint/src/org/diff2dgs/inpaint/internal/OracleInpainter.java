package org.diff2dgs.inpaint.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.InpaintedFrame;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.osgi.service.component.annotations.Component;

/**
 * The upper bound for stage 1 on synthetic clips: the true tissue (gt/images, gt/depth) handed over as if it were the
 * inpainted result. Setting {@code scope}: "frame" (default: the whole ground-truth frame, as the issue defines the
 * oracle run) or "region" (ground truth inside the restored region only, observed pixels elsewhere: a perfect
 * inpainter). Restored pixels count as neither propagated nor spatial in the coverage.
 */
@Component(service = Inpainter.class)
public final class OracleInpainter implements Inpainter {

    public static final String NAME = "oracle";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ground truth as the inpainted frames (synthetic scenes with gt/ only): the upper bound";
    }

    @Override
    public boolean needsGroundTruth() {
        return true;
    }

    @Override
    public InpaintResult inpaint(Sequence clip, InpaintOptions options, Path output, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        InpaintOptions o = options == null ? InpaintOptions.defaults() : options;
        for (String key : o.settings().keySet()) {
            if (!key.equals("scope")) {
                throw new UserInputException("unknown setting '" + key + "' for inpainting method oracle; allowed: "
                        + "scope");
            }
        }
        String scope = o.settings().getOrDefault("scope", "frame");
        if (!scope.equals("frame") && !scope.equals("region")) {
            throw new UserInputException("setting scope of oracle must be frame or region, got '" + scope + "'");
        }
        for (Frame f : clip.frames()) {
            if (f.truthImage() == null || f.depth() != null && f.truthDepth() == null) {
                Path gt = clip.source() == null ? null : clip.source().resolve("gt");
                throw new UserInputException(gt, "inpainting method oracle needs the ground truth gt/images and "
                        + "gt/depth (synthetic scenes); frame " + f.name() + " has none");
            }
        }
        boolean whole = scope.equals("frame");
        ExecutorService pool = InpaintThreads.pool(NAME, o.effectiveThreads());
        try (InpaintedClipWriter out = InpaintedClipWriter.open(clip, o, output)) {
            p.begin("oracle: ground truth as inpainted frames", clip.size());
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < clip.size(); t++) {
                int i = t;
                jobs.add(pool.submit(() -> {
                    p.checkCancelled();
                    Frame f = clip.frame(i);
                    FloatImage region = out.restoreRegion(i);
                    FloatImage image = whole ? f.truthImage() : replace(f.image(), f.truthImage(), region);
                    FloatImage depth = f.depth() == null || !o.completeDepth() ? null
                            : whole ? f.truthDepth() : replace(f.depth(), f.truthDepth(), region);
                    FloatImage confidence = new FloatImage(region.width(), region.height(), 1,
                            filled(region.pixels()));
                    out.write(new InpaintedFrame(i, image, depth, region, confidence, 0, 0));
                    p.worked(1, f.name());
                }));
            }
            Parallel.await(jobs);
            p.checkCancelled();
            return out.commit(NAME, Map.of(), List.of("oracle (" + scope + "): restored pixels are the ground truth"));
        } finally {
            pool.shutdownNow();
            p.done();
        }
    }

    private static FloatImage replace(FloatImage observed, FloatImage truth, FloatImage region) {
        float[] out = observed.data().clone();
        float[] t = truth.data();
        float[] r = region.data();
        int n = region.pixels();
        for (int c = 0; c < observed.channels(); c++) {
            for (int p = 0; p < n; p++) {
                if (r[p] > 0.5f) {
                    out[c * n + p] = t[c * n + p];
                }
            }
        }
        return new FloatImage(observed.width(), observed.height(), observed.channels(), out);
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
