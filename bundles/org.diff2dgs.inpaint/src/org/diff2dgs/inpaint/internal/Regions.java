package org.diff2dgs.inpaint.internal;

import java.util.BitSet;

import org.diff2dgs.core.image.BinaryMorphology;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.model.FloatImage;

/**
 * The restored region of every frame (instrument mask after the options' erosion and dilation) and its one-pixel
 * outer ring, kept as bit sets: 156 frames at 640x512 take 6 MB.
 */
final class Regions {

    private final int width;
    private final int height;
    private final BitSet[] region;
    private final BitSet[] source;
    private final int band;
    private final int flowMargin;

    /**
     * @param sourceMask the instrument mask of each frame after erosion and a small dilation: outside it a frame's
     *                   pixels are trusted as tissue for propagation (a subset of the restored region)
     * @param band       width of the band around the source mask in which visible tissue is traced further for a
     *                   source farther from any instrument (away from shadows and blurred edges)
     * @param flowMargin pixels around the restored region that the flow's data term leaves out too
     */
    Regions(InpaintedClipWriter writer, java.util.function.IntFunction<FloatImage> sourceMask, int frames, int width,
            int height, int band, int flowMargin) {
        this.width = width;
        this.height = height;
        this.band = band;
        this.flowMargin = flowMargin;
        this.region = new BitSet[frames];
        this.source = new BitSet[frames];
        for (int t = 0; t < frames; t++) {
            region[t] = bits(writer.restoreRegion(t).data());
            BitSet s = bits(sourceMask.apply(t).data());
            s.and(region[t]);
            source[t] = s;
        }
    }

    private static BitSet bits(float[] r) {
        BitSet b = new BitSet(r.length);
        for (int p = 0; p < r.length; p++) {
            if (r[p] > 0.5f) {
                b.set(p);
            }
        }
        return b;
    }

    int band() {
        return band;
    }

    /** True when pixel p of frame t cannot serve as a source (an instrument or its immediate edge). */
    boolean unusable(int t, int p) {
        return source[t].get(p);
    }

    /** Distance of every pixel of frame t to its source mask (0 inside it). */
    float[] distanceToInstrument(int t) {
        boolean[] seed = new boolean[width * height];
        BitSet b = source[t];
        for (int p = b.nextSetBit(0); p >= 0; p = b.nextSetBit(p + 1)) {
            seed[p] = true;
        }
        return Chamfer.distance(seed, width, height);
    }

    int frames() {
        return region.length;
    }

    boolean hidden(int t, int p) {
        return region[t].get(p);
    }

    /**
     * 0 inside frame t's restored region grown by the flow margin, else 1: the weights of the flow's data term. The
     * instrument's shadow and blurred edge move with the instrument, not with the tissue, and reach past the restored
     * region (on the built-in scene the observed tissue 6-12 px from an instrument is still visibly darker than the
     * truth); left in, they drag the flow at the region's border, and the flow completion inside the region, which
     * takes its values from that border, carries the error into every chain through it.
     */
    float[] visible(int t) {
        float[] v = new float[width * height];
        java.util.Arrays.fill(v, 1f);
        BitSet b = region[t];
        boolean[] hidden = new boolean[width * height];
        for (int p = b.nextSetBit(0); p >= 0; p = b.nextSetBit(p + 1)) {
            hidden[p] = true;
        }
        hidden = BinaryMorphology.dilate(hidden, width, height, flowMargin);
        for (int p = 0; p < hidden.length; p++) {
            if (hidden[p]) {
                v[p] = 0f;
            }
        }
        return v;
    }

    FloatImage image(int t) {
        float[] v = new float[width * height];
        BitSet b = region[t];
        for (int p = b.nextSetBit(0); p >= 0; p = b.nextSetBit(p + 1)) {
            v[p] = 1f;
        }
        return new FloatImage(width, height, 1, v);
    }

    /**
     * The pixels traced for frame t, in raster order: the region and its outer one-pixel ring (observed tissue whose
     * mismatch with the propagated values drives the seam correction), and the band of visible tissue near the
     * instruments, which may find a better source farther back along the flow.
     */
    int[] workPixels(int t) {
        boolean[] m = new boolean[width * height];
        boolean[] s = new boolean[width * height];
        BitSet b = region[t];
        for (int p = b.nextSetBit(0); p >= 0; p = b.nextSetBit(p + 1)) {
            m[p] = true;
        }
        BitSet c = source[t];
        for (int p = c.nextSetBit(0); p >= 0; p = c.nextSetBit(p + 1)) {
            s[p] = true;
        }
        boolean[] grown = BinaryMorphology.dilate(m, width, height, 1);
        boolean[] near = BinaryMorphology.dilate(s, width, height, band);
        for (int p = 0; p < grown.length; p++) {
            grown[p] |= near[p];
        }
        int n = 0;
        for (boolean g : grown) {
            if (g) {
                n++;
            }
        }
        int[] px = new int[n];
        int k = 0;
        for (int p = 0; p < grown.length; p++) {
            if (grown[p]) {
                px[k++] = p;
            }
        }
        return px;
    }

    /**
     * The pixels the compositor reads candidates for, ascending: the restored region and its ring (observed pixels
     * with a restored 4-neighbour, whose mismatch drives the seam correction). A subset of {@link #workPixels}.
     */
    int[] composedPixels(int t) {
        BitSet b = region[t];
        BitSet out = (BitSet) b.clone();
        for (int p = b.nextSetBit(0); p >= 0; p = b.nextSetBit(p + 1)) {
            int x = p % width;
            int y = p / width;
            if (x > 0 && !b.get(p - 1)) {
                out.set(p - 1);
            }
            if (x < width - 1 && !b.get(p + 1)) {
                out.set(p + 1);
            }
            if (y > 0 && !b.get(p - width)) {
                out.set(p - width);
            }
            if (y < height - 1 && !b.get(p + width)) {
                out.set(p + width);
            }
        }
        return out.stream().toArray();
    }
}
