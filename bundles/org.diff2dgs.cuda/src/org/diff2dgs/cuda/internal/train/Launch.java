package org.diff2dgs.cuda.internal.train;

import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/** Launch geometry and the size checks shared by the training kernels' wrappers. */
public final class Launch {

    /** Threads per block of the element-wise kernels. */
    public static final int BLOCK = 256;
    /** Upper bound on the blocks of the grid-stride kernels (enough to fill any current GPU several times). */
    public static final int MAX_GRID = 65_535;

    private Launch() {
    }

    /** Blocks of {@code block} threads that cover {@code items}, at least 1. */
    public static int blocks(long items, int block) {
        long b = Math.max(1, (items + block - 1) / block);
        if (b > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(items + " items need more than 2^31 blocks of " + block);
        }
        return (int) b;
    }

    /** Blocks for a grid-stride loop: cover the items, but at most {@link #MAX_GRID}. */
    public static int strideBlocks(long items, int block) {
        return (int) Math.max(1, Math.min(MAX_GRID, (items + block - 1) / block));
    }

    /** Throws unless the buffer holds at least {@code values} 4-byte values. */
    public static void require(DeviceBuffer b, long values, String role) {
        if (b == null) {
            throw new IllegalArgumentException(role + " is missing");
        }
        if (b.floats() < values) {
            throw new IllegalArgumentException(role + " ('" + b.what() + "') holds " + b.floats() + " values, needs "
                    + values);
        }
    }

    /** As {@link #require} but a null buffer is allowed (an optional input). */
    public static void requireOptional(DeviceBuffer b, long values, String role) {
        if (b != null) {
            require(b, values, role);
        }
    }
}
