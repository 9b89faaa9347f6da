package org.diff2dgs.train.internal;

import java.util.stream.IntStream;

/**
 * Exact order statistics of many floats without sorting them: the values' bit patterns, mapped so that unsigned
 * order is {@link Float#compare} order (what Arrays.sort gives, -0 before +0, NaN last), are counted in 65536 bins of
 * their high 16 bits; a second scan counts the low 16 bits inside the bins that hold the asked ranks. Two linear scans
 * instead of an O(n log n) sort of a copy; the values are produced part by part (a frame, say) into a reused buffer,
 * so a stream of 27 million per-pixel differences (the motion mask of a 96-frame 640x512 clip) is never stored, and
 * the parts are counted in parallel.
 */
public final class FloatOrder {

    /** Produces the values of one part; may run on several threads at once for different parts. */
    public interface Parts {
        /** How many parts there are. */
        int count();

        /** The most values one part produces. */
        int capacity();

        /** Writes part {@code p}'s values to the start of {@code into} and returns how many it wrote. */
        int fill(int p, float[] into);
    }

    private static final int BINS = 1 << 16;

    private final Parts parts;
    private final long[] high;
    private final long count;

    private FloatOrder(Parts parts, long[] high) {
        this.parts = parts;
        this.high = high;
        long n = 0;
        for (long c : high) {
            n += c;
        }
        this.count = n;
    }

    /** Scans the parts once (in parallel) and counts the values by their high bits. */
    public static FloatOrder of(Parts parts) {
        long[] high = IntStream.range(0, parts.count()).parallel().collect(() -> new Scan(parts.capacity(), null),
                (s, p) -> s.high(p, parts), Scan::merge).counts;
        return new FloatOrder(parts, high);
    }

    /** The first {@code n} values of an array, in one part. */
    public static FloatOrder of(float[] values, int n) {
        return of(new Parts() {
            @Override
            public int count() {
                return 1;
            }

            @Override
            public int capacity() {
                return n;
            }

            @Override
            public int fill(int p, float[] into) {
                System.arraycopy(values, 0, into, 0, n);
                return n;
            }
        });
    }

    /** How many values the parts produced. */
    public long count() {
        return count;
    }

    /**
     * The values at the given 0-based ranks of the sorted order (sorted[rank]), by one more scan of the parts.
     *
     * @throws IllegalArgumentException when a rank is outside [0, count)
     */
    public float[] at(long... ranks) {
        int[] bin = new int[ranks.length];
        long[] within = new long[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            if (ranks[r] < 0 || ranks[r] >= count) {
                throw new IllegalArgumentException("rank " + ranks[r] + " outside 0.." + (count - 1));
            }
            long below = 0;
            int b = 0;
            while (below + high[b] <= ranks[r]) {
                below += high[b++];
            }
            bin[r] = b;
            within[r] = ranks[r] - below;
        }
        // each distinct bin once
        int[] bins = IntStream.of(bin).distinct().toArray();
        long[][] low = IntStream.range(0, parts.count()).parallel().collect(() -> new Scan(parts.capacity(), bins),
                (s, p) -> s.low(p, parts), Scan::merge).lowCounts;
        float[] out = new float[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            long[] c = low[indexOf(bins, bin[r])];
            long below = 0;
            int l = 0;
            while (below + c[l] <= within[r]) {
                below += c[l++];
            }
            out[r] = value((bin[r] << 16) | l);
        }
        return out;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    /** Unsigned-comparable key of a float: Float.compare order (positive: sign bit set; negative: all bits flipped). */
    static int key(float v) {
        int bits = Float.floatToIntBits(v);
        return bits ^ ((bits >> 31) | 0x80000000);
    }

    static float value(int key) {
        int bits = key < 0 ? key ^ 0x80000000 : ~key;
        return Float.intBitsToFloat(bits);
    }

    /** One thread's counts and buffer. */
    private static final class Scan {
        final float[] buffer;
        final int[] bins;
        long[] counts;
        long[][] lowCounts;

        Scan(int capacity, int[] bins) {
            buffer = new float[capacity];
            this.bins = bins;
            if (bins == null) {
                counts = new long[BINS];
            } else {
                lowCounts = new long[bins.length][BINS];
            }
        }

        void high(int p, Parts parts) {
            int n = parts.fill(p, buffer);
            long[] c = counts;
            for (int i = 0; i < n; i++) {
                c[key(buffer[i]) >>> 16]++;
            }
        }

        void low(int p, Parts parts) {
            int n = parts.fill(p, buffer);
            for (int i = 0; i < n; i++) {
                int k = key(buffer[i]);
                int b = k >>> 16;
                for (int j = 0; j < bins.length; j++) {
                    if (bins[j] == b) {
                        lowCounts[j][k & 0xFFFF]++;
                    }
                }
            }
        }

        void merge(Scan other) {
            if (counts != null) {
                for (int i = 0; i < BINS; i++) {
                    counts[i] += other.counts[i];
                }
            } else {
                for (int j = 0; j < lowCounts.length; j++) {
                    for (int i = 0; i < BINS; i++) {
                        lowCounts[j][i] += other.lowCounts[j][i];
                    }
                }
            }
        }
    }
}
