package org.diff2dgs.pipeline.internal;

import org.diff2dgs.pipeline.api.Stages;

/**
 * What the user reads for a stage in messages ("out of memory while training"), and which stage the calling thread
 * is in, so an error leaving a run can name it.
 */
final class StageNames {

    static final String READING = "reading the dataset";

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private StageNames() {
    }

    static String of(String stage) {
        return switch (stage) {
            case Stages.PREPARE -> "preparing the dataset";
            case Stages.INPAINT -> "inpainting";
            case Stages.TRAIN -> "training";
            case Stages.RENDER -> "rendering";
            case Stages.EVALUATE -> "evaluating";
            default -> "running stage " + stage;
        };
    }

    static void enter(String stage) {
        CURRENT.set(stage);
    }

    static void leave() {
        CURRENT.remove();
    }

    /** The stage the calling thread is running, as users read it; "starting the run" before the first stage. */
    static String current() {
        String s = CURRENT.get();
        return s == null ? "starting the run" : of(s);
    }
}
