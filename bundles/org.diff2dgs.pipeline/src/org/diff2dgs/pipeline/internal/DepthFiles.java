package org.diff2dgs.pipeline.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.FloatImage;

/**
 * Rendered depth as files that round-trip for any scene range: the exact float32 values as {@code .npy}, a 16-bit PNG
 * whose {@link DepthScale} is chosen from the range and recorded in a small JSON beside it, and an 8-bit colour-mapped
 * PNG to look at. Depth is the rasterizer's expected depth / alpha in scene units; 0 means no surface.
 */
public final class DepthFiles {

    private DepthFiles() {
    }

    /** The three files of one depth map. */
    record Paths(Path png16, Path npy, Path view) {
    }

    static void write(Paths p, FloatImage depth, DepthScale scale) {
        Npy.write(p.npy(), new long[] {depth.height(), depth.width()}, depth.data());
        Images.writeGray16(p.png16(), depth, scale.scale());
        Images.writeColor(p.view(), DepthColormap.colorize(depth, scale.viewNear(), scale.viewFar()));
    }

    /**
     * One rendered view ({@code d2dgs render}): {@code <prefix>.depth.png}, {@code .depth.npy},
     * {@code .depth-view.png} and {@code .depth.json}, scaled to this view's own range; returns the files written.
     */
    public static List<Path> writeView(Path prefix, FloatImage depth) {
        String base = prefix.getFileName().toString();
        Paths p = new Paths(prefix.resolveSibling(base + ".depth.png"), prefix.resolveSibling(base + ".depth.npy"),
                prefix.resolveSibling(base + ".depth-view.png"));
        Path json = prefix.resolveSibling(base + ".depth.json");
        DepthScale scale = DepthScale.forImages(List.of(depth));
        write(p, depth, scale);
        describe(json, scale, p.view().getFileName().toString());
        return List.of(p.png16(), p.npy(), p.view(), json);
    }

    /** What a reader needs to decode the files, written as {@code json}. */
    static void describe(Path json, DepthScale scale, String viewLocation) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("unit", "scene units of the dataset (expected depth / alpha of the render)");
        d.put("scale", scale.scale());
        d.put("png", "16-bit gray: depth = value / scale; 0 = no surface");
        d.put("resolution", scale.resolution());
        d.put("near", finiteOrNull(scale.near()));
        d.put("far", finiteOrNull(scale.far()));
        d.put("npy", "exact float32 depth, rows x columns; 0 = no surface");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("files", viewLocation);
        view.put("colormap", "8-bit RGB: pale yellow at near, orange, red, purple, dark blue at far; black = no "
                + "surface; depths outside [near, far] take the end colours");
        view.put("near", finiteOrNull(scale.viewNear()));
        view.put("far", finiteOrNull(scale.viewFar()));
        view.put("range", "0.5th to 99.5th percentile of the valid depths");
        d.put("view", view);
        Json.write(json, d);
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
