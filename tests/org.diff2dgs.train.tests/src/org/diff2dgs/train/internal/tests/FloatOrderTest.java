package org.diff2dgs.train.internal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.diff2dgs.train.internal.FloatOrder;
import org.diff2dgs.train.internal.PointCloudInitializer;
import org.junit.jupiter.api.Test;

/**
 * The initializer's percentiles come from counted order statistics (FloatOrder) instead of a sort: every rank must
 * equal the sorted array's entry, duplicates, signed zeros, subnormals and NaN included.
 */
class FloatOrderTest {

    @Test
    void percentilesEqualTheSortedArraysEntries() {
        SplittableRandom r = new SplittableRandom(41);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(50_000);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                // quantized depth (many exact duplicates), a few zeros, negatives, infinities and NaN to skip
                int kind = r.nextInt(100);
                v[i] = kind < 2 ? 0f : kind < 3 ? -r.nextFloat() : kind < 4 ? Float.POSITIVE_INFINITY
                        : kind < 5 ? Float.NaN : (r.nextInt(4000) + 1) * 0.0013f;
            }
            float[] positive = Arrays.stream(toDouble(v)).filter(x -> x > 0 && Double.isFinite(x))
                    .collect(() -> new FloatList(), (l, x) -> l.add((float) x), FloatList::addAll).toArray();
            Arrays.sort(positive);
            double lo = r.nextDouble();
            double hi = r.nextDouble();
            float[] got = PointCloudInitializer.percentiles(v, lo, hi);
            int m = positive.length;
            if (m == 0) {
                assertEquals(0f, got[0]);
                continue;
            }
            assertEquals(positive[(int) Math.floor(lo * (m - 1))], got[0], "trial " + trial + " low");
            assertEquals(positive[(int) Math.ceil(hi * (m - 1))], got[1], "trial " + trial + " high");
        }
    }

    @Test
    void everyRankOfMixedValuesMatchesArraysSort() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 3000;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            v[i] = switch (kind) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> Float.NaN;
                case 3 -> Float.MIN_VALUE * r.nextInt(1, 5);
                case 4 -> Float.NEGATIVE_INFINITY;
                default -> (float) r.nextDouble(-1e6, 1e6);
            };
        }
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        FloatOrder order = FloatOrder.of(v, n);
        long[] ranks = new long[n];
        for (int i = 0; i < n; i++) {
            ranks[i] = i;
        }
        float[] got = order.at(ranks);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(sorted[i]), Float.floatToIntBits(got[i]), "rank " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> order.at(n));
        assertEquals(n, order.count());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static final class FloatList {
        float[] data = new float[16];
        int size;

        void add(float x) {
            if (size == data.length) {
                data = Arrays.copyOf(data, 2 * size);
            }
            data[size++] = x;
        }

        void addAll(FloatList o) {
            for (int i = 0; i < o.size; i++) {
                add(o.data[i]);
            }
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
