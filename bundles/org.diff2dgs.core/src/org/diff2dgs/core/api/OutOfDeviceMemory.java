package org.diff2dgs.core.api;

/**
 * Implemented by the exceptions of a compute backend that ran out of its device's memory (a GPU allocation that did
 * not fit). Not a bug and not bad input: the run asked for more than the device had free. The headless app prints the
 * exception's message (what was allocated, the size asked, what was free) with what the user can change, and exits
 * with code 1, as for the Java heap; the exception's message must therefore say all of that in one line.
 */
public interface OutOfDeviceMemory {

    /** What the user can do about it, for the end of the one-line message. */
    String ADVICE = "lower the surfel cap (--set maxSurfels=N), free the GPU of other work, or train on the CPU "
            + "(--backend cpu)";
}
