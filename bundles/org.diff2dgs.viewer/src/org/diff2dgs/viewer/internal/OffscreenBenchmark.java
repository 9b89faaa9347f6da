package org.diff2dgs.viewer.internal;

import java.util.Locale;

import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.bench.SurfelSheet;
import org.diff2dgs.viewer.api.ViewSettings;

/**
 * Frames per second of the offscreen renderer for n surfels (releng/benchmarks/viewer-offscreen.sh): one EGL context,
 * the eye orbiting a little every frame so that every frame sorts all splats again, each frame finished with
 * glFinish (a pixel read). Prints one line of figures.
 * <p>
 * Usage: {@code OffscreenBenchmark <surfels> <width> <height> <frames>}
 */
public final class OffscreenBenchmark {

    private OffscreenBenchmark() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int w = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        int frames = Integer.parseInt(args[3]);
        GaussianModel model = SurfelSheet.of(n, 7);
        SplatScene scene = SplatSceneBuilder.build(model, null, 0, java.util.List.of());
        ViewSettings settings = new VisualizationComponent().initialView(scene, org.diff2dgs.viewer.api.ViewMode.COLOR);
        try (EglOffscreenContext ctx = EglOffscreenContext.open(w, h);
                SplatGlRenderer r = new SplatGlRenderer(ctx.caps)) {
            long u0 = System.nanoTime();
            r.setScene(scene);
            r.draw(settings, w, h);
            r.readPixels(1, 1);
            double upload = (System.nanoTime() - u0) / 1e6;
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                settings = settings.with(settings.view().orbit(0.01, 0));
                r.draw(settings, w, h);
                r.readPixels(1, 1);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "surfels=%d size=%dx%d frames=%d fps=%.2f ms_per_frame=%.1f "
                    + "first_frame_ms=%.0f gl=%s%n", n, w, h, frames, frames / seconds, 1000 * seconds / frames,
                    upload, r.glInfo());
        }
    }
}
