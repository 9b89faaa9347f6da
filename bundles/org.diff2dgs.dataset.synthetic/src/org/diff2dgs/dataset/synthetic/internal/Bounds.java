package org.diff2dgs.dataset.synthetic.internal;

/** An axis-aligned rectangle of the scene's x-y plane (millimetres). */
record Bounds(double xMin, double xMax, double yMin, double yMax) {

    Bounds {
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException("empty bounds " + xMin + ".." + xMax + " x " + yMin + ".." + yMax);
        }
    }

    double width() {
        return xMax - xMin;
    }

    double height() {
        return yMax - yMin;
    }
}
