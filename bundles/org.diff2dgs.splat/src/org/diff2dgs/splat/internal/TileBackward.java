package org.diff2dgs.splat.internal;

import org.diff2dgs.core.api.RenderOutput;

/**
 * Backward pass of one tile, back to front from the saved final transmittance (3DGS/2DGS backward). Surfels stream
 * past in reverse depth order over the same pixel boxes as the forward, re-deriving its decisions from the same
 * gathered floats; for contributor k of a pixel:
 *
 * <pre>
 *   T_k = T_{k+1} / (1 - alpha_k),  w_k = alpha_k T_k
 *   f_k = dC.c_k + dD z_k + dA + dN.n_k + dDist (m_k^2 A + M2 - 2 m_k M1)      (A, M1, M2: final sums)
 *   dL/dalpha_k = T_k (f_k - r_k),  r_{k-1} = alpha_k f_k + (1 - alpha_k) r_k,  r_last = dC.background
 *   dL/dz_k = dD w_k + 2 dDist w_k (m_k A - M1) dm/dz + [k = median] dMedian
 * </pre>
 *
 * then through the clamp, G, rho (either branch), the intersection depth z = Tw.(u, v, 1) and (u, v) = p_xy / p_z
 * with p = x A + y B + C'. The distortion gradient uses that its sum over pairs i > j of w_i w_j (m_i - m_j)^2 has
 * dDist/dw_k = sum_j w_j (m_k - m_j)^2 over all j. Each surfel's sums over the tile's pixels go to this tile's own
 * slot of the per-pair gradient buffer: no two tiles write the same memory, and no result depends on scheduling.
 */
final class TileBackward {

    private TileBackward() {
    }

