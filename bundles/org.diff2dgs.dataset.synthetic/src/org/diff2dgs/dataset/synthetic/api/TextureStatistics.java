package org.diff2dgs.dataset.synthetic.api;

import org.diff2dgs.core.model.FloatImage;

/**
 * Measures how textured a frame is ({@link ImageStatistics}) and knows the span of real endoscopic frames; the
 * synthetic generator is calibrated against it and `d2dgs validate` reports it for any clip. A DS service.
 */
public interface TextureStatistics {

    /**
     * Statistics of a colour (3 channels, [0,1]) or grayscale (1 channel) image of at least 3x3 pixels.
     *
     * @throws IllegalArgumentException for smaller images or 2 channels
     */
    ImageStatistics measure(FloatImage image);

    /** The span measured on real endoscopic frames (docs/benchmarks/synthetic-scene.md). */
    ImageStatisticsRange realFrames();
}
