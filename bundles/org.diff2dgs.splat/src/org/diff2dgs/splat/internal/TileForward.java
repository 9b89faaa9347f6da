package org.diff2dgs.splat.internal;

import org.diff2dgs.core.api.RenderOutput;

/**
 * Stage 3: front-to-back blending of one 16x16 tile in float (2DGS Sec. 4; 3DGS Eq. 3). Per pixel: ray-splat
 * intersection (u, v) through adj(H), Gaussian G = exp(-rho / 2) with rho = min(u^2 + v^2, 2 |x - c|^2) (Eq. 11),
 * alpha = min(0.99, opacity G), skip alpha < 1/255, stop before T < 1e-4. Writes colour, the 7 auxiliary channels
 * and what the backward pass needs (final T, last and median contributor, the distortion sums).
 *
 * <p>
 * Surfels stream past in depth order and each visits only the pixels of its box where alpha can reach 1/255
 * (elsewhere the original would skip it too), so the work follows the surfels' footprints, not tiles x lists.
 */
final class TileForward {

    static final float ALPHA_MAX = (float) SplatConstants.ALPHA_MAX;
    static final float ALPHA_MIN = (float) SplatConstants.ALPHA_MIN;
    static final float T_MIN = (float) SplatConstants.T_MIN;
    static final float MEDIAN_T = (float) SplatConstants.MEDIAN_T;
    static final float FILTER = (float) SplatConstants.FILTER_INV_SQUARE;

    private TileForward() {
    }

    static void render(Workspace ws, int tile, TileScratch scratch, float[] color, float[] others) {
        CameraModel cam = ws.camera;
        int x0 = tile % cam.tilesX * SplatConstants.TILE;
        int y0 = tile / cam.tilesX * SplatConstants.TILE;
        int tw = Math.min(SplatConstants.TILE, cam.width - x0);
        int th = Math.min(SplatConstants.TILE, cam.height - y0);
        float[] b = scratch.tileBuffer(ws.tileStart[tile + 1] - ws.tileStart[tile]);
        int count = TileGather.gather(ws, tile, x0, y0, b);
        TilePixels px = scratch.pixels;
        reset(px);
        float near = ws.near;
        float mapScale = ws.far / (ws.far - ws.near);
        float[] tt = px.t;
        boolean[] done = px.done;
        float[] sumM1 = px.m1;
        float[] sumM2 = px.m2;
        float[] dist = px.dist;
        float[] dSum = px.depth;
        float[] median = px.median;
        int[] medianIdx = px.medianIdx;
        float[] n0 = px.n0;
        float[] n1 = px.n1;
        float[] n2 = px.n2;
        float[] c0 = px.c0;
        float[] c1 = px.c1;
        float[] c2 = px.c2;
        int[] last = px.last;

        for (int j = 0; j < count; j++) {
            int o = j * TileGather.STRIDE;
            int ix0 = TileGather.firstPixel(b[o + TileGather.BOX]);
            int iy0 = TileGather.firstPixel(b[o + TileGather.BOX + 1]);
            int ix1 = TileGather.lastPixel(b[o + TileGather.BOX + 2], tw);
            int iy1 = TileGather.lastPixel(b[o + TileGather.BOX + 3], th);
            if (ix0 > ix1 || iy0 > iy1) {
                continue;
            }
            float ax = b[o];
            float ay = b[o + 1];
            float az = b[o + 2];
            float bx = b[o + 3];
            float by = b[o + 4];
            float bz = b[o + 5];
            float cx = b[o + 6];
            float cy = b[o + 7];
            float cz = b[o + 8];
            float twx = b[o + 9];
            float twy = b[o + 10];
            float twz = b[o + 11];
            float centreX = b[o + TileGather.CENTRE];
            float centreY = b[o + TileGather.CENTRE + 1];
            float opacity = b[o + TileGather.OPACITY];
            float cut = b[o + TileGather.RHO_CUT];
            float nx = b[o + TileGather.NORMAL];
            float ny = b[o + TileGather.NORMAL + 1];
            float nz = b[o + TileGather.NORMAL + 2];
            float cr = b[o + TileGather.COLOR];
            float cg = b[o + TileGather.COLOR + 1];
            float cb = b[o + TileGather.COLOR + 2];
            for (int ly = iy0; ly <= iy1; ly++) {
                float fy = ly + 0.5f;
                float rowZ = bz * fy + cz;
                float rowX = bx * fy + cx;
                float rowY = by * fy + cy;
                float dy = centreY - fy;
                for (int lx = ix0; lx <= ix1; lx++) {
                    int p = ly * SplatConstants.TILE + lx;
                    if (done[p]) {
                        continue;
                    }
                    float fx = lx + 0.5f;
                    float pz = az * fx + rowZ;
                    if (pz == 0f) {
                        continue;
                    }
                    float inv = 1f / pz;
                    float sx = (ax * fx + rowX) * inv;
                    float sy = (ay * fx + rowY) * inv;
                    float rho3 = sx * sx + sy * sy;
                    float dx = centreX - fx;
                    float rho2 = FILTER * (dx * dx + dy * dy);
                    float rho = rho3 <= rho2 ? rho3 : rho2;
                    if (rho > cut) {
                        continue;
                    }
                    float depth = sx * twx + sy * twy + twz;
                    if (depth < near) {
                        continue;
                    }
                    float g = (float) Math.exp(-0.5f * rho);
                    float alpha = Math.min(ALPHA_MAX, opacity * g);
                    if (alpha < ALPHA_MIN) {
                        continue;
                    }
                    float t = tt[p];
                    float nextT = t * (1f - alpha);
                    if (nextT < T_MIN) {
                        done[p] = true;
                        continue;
                    }
                    float w = alpha * t;
                    // Distortion (2DGS Sec. 4.1 / appendix) with depths mapped to [0, 1] between near and far.
                    float m = mapScale * (1f - near / depth);
                    float pm1 = sumM1[p];
                    float pm2 = sumM2[p];
                    dist[p] += (m * m * (1f - t) + pm2 - 2f * m * pm1) * w;
                    sumM1[p] = pm1 + m * w;
                    sumM2[p] = pm2 + m * m * w;
                    dSum[p] += depth * w;
                    if (t > MEDIAN_T) {
                        median[p] = depth;
                        medianIdx[p] = j;
                    }
                    n0[p] += nx * w;
                    n1[p] += ny * w;
                    n2[p] += nz * w;
                    c0[p] += cr * w;
                    c1[p] += cg * w;
                    c2[p] += cb * w;
                    tt[p] = nextT;
                    last[p] = j + 1;
                }
            }
        }
        write(ws, px, x0, y0, tw, th, color, others);
    }

