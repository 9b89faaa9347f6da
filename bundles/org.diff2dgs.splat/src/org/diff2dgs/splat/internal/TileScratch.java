package org.diff2dgs.splat.internal;

/** Per-thread scratch of the tile kernels and the per-surfel passes; one per worker thread, reused across renders. */
final class TileScratch {

    /** The current tile's surfels, gathered front to back, {@link TileGather#STRIDE} floats each. */
    float[] tile = new float[TileGather.STRIDE * 256];
    final TilePixels pixels = new TilePixels();
    final SurfelGeometry geometry = new SurfelGeometry();
    final double[] gH = new double[9];
    final double[] box = new double[4];
    final double[] adjugate = new double[9];
    final double[] sums = new double[Workspace.PG_STRIDE];

    float[] tileBuffer(int count) {
        if (tile.length < count * TileGather.STRIDE) {
            tile = new float[Math.max(count, tile.length / TileGather.STRIDE * 2) * TileGather.STRIDE];
        }
        return tile;
    }
}
