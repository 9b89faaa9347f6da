package org.diff2dgs.core.api;

/**
 * A learnable tensor with its gradient, as Adam sees it.
 *
 * @param name  unique within its owner, used for learning rates and checkpoints
 * @param rows  rows that belong one-to-one to surfels (0 when the tensor is shared, e.g. MLP weights)
 * @param width values per row (or the total size when rows == 0)
 * @param value the values
 * @param grad  accumulated gradient, same length
 */
public record Parameter(String name, int rows, int width, float[] value, float[] grad) {

    public Parameter {
        int size = rows == 0 ? width : rows * width;
        if (value.length != size || grad.length != size) {
            throw new IllegalArgumentException("parameter " + name + ": value/grad length must be " + size);
        }
    }

    public boolean perSurfel() {
        return rows > 0;
    }
}
