package org.diff2dgs.splat.internal;

/**
 * Running per-pixel state of one tile while its surfels stream past (surfel-outer, pixel-inner, like one CUDA block
 * sharing a batch of splats). Index = local y * 16 + local x. Reused for every tile a thread renders.
 */
final class TilePixels {

    static final int N = SplatConstants.TILE * SplatConstants.TILE;

    // forward: transmittance and the running sums of every output
    final float[] t = new float[N];
    final float[] c0 = new float[N];
    final float[] c1 = new float[N];
    final float[] c2 = new float[N];
    final float[] depth = new float[N];
    final float[] n0 = new float[N];
    final float[] n1 = new float[N];
    final float[] n2 = new float[N];
    final float[] m1 = new float[N];
    final float[] m2 = new float[N];
    final float[] dist = new float[N];
    final float[] median = new float[N];
    final int[] medianIdx = new int[N];
    final int[] last = new int[N];
    final boolean[] done = new boolean[N];

    // backward: the "rest" of the back-to-front recursion and the upstream gradient of each output
    final float[] rest = new float[N];
    final float[] gc0 = new float[N];
    final float[] gc1 = new float[N];
    final float[] gc2 = new float[N];
    final float[] gDepth = new float[N];
    final float[] gAlpha = new float[N];
    final float[] gn0 = new float[N];
    final float[] gn1 = new float[N];
    final float[] gn2 = new float[N];
    final float[] gMedian = new float[N];
    final float[] gDist = new float[N];
    final float[] aTot = new float[N];
}
