package org.diff2dgs.splat.internal;

import java.util.Arrays;

/**
 * Stage 2: every visible surfel goes into the list of each tile of its binning rectangle
 * (SurfelPreprocess.narrowRect), each list ordered by centre depth (ties by index), as the original's (tile, depth)
 * key sort does. One global depth sort followed by an in-order
 * fill gives sorted per-tile lists without sorting each tile. The surfel records are copied into depth order too, so
 * a tile's list reads them at increasing addresses.
 */
final class TileBinning {

    private TileBinning() {
    }

    /** @param parallelSort whether the depth sort may use the common fork-join pool (large scenes, several threads) */
    static void run(Workspace ws, boolean parallelSort) {
        int n = ws.count;
        CameraModel cam = ws.camera;
        int tiles = cam.tiles();
        ws.ensureTiles(tiles);
        int visible = 0;
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            ws.surfelPairStart[i] = pairs;
            if (ws.touched[i] > 0) {
                // depth > near >= 0, so the float bits order like the values
                ws.sortKeys[visible++] = ((long) Float.floatToRawIntBits(ws.depth[i]) << 32) | i;
                // the narrowed rectangle (SurfelPreprocess.narrowRect), possibly empty
                pairs += (ws.rects[4 * i + 2] - ws.rects[4 * i]) * (ws.rects[4 * i + 3] - ws.rects[4 * i + 1]);
            }
        }
        ws.surfelPairStart[n] = pairs;
        ws.pairs = pairs;
        ws.ensurePairs(pairs);
        if (parallelSort && visible > 1 << 14) {
            Arrays.parallelSort(ws.sortKeys, 0, visible);
        } else {
            Arrays.sort(ws.sortKeys, 0, visible);
        }

        int stride = Workspace.REC_STRIDE;
        for (int k = 0; k < visible; k++) {
            System.arraycopy(ws.records, (int) ws.sortKeys[k] * stride, ws.sortedRecords, k * stride, stride);
        }

        int[] count = ws.tileCursor;
        Arrays.fill(count, 0, tiles, 0);
        int[] rects = ws.rects;
        for (int k = 0; k < visible; k++) {
            int i = (int) ws.sortKeys[k];
            for (int ty = rects[4 * i + 1]; ty < rects[4 * i + 3]; ty++) {
                for (int tx = rects[4 * i]; tx < rects[4 * i + 2]; tx++) {
                    count[ty * cam.tilesX + tx]++;
                }
            }
        }
        int acc = 0;
        for (int t = 0; t < tiles; t++) {
            ws.tileStart[t] = acc;
            acc += count[t];
            count[t] = ws.tileStart[t];
        }
        ws.tileStart[tiles] = acc;
        for (int k = 0; k < visible; k++) {
            int i = (int) ws.sortKeys[k];
            int r = ws.surfelPairStart[i];
            for (int ty = rects[4 * i + 1]; ty < rects[4 * i + 3]; ty++) {
                for (int tx = rects[4 * i]; tx < rects[4 * i + 2]; tx++) {
                    int pos = count[ty * cam.tilesX + tx]++;
                    ws.pairSurfel[pos] = k;
                    ws.surfelPairPos[r++] = pos;
                }
            }
        }
    }
}