    private static void reset(TilePixels px) {
        java.util.Arrays.fill(px.t, 1f);
        java.util.Arrays.fill(px.c0, 0f);
        java.util.Arrays.fill(px.c1, 0f);
        java.util.Arrays.fill(px.c2, 0f);
        java.util.Arrays.fill(px.depth, 0f);
        java.util.Arrays.fill(px.n0, 0f);
        java.util.Arrays.fill(px.n1, 0f);
        java.util.Arrays.fill(px.n2, 0f);
        java.util.Arrays.fill(px.m1, 0f);
        java.util.Arrays.fill(px.m2, 0f);
        java.util.Arrays.fill(px.dist, 0f);
        java.util.Arrays.fill(px.median, 0f);
        java.util.Arrays.fill(px.medianIdx, -1);
        java.util.Arrays.fill(px.last, 0);
        java.util.Arrays.fill(px.done, false);
    }

    private static void write(Workspace ws, TilePixels px, int x0, int y0, int tw, int th, float[] color,
            float[] others) {
        int w = ws.camera.width;
        int hw = ws.camera.pixels();
        float bg0 = ws.background[0];
        float bg1 = ws.background[1];
        float bg2 = ws.background[2];
        for (int ly = 0; ly < th; ly++) {
            for (int lx = 0; lx < tw; lx++) {
                int p = ly * SplatConstants.TILE + lx;
                int pix = (y0 + ly) * w + x0 + lx;
                float t = px.t[p];
                color[pix] = px.c0[p] + t * bg0;
                color[hw + pix] = px.c1[p] + t * bg1;
                color[2 * hw + pix] = px.c2[p] + t * bg2;
                others[RenderOutput.AUX_DEPTH * hw + pix] = px.depth[p];
                others[RenderOutput.AUX_ALPHA * hw + pix] = 1f - t;
                others[RenderOutput.AUX_NORMAL * hw + pix] = px.n0[p];
                others[(RenderOutput.AUX_NORMAL + 1) * hw + pix] = px.n1[p];
                others[(RenderOutput.AUX_NORMAL + 2) * hw + pix] = px.n2[p];
                others[RenderOutput.AUX_MEDIAN_DEPTH * hw + pix] = px.median[p];
                others[RenderOutput.AUX_DISTORTION * hw + pix] = px.dist[p];
                ws.finalT[pix] = t;
                ws.finalM1[pix] = px.m1[p];
                ws.finalM2[pix] = px.m2[p];
                ws.lastContributor[pix] = px.last[p];
                ws.medianContributor[pix] = px.medianIdx[p];
            }
        }
    }
}
