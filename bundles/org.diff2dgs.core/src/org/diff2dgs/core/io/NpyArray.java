package org.diff2dgs.core.io;

import java.util.Arrays;

/**
 * An n-dimensional array read from a NumPy {@code .npy} file, widened to double whatever the stored dtype.
 *
 * @param shape        dimensions, outermost first (an empty shape is a 0-d scalar)
 * @param fortranOrder true when the stored order was column-major; {@code data} keeps the stored order and
 *                     {@link #get} accounts for it
 * @param dtype        the stored NumPy type string, e.g. "&lt;f8"
 * @param data         the values in stored order
 */
public record NpyArray(long[] shape, boolean fortranOrder, String dtype, double[] data) {

    public NpyArray {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + data.length);
        }
    }

    /** Length of the first dimension (1 for a 0-d scalar). */
    public int rows() {
        return shape.length == 0 ? 1 : (int) shape[0];
    }

    /** Number of elements. */
    public long size() {
        return data.length;
    }

    public int ndim() {
        return shape.length;
    }

    /** Element at the given index, one index per dimension, in logical (C) terms whatever the stored order. */
    public double get(int... idx) {
        if (idx.length != shape.length) {
            throw new IndexOutOfBoundsException("array has " + shape.length + " dimensions, got " + idx.length
                    + " indices");
        }
        long offset = 0;
        if (fortranOrder) {
            long stride = 1;
            for (int k = 0; k < shape.length; k++) {
                offset += checked(idx, k) * stride;
                stride *= shape[k];
            }
        } else {
            long stride = 1;
            for (int k = shape.length - 1; k >= 0; k--) {
                offset += checked(idx, k) * stride;
                stride *= shape[k];
            }
        }
        return data[(int) offset];
    }

    private long checked(int[] idx, int k) {
        if (idx[k] < 0 || idx[k] >= shape[k]) {
            throw new IndexOutOfBoundsException("index " + idx[k] + " out of range for dimension " + k + " of size "
                    + shape[k]);
        }
        return idx[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && a.fortranOrder == fortranOrder && a.dtype.equals(dtype)
                && Arrays.equals(a.shape, shape) && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data) + dtype.hashCode() * 7 + (fortranOrder ? 1 : 0);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + (fortranOrder ? " fortran" : "") + "]";
    }
}