    static void backward(Workspace ws, int tile, TileScratch scratch, float[] dColor, float[] dOthers) {
        CameraModel cam = ws.camera;
        int x0 = tile % cam.tilesX * SplatConstants.TILE;
        int y0 = tile / cam.tilesX * SplatConstants.TILE;
        int tw = Math.min(SplatConstants.TILE, cam.width - x0);
        int th = Math.min(SplatConstants.TILE, cam.height - y0);
        int start = ws.tileStart[tile];
        float[] b = scratch.tileBuffer(ws.tileStart[tile + 1] - start);
        int count = TileGather.gather(ws, tile, x0, y0, b);
        if (count == 0) {
            return;
        }
        TilePixels px = scratch.pixels;
        boolean aux = dOthers != null;
        load(ws, px, x0, y0, tw, th, dColor, dOthers);
        float near = ws.near;
        float mapScale = ws.far / (ws.far - ws.near);
        float slopeScale = ws.far * ws.near / (ws.far - ws.near);
        float filter = TileForward.FILTER;
        float[] pg = ws.pairGrad;
        float[] tt = px.t;
        float[] rest = px.rest;
        int[] last = px.last;
        float[] gc0s = px.gc0;
        float[] gc1s = px.gc1;
        float[] gc2s = px.gc2;
        float[] aTots = px.aTot;
        float[] m1s = px.m1;
        float[] m2s = px.m2;
        float[] gn0s = px.gn0;
        float[] gn1s = px.gn1;
        float[] gn2s = px.gn2;
        float[] gDepths = px.gDepth;
        float[] gDists = px.gDist;
        float[] gAlphas = px.gAlpha;
        float[] gMedians = px.gMedian;
        int[] medianIdx = px.medianIdx;

        for (int j = count - 1; j >= 0; j--) {
            int o = j * TileGather.STRIDE;
            int q = (start + j) * Workspace.PG_STRIDE;
            java.util.Arrays.fill(pg, q, q + Workspace.PG_STRIDE, 0f);
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
            // this surfel's gradient sums over the tile (see Workspace.PG_*). The per-pixel terms are float, as on
            // the device; their sums are kept in double so that this twin's own rounding (up to 256 sequential adds
            // with cancellation in A, B, C) stays well below the device's pairwise float sums it is checked against.
            double gAx = 0, gAy = 0, gAz = 0, gBx = 0, gBy = 0, gBz = 0, gCx = 0, gCy = 0, gCz = 0;
            double gTx = 0, gTy = 0, gTz = 0, gCentreX = 0, gCentreY = 0, gOpacity = 0;
            double gR = 0, gG = 0, gB = 0, gNx = 0, gNy = 0, gNz = 0;
            for (int ly = iy0; ly <= iy1; ly++) {
                float fy = ly + 0.5f;
                float rowZ = bz * fy + cz;
                float rowX = bx * fy + cx;
                float rowY = by * fy + cy;
                float dy = centreY - fy;
                for (int lx = ix0; lx <= ix1; lx++) {
                    int p = ly * SplatConstants.TILE + lx;
                    if (j >= last[p]) {
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
                    float rho2 = filter * (dx * dx + dy * dy);
                    boolean splatBranch = rho3 <= rho2;
                    float rho = splatBranch ? rho3 : rho2;
                    if (rho > cut) {
                        continue;
                    }
                    float depth = sx * twx + sy * twy + twz;
                    if (depth < near) {
                        continue;
                    }
                    float g = (float) Math.exp(-0.5f * rho);
                    float raw = opacity * g;
                    float alpha = Math.min(TileForward.ALPHA_MAX, raw);
                    if (alpha < TileForward.ALPHA_MIN) {
                        continue;
                    }
                    float t = tt[p] / (1f - alpha);
                    tt[p] = t;
                    float w = alpha * t;
                    float gc0 = gc0s[p];
                    float gc1 = gc1s[p];
                    float gc2 = gc2s[p];
                    float f = gc0 * cr + gc1 * cg + gc2 * cb;
                    float dz = 0f;
                    if (aux) {
                        float aTot = aTots[p];
                        float m1 = m1s[p];
                        float gN0 = gn0s[p];
                        float gN1 = gn1s[p];
                        float gN2 = gn2s[p];
                        float gD = gDepths[p];
                        float gDist = gDists[p];
                        float m = mapScale * (1f - near / depth);
                        f += gAlphas[p] + gD * depth + gN0 * nx + gN1 * ny + gN2 * nz
                                + gDist * (m * m * aTot + m2s[p] - 2f * m * m1);
                        dz = gD * w + gDist * 2f * w * (m * aTot - m1) * (slopeScale / (depth * depth));
                        if (j == medianIdx[p]) {
                            dz += gMedians[p];
                        }
                        gNx += w * gN0;
                        gNy += w * gN1;
                        gNz += w * gN2;
                    }
                    gR += w * gc0;
                    gG += w * gc1;
                    gB += w * gc2;
                    float dAlpha = t * (f - rest[p]);
                    rest[p] = alpha * f + (1f - alpha) * rest[p];
                    // At the 0.99 clamp alpha no longer depends on opacity or G.
                    float gRho = 0f;
                    if (raw <= TileForward.ALPHA_MAX) {
                        gOpacity += g * dAlpha;
                        gRho = -0.5f * g * opacity * dAlpha;
                    }
                    float gsx = dz * twx;
                    float gsy = dz * twy;
                    if (splatBranch) {
                        gsx += 2f * sx * gRho;
                        gsy += 2f * sy * gRho;
                    } else {
                        float k = 2f * filter * gRho;
                        gCentreX += k * dx;
                        gCentreY += k * dy;
                    }
                    gTx += dz * sx;
                    gTy += dz * sy;
                    gTz += dz;
                    float gpx = gsx * inv;
                    float gpy = gsy * inv;
                    float gpz = -(gsx * sx + gsy * sy) * inv;
                    gAx += fx * gpx;
                    gAy += fx * gpy;
                    gAz += fx * gpz;
                    gBx += fy * gpx;
                    gBy += fy * gpy;
                    gBz += fy * gpz;
                    gCx += gpx;
                    gCy += gpy;
                    gCz += gpz;
                }
            }
            pg[q + Workspace.PG_A] = (float) gAx;
            pg[q + Workspace.PG_A + 1] = (float) gAy;
            pg[q + Workspace.PG_A + 2] = (float) gAz;
            pg[q + Workspace.PG_B] = (float) gBx;
            pg[q + Workspace.PG_B + 1] = (float) gBy;
            pg[q + Workspace.PG_B + 2] = (float) gBz;
            pg[q + Workspace.PG_C] = (float) gCx;
            pg[q + Workspace.PG_C + 1] = (float) gCy;
            pg[q + Workspace.PG_C + 2] = (float) gCz;
            pg[q + Workspace.PG_TW] = (float) gTx;
            pg[q + Workspace.PG_TW + 1] = (float) gTy;
            pg[q + Workspace.PG_TW + 2] = (float) gTz;
            pg[q + Workspace.PG_CENTRE] = (float) gCentreX;
            pg[q + Workspace.PG_CENTRE + 1] = (float) gCentreY;
            pg[q + Workspace.PG_OPACITY] = (float) gOpacity;
            pg[q + Workspace.PG_COLOR] = (float) gR;
            pg[q + Workspace.PG_COLOR + 1] = (float) gG;
            pg[q + Workspace.PG_COLOR + 2] = (float) gB;
            pg[q + Workspace.PG_NORMAL] = (float) gNx;
            pg[q + Workspace.PG_NORMAL + 1] = (float) gNy;
            pg[q + Workspace.PG_NORMAL + 2] = (float) gNz;
        }
    }

    /** Per-pixel start of the backward recursion: final T, contributor indices and upstream gradients. */
    private static void load(Workspace ws, TilePixels px, int x0, int y0, int tw, int th, float[] dColor,
            float[] dOthers) {
        int w = ws.camera.width;
        int hw = ws.camera.pixels();
        java.util.Arrays.fill(px.last, 0);
        for (int ly = 0; ly < th; ly++) {
            for (int lx = 0; lx < tw; lx++) {
                int p = ly * SplatConstants.TILE + lx;
                int pix = (y0 + ly) * w + x0 + lx;
                float t = ws.finalT[pix];
                px.t[p] = t;
                px.last[p] = ws.lastContributor[pix];
                px.medianIdx[p] = ws.medianContributor[pix];
                px.m1[p] = ws.finalM1[pix];
                px.m2[p] = ws.finalM2[pix];
                px.aTot[p] = 1f - t;
                float g0 = dColor[pix];
                float g1 = dColor[hw + pix];
                float g2 = dColor[2 * hw + pix];
                px.gc0[p] = g0;
                px.gc1[p] = g1;
                px.gc2[p] = g2;
                px.rest[p] = g0 * ws.background[0] + g1 * ws.background[1] + g2 * ws.background[2];
                if (dOthers != null) {
                    px.gDepth[p] = dOthers[RenderOutput.AUX_DEPTH * hw + pix];
                    px.gAlpha[p] = dOthers[RenderOutput.AUX_ALPHA * hw + pix];
                    px.gn0[p] = dOthers[RenderOutput.AUX_NORMAL * hw + pix];
                    px.gn1[p] = dOthers[(RenderOutput.AUX_NORMAL + 1) * hw + pix];
                    px.gn2[p] = dOthers[(RenderOutput.AUX_NORMAL + 2) * hw + pix];
                    px.gMedian[p] = dOthers[RenderOutput.AUX_MEDIAN_DEPTH * hw + pix];
                    px.gDist[p] = dOthers[RenderOutput.AUX_DISTORTION * hw + pix];
                }
            }
        }
    }
}
