package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.model.FloatImage;

/** The missing-depth reasons the protocols share. */
final class DepthData {

    private DepthData() {
    }

    static String missing(FloatImage renderedDepth, FloatImage referenceDepth, String whatReference) {
        if (renderedDepth == null) {
            return "no rendered depth was given";
        }
        if (referenceDepth == null) {
            return "the frame has no " + whatReference;
        }
        return null;
    }
}
