package org.diff2dgs.viewer.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.diff2dgs.viewer.api.OrbitView;
import org.junit.jupiter.api.Test;

/** Orbit keeps the eye on its sphere, pan moves in the view plane, zoom scales the distance; axes stay orthonormal. */
class OrbitViewTest {

    @Test
    void interactionsKeepTheirInvariants() {
        Random r = new Random(17);
        OrbitView v = new OrbitView(0.1, 0.2, 3.0, 0.3, 0.2, 2.5, Math.toRadians(50));
        for (int step = 0; step < 200; step++) {
            double[] target = {v.targetX(), v.targetY(), v.targetZ()};
            OrbitView o = v.orbit(r.nextGaussian() * 0.3, r.nextGaussian() * 0.3);
            assertEquals(v.distance(), dist(o.eye(), target), 1e-9);
            OrbitView p = v.pan(r.nextGaussian() * 0.1, r.nextGaussian() * 0.1);
            double[] moved = {p.targetX() - v.targetX(), p.targetY() - v.targetY(), p.targetZ() - v.targetZ()};
            assertEquals(0, dot(moved, v.forward()), 1e-9, "pan must not move along the view direction");
            OrbitView z = v.zoom(0.8);
            assertEquals(0.8 * v.distance(), dist(z.eye(), target), 1e-9);
            double[] f = o.forward();
            double[] right = o.right();
            double[] up = o.up();
            assertEquals(1, dot(f, f), 1e-9);
            assertEquals(1, dot(up, up), 1e-9);
            assertEquals(0, dot(f, right), 1e-9);
            assertEquals(0, dot(f, up), 1e-9);
            assertEquals(0, dot(right, up), 1e-9);
            v = o.pan(0.01, 0.02);
        }
    }

    @Test
    void neutralViewLooksAlongZWithUpMinusY() {
        OrbitView v = new OrbitView(0, 0, 0, 0, 0, 1, 1);
        assertEquals(1, v.forward()[2], 1e-12);
        assertEquals(-1, v.up()[1], 1e-12);
        assertEquals(1, v.right()[0], 1e-12);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double dist(double[] a, double[] b) {
        double dx = a[0] - b[0];
        double dy = a[1] - b[1];
        double dz = a[2] - b[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
