package org.diff2dgs.splat.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.splat.api.GoldenParity;
import org.diff2dgs.splat.api.GoldenReport;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Gradients;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Mode;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Scene;
import org.osgi.service.component.annotations.Component;

/**
 * Renders a golden scene (made by the original 2DGS CUDA rasterizer) with any {@link Rasterizer} and compares
 * outputs, radii and gradients.
 *
 * <p>
 * The original's backward deviates from the true derivative in two places that matter on this scene (no quaternion
 * normalization Jacobian; in the low-pass branch the intersection depth is differentiated as if (u, v) were fixed),
 * and a third that the scene does not reach (gradients through the 0.99 alpha clamp). Gradients are therefore compared
 * with the golden gradients corrected by (exact - original) as computed by the double-precision reference on the same
 * scene; the raw difference is shown in the note. Finite differences confirm the exact side (see the tests and
 * docs/rasterizer.md).
 */
@Component(service = GoldenParity.class)
public final class GoldenCheck implements GoldenParity {

    /** Forward tolerances: float32 noise of the original and ours, per output's magnitude. */
    public static final double TOL_COLOR = 1e-4;
    public static final double TOL_ALPHA = 1e-4;
    public static final double TOL_DEPTH = 1e-3;
    public static final double TOL_NORMAL = 1e-4;
    public static final double TOL_MEDIAN = 1e-3;
    public static final double TOL_DISTORTION = 2e-6;
    /** Gradients: relative error of the whole array (the original sums with float atomics in arbitrary order). */
    public static final double TOL_GRADIENT = 1e-3;

    @Override
    public GoldenReport check(Path goldenJson, Rasterizer rasterizer) {
        return run(goldenJson, rasterizer);
    }

    public static GoldenReport run(Path goldenJson, Rasterizer r) {
        GoldenScene g = GoldenScene.load(goldenJson);
        RenderOutput out = r.forward(g.surfels(), g.camera(), g.settings());
        if (out.width() != g.camera().width() || out.height() != g.camera().height()) {
            throw new IllegalStateException("rasterizer returned " + out.width() + "x" + out.height() + ", expected "
                    + g.camera().width() + "x" + g.camera().height());
        }
        SurfelGradients grad = r.backward(out, g.upstreamColor(), g.upstreamOthers());
        int hw = out.pixels();
        List<GoldenReport.Row> rows = new ArrayList<>();
        rows.add(image("color", out.color(), g.color(), 0, 3 * hw, TOL_COLOR, "3 channels, with background"));
        rows.add(image("depth sum", out.others(), g.others(), RenderOutput.AUX_DEPTH * hw, hw, TOL_DEPTH,
                "sum w z, not divided by alpha"));
        rows.add(image("alpha", out.others(), g.others(), RenderOutput.AUX_ALPHA * hw, hw, TOL_ALPHA, "1 - T"));
        rows.add(image("normal sum", out.others(), g.others(), RenderOutput.AUX_NORMAL * hw, 3 * hw, TOL_NORMAL,
                "camera frame, facing the camera"));
        rows.add(image("median depth", out.others(), g.others(), RenderOutput.AUX_MEDIAN_DEPTH * hw, hw, TOL_MEDIAN,
                "z of the last contributor with T > 0.5"));
        rows.add(image("distortion", out.others(), g.others(), RenderOutput.AUX_DISTORTION * hw, hw,
                TOL_DISTORTION, "near/far mapped depths"));
        rows.add(radii(out.radii(), g.radii()));

        // Correction from the original's backward to the true derivative, in double on the same scene.
        Scene scene = Scene.of(g.surfels());
        double[] dColor = toDouble(g.upstreamColor());
        double[] dOthers = toDouble(g.upstreamOthers());
        Gradients exact = ReferenceRasterizer.gradients(scene, g.camera(), g.settings(), dColor, dOthers, Mode.EXACT);
        Gradients original = ReferenceRasterizer.gradients(scene, g.camera(), g.settings(), dColor, dOthers,
                Mode.ORIGINAL_CUDA);
        rows.add(gradient("d/d positions", grad.positions(), g.gradPositions(), exact.positions(),
                original.positions(), "low-pass branch depth"));
        rows.add(gradient("d/d scales", grad.scales(), g.gradScales(), exact.scales(), original.scales(),
                "low-pass branch depth"));
        rows.add(gradient("d/d rotations", grad.rotations(), g.gradRotations(), exact.rotations(),
                original.rotations(), "quaternion normalization, low-pass branch depth"));
        rows.add(gradient("d/d opacities", grad.opacities(), g.gradOpacities(), exact.opacities(),
                original.opacities(), null));
        rows.add(gradient("d/d colors", grad.colors(), g.gradColors(), exact.colors(), original.colors(), null));
        return new GoldenReport(goldenJson.toString(), rows);
    }

    private static GoldenReport.Row image(String name, float[] ours, float[] golden, int offset, int length,
            double tol, String note) {
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        for (int i = offset; i < offset + length; i++) {
            double d = (double) ours[i] - golden[i];
            maxAbs = Math.max(maxAbs, Math.abs(d));
            diff2 += d * d;
            ref2 += (double) golden[i] * golden[i];
        }
        double rel = ref2 > 0 ? Math.sqrt(diff2 / ref2) : Math.sqrt(diff2);
        return new GoldenReport.Row(name, maxAbs, rel, tol, "abs", maxAbs <= tol, note);
    }

    private static GoldenReport.Row radii(int[] ours, int[] golden) {
        int differ = 0;
        int maxAbs = 0;
        for (int i = 0; i < golden.length; i++) {
            int d = Math.abs(ours[i] - golden[i]);
            maxAbs = Math.max(maxAbs, d);
            if (d != 0) {
                differ++;
            }
        }
        return new GoldenReport.Row("radii", maxAbs, differ, 0, "count", differ == 0,
                "pixels, 3-sigma box; relErr = surfels that differ");
    }

    private static GoldenReport.Row gradient(String name, float[] ours, float[] golden, double[] exact,
            double[] original, String deviation) {
        double maxAbs = 0;
        double diff2 = 0;
        double ref2 = 0;
        double raw2 = 0;
        double gold2 = 0;
        for (int i = 0; i < golden.length; i++) {
            double corrected = golden[i] + (exact[i] - original[i]);
            double d = ours[i] - corrected;
            maxAbs = Math.max(maxAbs, Math.abs(d));
            diff2 += d * d;
            ref2 += corrected * corrected;
            raw2 += ((double) ours[i] - golden[i]) * ((double) ours[i] - golden[i]);
            gold2 += (double) golden[i] * golden[i];
        }
        double rel = Math.sqrt(diff2 / ref2);
        String note = deviation == null ? "vs golden (no known deviation)"
                : String.format(java.util.Locale.ROOT,
                        "vs golden corrected for the original's %s (raw rel diff %.2e)", deviation,
                        Math.sqrt(raw2 / gold2));
        return new GoldenReport.Row(name, maxAbs, rel, TOL_GRADIENT, "rel", rel <= TOL_GRADIENT, note);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
