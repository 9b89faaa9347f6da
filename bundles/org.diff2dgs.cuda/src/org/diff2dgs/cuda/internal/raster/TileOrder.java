package org.diff2dgs.cuda.internal.raster;

import java.util.Arrays;

/**
 * Java twin of tile_order.cuh and binning_tile_order (binning.cu): the render blocks' heavy-tiles-first order. A tile's
 * bucket is its entry count on a quarter-octave scale, heaviest first, empty tiles last; the device orders tiles within
 * a bucket as its shared atomics come, this twin by tile index (the CPU stand-in driver does the same).
 */
public final class TileOrder {

    /** tile_order.cuh TILE_ORDER_LEVELS and TILE_ORDER_BUCKETS. */
    public static final int LEVELS = 128;
    public static final int BUCKETS = LEVELS + 1;

    private TileOrder() {
    }

    /** tile_order_bucket: 0 for the heaviest level, {@link #BUCKETS} - 1 for a tile without entries. */
    public static int bucket(int count) {
        if (count <= 0) {
            return BUCKETS - 1;
        }
        int e = 31 - Integer.numberOfLeadingZeros(count);
        int frac = e >= 2 ? (count >> (e - 2)) & 3 : (count << (2 - e)) & 3;
        return LEVELS - 1 - (4 * e + frac);
    }

    /** The order of the tiles whose [start, end) entries are {@code ranges} (2 ints per tile), ties by index. */
    public static int[] order(int[] ranges, int tiles) {
        int[] start = new int[BUCKETS + 1];
        for (int t = 0; t < tiles; t++) {
            start[bucket(ranges[2 * t + 1] - ranges[2 * t]) + 1]++;
        }
        for (int b = 0; b < BUCKETS; b++) {
            start[b + 1] += start[b];
        }
        int[] order = new int[tiles];
        for (int t = 0; t < tiles; t++) {
            order[start[bucket(ranges[2 * t + 1] - ranges[2 * t])]++] = t;
        }
        return order;
    }

    /**
     * Null when {@code order} is a heavy-first order of the tiles (a permutation whose buckets never decrease), else
     * what is wrong with it; the device's order within a bucket is free.
     */
    public static String problem(int[] order, int[] ranges, int tiles) {
        boolean[] seen = new boolean[tiles];
        int previous = 0;
        for (int i = 0; i < tiles; i++) {
            int t = order[i];
            if (t < 0 || t >= tiles || seen[t]) {
                return "position " + i + " holds tile " + t + " (not a permutation of " + tiles + " tiles)";
            }
            seen[t] = true;
            int b = bucket(ranges[2 * t + 1] - ranges[2 * t]);
            if (b < previous) {
                return "position " + i + ": tile " + t + " of bucket " + b + " after bucket " + previous;
            }
            previous = b;
        }
        return null;
    }

    /** Entries per tile, for messages: {@code counts[t] = end - start}. */
    public static int[] counts(int[] ranges, int tiles) {
        int[] c = new int[tiles];
        Arrays.setAll(c, t -> ranges[2 * t + 1] - ranges[2 * t]);
        return c;
    }
}
