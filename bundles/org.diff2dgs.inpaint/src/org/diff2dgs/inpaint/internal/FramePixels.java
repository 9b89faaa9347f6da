package org.diff2dgs.inpaint.internal;

import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.Sequence;

/**
 * Single samples of any frame's colour and depth, for the compositor, which reads the tissue where each chain found
 * it, in any frame of the clip. On {@link CompactFrames} the samples are read from the coded frames without
 * expanding them to floats (the same float values); on a clip held as floats, from its arrays.
 */
interface FramePixels {

    /** Colour sample k (planar index c * w * h + p) of frame f. */
    float colour(int f, int k);

    boolean hasDepth(int f);

    float depth(int f, int p);

    static FramePixels of(Sequence clip) {
        if (clip.frames() instanceof CompactFrames c) {
            return new FramePixels() {
                @Override
                public float colour(int f, int k) {
                    return c.image(f).get(k);
                }

                @Override
                public boolean hasDepth(int f) {
                    return c.depth(f) != null;
                }

                @Override
                public float depth(int f, int p) {
                    return c.depth(f).get(p);
                }
            };
        }
        return new FramePixels() {
            @Override
            public float colour(int f, int k) {
                return clip.frame(f).image().data()[k];
            }

            @Override
            public boolean hasDepth(int f) {
                return clip.frame(f).depth() != null;
            }

            @Override
            public float depth(int f, int p) {
                return clip.frame(f).depth().data()[p];
            }
        };
    }
}
