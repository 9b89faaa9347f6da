package org.diff2dgs.core.api;

import org.diff2dgs.core.model.FloatImage;

/**
 * One rendered frame against its reference, restricted to a region.
 *
 * @param rendered      rendered colour (3 channels, [0,1])
 * @param target        reference colour
 * @param renderedDepth rendered depth or null
 * @param targetDepth   reference depth or null (0 = invalid)
 * @param region        1 channel, 1 = pixel counts, or null for the whole image
 */
public record MetricSample(FloatImage rendered, FloatImage target, FloatImage renderedDepth, FloatImage targetDepth,
        FloatImage region) {
}
