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

    /**
     * The message for an out-of-memory error during {@code stage}: the heap limit, how to raise it, and how to need
     * less for what was running ({@link #needLess}).
     */
    public static String advice(String stage) {
        long max = Runtime.getRuntime().maxMemory();
        long gb = suggestedGigabytes(max);
        return "out of memory while " + stage + " (Java heap limit " + ByteSize.format(max) + "). Give the JVM more "
                + "heap, e.g. D2DGS_VMARGS=-Xmx" + gb + "g d2dgs ... (a plain java launch takes -Xmx" + gb
                + "g), or need less: " + needLess(stage);
    }

    /**
     * What lowers the memory of a stage or command, as named in messages ("inpainting", "training",
     * "running 'd2dgs inpaint'", ...): frames for stage 1 and reading, surfels for training and what follows it.
     */
    public static String needLess(String stage) {
        String s = stage == null ? "" : stage;
        if (s.contains("inpaint")) {
            return "fewer frames (--max-frames N) or fewer frames composed at once (--inpaint-threads N)";
        }
        if (s.contains("synth")) {
            return "fewer or smaller frames (--frames N, --size WxH)";
        }
        if (s.contains("reading") || s.contains("preparing") || s.contains("validate")) {
            return "fewer frames (--max-frames N)";
        }
        if (s.contains("train") || s.contains("render") || s.contains("snapshot") || s.contains("evaluat")
                || s.contains("'d2dgs run'") || s.contains("'d2dgs batch'") || s.contains("cell")) {
            return "a smaller scene or surfel cap (--set maxSurfels=N)";
        }
        return "a smaller scene (fewer frames, --max-frames N) or surfel cap (--set maxSurfels=N)";
    }

    /** A heap worth retrying with: at least twice the current limit and one GB more, in whole gigabytes. */
    public static long suggestedGigabytes(long maxHeapBytes) {
        double gb = Math.max(2.0 * maxHeapBytes, maxHeapBytes + (1L << 30)) / (1L << 30);
        return (long) Math.ceil(gb);
    }
}
