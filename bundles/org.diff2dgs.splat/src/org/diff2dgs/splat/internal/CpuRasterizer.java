package org.diff2dgs.splat.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;

/**
 * The CPU 2D Gaussian splatting rasterizer (2DGS, Huang et al. 2024): float arithmetic per pixel, tiles of 16x16
 * rendered in parallel on its own fork-join pool, work buffers reused between calls, analytic backward.
 *
 * <p>
 * Stages: {@link SurfelPreprocess} (per surfel) -> {@link TileBinning} -> {@link TileForward} (per tile); backward:
 * {@link TileBackward} (per tile) -> {@link GradientReduction} (per surfel). The result does not depend on the thread
 * count. A backward must use the output of this rasterizer's most recent forward: the buffers are shared.
 */
public final class CpuRasterizer implements Rasterizer {

    private static final int SURFEL_CHUNK = 2048;

    private final int threads;
    private ForkJoinPool pool;
    private final ThreadLocal<TileScratch> scratch = ThreadLocal.withInitial(TileScratch::new);
    private final Workspace ws = new Workspace();

    public CpuRasterizer() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** @param threads worker threads (1: everything runs on the calling thread) */
    public CpuRasterizer(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("need at least one thread, got " + threads);
        }
        this.threads = threads;
    }

    public int threads() {
        return threads;
    }

    @Override
    public RenderOutput forward(SurfelBatch surfels, Camera camera, RenderSettings settings) {
        if (surfels == null || camera == null || settings == null) {
            throw new IllegalArgumentException("forward needs surfels, a camera and render settings");
        }
        if (!(settings.near() > 0) || !(settings.far() > settings.near())) {
            throw new IllegalArgumentException(
                    "render settings need 0 < near < far, got near=" + settings.near() + " far=" + settings.far());
        }
        int n = surfels.count();
        ws.generation++;
        ws.count = n;
        ws.camera = new CameraModel(camera);
        ws.near = (float) settings.near();
        ws.far = (float) settings.far();
        System.arraycopy(settings.background(), 0, ws.background, 0, 3);
        ws.ensureSurfels(n);
        System.arraycopy(surfels.positions(), 0, ws.positions, 0, 3 * n);
        System.arraycopy(surfels.rotations(), 0, ws.rotations, 0, 4 * n);
        System.arraycopy(surfels.scales(), 0, ws.scales, 0, 2 * n);
        System.arraycopy(surfels.opacities(), 0, ws.opacities, 0, n);
        System.arraycopy(surfels.colors(), 0, ws.colors, 0, 3 * n);

        parallelChunks(n, (from, to) -> SurfelPreprocess.run(ws, from, to, scratch.get()));
        TileBinning.run(ws, threads > 1);

        int hw = ws.camera.pixels();
        ws.ensurePixels(hw);
        float[] color = new float[3 * hw];
        float[] others = new float[RenderOutput.AUX_CHANNELS * hw];
        parallel(ws.camera.tiles(), t -> TileForward.render(ws, t, scratch.get(), color, others));
        int[] radii = new int[n];
        System.arraycopy(ws.radii, 0, radii, 0, n);
        return new RenderOutput(ws.camera.width, ws.camera.height, color, others, radii,
                new SavedRender(this, ws, ws.generation));
    }

    @Override
    public SurfelGradients backward(RenderOutput forward, float[] dColor, float[] dOthers) {
        if (!(forward.saved() instanceof SavedRender saved) || saved.owner() != this) {
            throw new IllegalArgumentException("backward needs a RenderOutput from this rasterizer's forward");
        }
        if (saved.generation() != ws.generation) {
            throw new IllegalStateException("this RenderOutput is stale: a later forward reused the rasterizer's "
                    + "buffers; call backward before the next forward, or render with a separate rasterizer");
        }
        int hw = ws.camera.pixels();
        ReferenceRasterizer.checkUpstream(dColor == null ? -1 : dColor.length, dOthers == null ? -1 : dOthers.length,
                hw);
        ws.ensurePairGradients();
        parallel(ws.camera.tiles(), t -> TileBackward.backward(ws, t, scratch.get(), dColor, dOthers));
        SurfelGradients out = SurfelGradients.allocate(ws.count);
        parallelChunks(ws.count, (from, to) -> GradientReduction.run(ws, from, to, scratch.get(), out));
        return out;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdown();
            pool = null;
        }
    }

    private interface RangeTask {
        void run(int from, int to);
    }

    private void parallelChunks(int n, RangeTask task) {
        int chunks = (n + SURFEL_CHUNK - 1) / SURFEL_CHUNK;
        parallel(chunks, c -> task.run(c * SURFEL_CHUNK, Math.min(n, (c + 1) * SURFEL_CHUNK)));
    }

    private void parallel(int n, IntConsumer body) {
        if (n == 0) {
            return;
        }
        if (threads == 1 || n == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        pool().submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
    }

    private synchronized ForkJoinPool pool() {
        if (pool == null) {
            pool = new ForkJoinPool(threads);
        }
        return pool;
    }
}
