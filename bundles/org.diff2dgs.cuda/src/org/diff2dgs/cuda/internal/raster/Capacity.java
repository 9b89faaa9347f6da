package org.diff2dgs.cuda.internal.raster;

/**
 * Growth policy of the rasterizer's device buffers: keep what is there when it is enough, else grow by half again
 * (at least to what is needed), so that a slowly growing surfel count reallocates O(log n) times, not every call.
 */
public final class Capacity {

    private Capacity() {
    }

    /** New capacity in elements for {@code need} elements, given {@code have}; at least 1. */
    public static long grow(long have, long need) {
        if (need < 0 || have < 0) {
            throw new IllegalArgumentException("capacity: have " + have + ", need " + need);
        }
        if (need <= have) {
            return Math.max(1, have);
        }
        return Math.max(Math.max(1, need), have + have / 2);
    }
}
