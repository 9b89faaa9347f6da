package org.diff2dgs.core.api;

import org.diff2dgs.core.io.ByteSize;

/**
 * The Java heap ran out during a named stage of a run (reading, training, rendering, evaluating). Still an
 * {@link OutOfMemoryError}, so every handler of that keeps working; its message says what the user can do.
 */
public class StageOutOfMemoryError extends OutOfMemoryError {

    private static final long serialVersionUID = 1L;

    private final String stage;

    public StageOutOfMemoryError(String stage, OutOfMemoryError cause) {
        super(advice(stage));
        this.stage = stage;
        initCause(cause);
    }

    /** Names the stage of an error, keeping the innermost (most precise) stage when it already has one. */
    public static StageOutOfMemoryError during(String stage, OutOfMemoryError e) {
        return e instanceof StageOutOfMemoryError s ? s : new StageOutOfMemoryError(stage, e);
    }

    /** What was running, e.g. "training". */
    public String stage() {
        return stage;
    }

    /** The message for an out-of-memory error during {@code stage}: the heap limit and how to raise it. */
    public static String advice(String stage) {
        long max = Runtime.getRuntime().maxMemory();
        long gb = suggestedGigabytes(max);
        return "out of memory while " + stage + " (Java heap limit " + ByteSize.format(max) + "). Give the JVM more "
                + "heap, e.g. D2DGS_VMARGS=-Xmx" + gb + "g d2dgs ... (a plain java launch takes -Xmx" + gb
                + "g), or need less: a smaller scene or surfel cap (--set maxSurfels=N)";
    }

    /** A heap worth retrying with: at least twice the current limit and one GB more, in whole gigabytes. */
    public static long suggestedGigabytes(long maxHeapBytes) {
        double gb = Math.max(2.0 * maxHeapBytes, maxHeapBytes + (1L << 30)) / (1L << 30);
        return (long) Math.ceil(gb);
    }
}
