package org.diff2dgs.splat.internal;

import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;

/**
 * The intermediate results of the CPU rasterizer's first two stages ({@link SurfelPreprocess}, {@link TileBinning}),
 * for stage-by-stage parity checks of another implementation (the CUDA kernels). Runs single-threaded on its own
 * workspace.
 */
public final class CpuStages {

    /** Floats per surfel in {@link Result#records()}; the layout of the REC_* fields of the workspace. */
    public static final int RECORD_FLOATS = Workspace.REC_STRIDE;
    public static final int REC_A = Workspace.REC_A;
    public static final int REC_B = Workspace.REC_B;
    public static final int REC_C = Workspace.REC_C;
    public static final int REC_TW = Workspace.REC_TW;
    public static final int REC_CENTRE = Workspace.REC_CENTRE;
    public static final int REC_OPACITY = Workspace.REC_OPACITY;
    public static final int REC_RHO_CUT = Workspace.REC_RHO_CUT;
    public static final int REC_NORMAL = Workspace.REC_NORMAL;
    public static final int REC_COLOR = Workspace.REC_COLOR;
    public static final int REC_BOX = Workspace.REC_BOX;
    public static final int REC_ANCHOR = Workspace.REC_ANCHOR;

    /**
     * @param radii       per surfel, 0 when not rendered
     * @param touched     per surfel, the number of tiles its 3-sigma rectangle covers (0 when not rendered)
     * @param rects       4 per surfel: binning rectangle [x0, x1) x [y0, y1), the 3-sigma one narrowed to the tiles
     *                    its pixel box reaches, possibly empty (only meaningful where touched > 0)
     * @param depth       per surfel, camera-frame depth of the centre as a float (only where touched > 0)
     * @param records     {@link #RECORD_FLOATS} per surfel (only where touched > 0)
     * @param depthOrder  the rendered surfels in depth order (ties by index)
     * @param tileStart   per tile, where its list starts in {@code tileSurfels}; one more entry for the end
     * @param tileSurfels per (tile, surfel) entry, the surfel's index, tile by tile, each tile front to back
     */
    public record Result(int[] radii, int[] touched, int[] rects, float[] depth, float[] records, int[] depthOrder,
            int[] tileStart, int[] tileSurfels) {
    }

    private CpuStages() {
    }

    public static Result run(SurfelBatch surfels, Camera camera, RenderSettings settings) {
        int n = surfels.count();
        Workspace ws = new Workspace();
        ws.count = n;
        ws.camera = new CameraModel(camera);
        ws.near = (float) settings.near();
        ws.far = (float) settings.far();
        ws.ensureSurfels(n);
        System.arraycopy(surfels.positions(), 0, ws.positions, 0, 3 * n);
        System.arraycopy(surfels.rotations(), 0, ws.rotations, 0, 4 * n);
        System.arraycopy(surfels.scales(), 0, ws.scales, 0, 2 * n);
        System.arraycopy(surfels.opacities(), 0, ws.opacities, 0, n);
        System.arraycopy(surfels.colors(), 0, ws.colors, 0, 3 * n);
        SurfelPreprocess.run(ws, 0, n, new TileScratch());
        TileBinning.run(ws, false);

        int visible = 0;
        for (int i = 0; i < n; i++) {
            if (ws.touched[i] > 0) {
                visible++;
            }
        }
        int[] depthOrder = new int[visible];
        for (int k = 0; k < visible; k++) {
            depthOrder[k] = (int) ws.sortKeys[k];
        }
        int tiles = ws.camera.tiles();
        int[] tileSurfels = new int[ws.pairs];
        for (int p = 0; p < ws.pairs; p++) {
            tileSurfels[p] = depthOrder[ws.pairSurfel[p]];
        }
        return new Result(copy(ws.radii, n), copy(ws.touched, n), copy(ws.rects, 4 * n), copy(ws.depth, n),
                copy(ws.records, RECORD_FLOATS * n), depthOrder, copy(ws.tileStart, tiles + 1), tileSurfels);
    }

    private static int[] copy(int[] a, int n) {
        int[] c = new int[n];
        System.arraycopy(a, 0, c, 0, n);
        return c;
    }

    private static float[] copy(float[] a, int n) {
        float[] c = new float[n];
        System.arraycopy(a, 0, c, 0, n);
        return c;
    }
}
