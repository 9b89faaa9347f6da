package org.diff2dgs.inpaint.internal.flow;

/**
 * A dense displacement field: pixel (x, y) of the source image corresponds to (x + u, y + v) in the target image.
 * Row-major, {@code u[y * width + x]}.
 */
public record FlowField(int width, int height, float[] u, float[] v) {

    public FlowField {
        if (u.length != width * height || v.length != width * height) {
            throw new IllegalArgumentException("flow arrays must hold " + width + "x" + height + " values");
        }
    }

    public static FlowField zeros(int width, int height) {
        return new FlowField(width, height, new float[width * height], new float[width * height]);
    }
}
