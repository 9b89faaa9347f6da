package org.diff2dgs.viewer.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import org.diff2dgs.viewer.api.OrbitView;
import org.junit.jupiter.api.Test;

/** Back-to-front order of the viewer's radix sort equals a plain comparison sort of the view distances. */
class DepthSortTest {

    @Test
    void radixOrderMatchesComparisonSort() throws Exception {
        int n = 20_000;
        Random r = new Random(5);
        float[] c = new float[3 * n];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (r.nextGaussian() * 3);
        }
        OrbitView v = new OrbitView(0.3, -0.2, 0.5, 0.7, -0.4, 6, 1);
        double[] eye = v.eye();
        double[] f = v.forward();
        int[] order = new int[n];
        Class<?> sortClass = Class.forName("org.diff2dgs.viewer.internal.DepthSort");
        var ctor = sortClass.getDeclaredConstructor();
        ctor.setAccessible(true);
        Object sort = ctor.newInstance();
        var m = sortClass.getDeclaredMethod("backToFront", float[].class, int.class, double[].class, double[].class,
                int[].class);
        m.setAccessible(true);
        m.invoke(sort, c, n, eye, f, order);
        float[] dist = new float[n];
        for (int i = 0; i < n; i++) {
            dist[i] = (float) -((c[3 * i] - eye[0]) * f[0] + (c[3 * i + 1] - eye[1]) * f[1]
                    + (c[3 * i + 2] - eye[2]) * f[2]);
        }
        int[] expected = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> dist[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, order);
    }
}
