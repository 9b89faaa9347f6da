package org.diff2dgs.dataset.synthetic.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Blood vessels as branching random walks in material coordinates: each walker meanders with a slowly drifting
 * curvature, tapers, and splits into thinner children (a parent loses some width at a split, roughly as Murray's law
 * has it). Three layers: deep vessels seen blurred through the serosa, superficial ones sharp, and dense tortuous
 * capillaries. The result is a list of line segments with a width and a strength.
 */
final class VesselNetwork {

    static final int DEEP = 0;
    static final int SUPERFICIAL = 1;
    static final int CAPILLARY = 2;

    /** Hard cap so an absurd request cannot exhaust memory; the default scene makes far fewer. */
    private static final int MAX_SEGMENTS = 3_000_000;

    private int count;
    /** Area covered by the current layer's vessels so far (sum of width x step, mm^2). */
    private double ink;
    private float[] x0 = new float[1024];
    private float[] y0 = new float[1024];
    private float[] x1 = new float[1024];
    private float[] y1 = new float[1024];
    private float[] width = new float[1024];
    private float[] strength = new float[1024];
    private byte[] layer = new byte[1024];

    private record Walker(double x, double y, double angle, double width, double length, double strength,
            int layer) {
    }

    /**
     * Grows each layer tree by tree until its vessels cover the layer's share of the area. A budget of area rather
     * than a count of trees keeps the amount of vessel texture, and so the image statistics, steady across seeds:
     * tree sizes vary a lot because children branch again.
     */
    static VesselNetwork grow(Bounds area, TissueParameters.Vessels p, long seed) {
        VesselNetwork net = new VesselNetwork();
        SplittableRandom random = new SplittableRandom(seed);
        double total = area.width() * area.height();
        for (int kind : new int[] {DEEP, SUPERFICIAL, CAPILLARY}) {
            net.growLayer(area, random, kind, p.cover()[kind] * total, p.widthMin()[kind], p.widthMax()[kind], p);
        }
        return net;
    }

    private void growLayer(Bounds area, SplittableRandom random, int kind, double budget, double wMin, double wMax,
            TissueParameters.Vessels p) {
        ArrayDeque<Walker> pending = new ArrayDeque<>();
        int parents = count;
        ink = 0;
        // each tree adds at least its first step; the cap only guards against a budget no tree can fill
        for (int r = 0; ink < budget && r < 1_000_000 && count < MAX_SEGMENTS; r++) {
            double w = wMin + (wMax - wMin) * random.nextDouble() * random.nextDouble();
            double x = area.xMin() + area.width() * random.nextDouble();
            double y = area.yMin() + area.height() * random.nextDouble();
            double angle = random.nextDouble() * 2 * Math.PI;
            if (kind == CAPILLARY && parents > 0) {
                // capillaries sprout from the vessels already grown, so the network stays connected
                int s = random.nextInt(parents);
                x = x1[s];
                y = y1[s];
                double along = StrictMath.atan2(y1[s] - y0[s], x1[s] - x0[s]);
                angle = along + (random.nextBoolean() ? 1 : -1) * (0.6 + 0.9 * random.nextDouble());
            }
            pending.push(new Walker(x, y, angle, w, w * p.lengthPerWidth()[kind], 0.7 + 0.3 * random.nextDouble(),
                    kind));
            while (!pending.isEmpty()) {
                walk(pending.pop(), pending, area, random, p);
            }
        }
    }

    private void walk(Walker start, ArrayDeque<Walker> pending, Bounds area, SplittableRandom random,
            TissueParameters.Vessels p) {
        // capillaries wind tightly, deep vessels run smooth
        double wander = p.wander()[start.layer];
        double x = start.x;
        double y = start.y;
        double angle = start.angle;
        double w = start.width;
        double left = start.length;
        double curvature = 0;
        double margin = 5;
        // a deep vessel is seen only as a blur a few tenths of a millimetre wide: thinner ones would not show
        double minWidth = start.layer == DEEP ? p.deepMinWidth() : p.minWidth();
        while (w >= minWidth && left > 0 && x > area.xMin() - margin && x < area.xMax() + margin
                && y > area.yMin() - margin && y < area.yMax() + margin) {
            if (count >= MAX_SEGMENTS) {
                return;
            }
            // steps below 0.12 mm would not change what a texel sees: vessels bend over millimetres
            double step = Math.min(Math.max(1.2 * w, 0.12), 0.8);
            curvature = 0.6 * curvature + wander * gaussian(random) * Math.sqrt(step);
            angle += curvature * step + 0.3 * wander * gaussian(random) * Math.sqrt(step);
            double nx = x + step * StrictMath.cos(angle);
            double ny = y + step * StrictMath.sin(angle);
            add(x, y, nx, ny, w, start.strength, start.layer);
            ink += w * step;
            x = nx;
            y = ny;
            left -= step;
            // taper: a vessel loses about 60 % of its starting width over its nominal length
            w -= 0.6 * step / p.lengthPerWidth()[start.layer];
            double branching = p.branchPerMm() * (start.layer == CAPILLARY ? p.capillaryBranchFactor() : 1);
            if (random.nextDouble() < branching * step) {
                double childWidth = w * (0.45 + 0.35 * random.nextDouble());
                w *= 0.9;
                double side = random.nextBoolean() ? 1 : -1;
                double childAngle = angle + side * (0.45 + 0.75 * random.nextDouble());
                pending.push(new Walker(x, y, childAngle, childWidth, childWidth * p.lengthPerWidth()[start.layer],
                        start.strength * (0.8 + 0.2 * random.nextDouble()), start.layer));
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // sum of uniforms: cheap, deterministic, and the tails do not matter for a wandering path
        return (random.nextDouble() + random.nextDouble() + random.nextDouble() + random.nextDouble() - 2)
                * 1.7320508;
    }

    private void add(double ax, double ay, double bx, double by, double w, double s, int kind) {
        if (count == x0.length) {
            int n = count * 2;
            x0 = Arrays.copyOf(x0, n);
            y0 = Arrays.copyOf(y0, n);
            x1 = Arrays.copyOf(x1, n);
            y1 = Arrays.copyOf(y1, n);
            width = Arrays.copyOf(width, n);
            strength = Arrays.copyOf(strength, n);
            layer = Arrays.copyOf(layer, n);
        }
        x0[count] = (float) ax;
        y0[count] = (float) ay;
        x1[count] = (float) bx;
        y1[count] = (float) by;
        width[count] = (float) w;
        strength[count] = (float) s;
        layer[count] = (byte) kind;
        count++;
    }

    int size() {
        return count;
    }

    float x0(int i) {
        return x0[i];
    }

    float y0(int i) {
        return y0[i];
    }

    float x1(int i) {
        return x1[i];
    }

    float y1(int i) {
        return y1[i];
    }

    float width(int i) {
        return width[i];
    }

    float strength(int i) {
        return strength[i];
    }

    int layer(int i) {
        return layer[i];
    }
}
