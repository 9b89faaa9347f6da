package org.diff2dgs.splat.api;

import java.nio.file.Path;

import org.diff2dgs.core.api.Rasterizer;

/**
 * Checks any {@link Rasterizer} against a golden scene rendered by the original 2DGS CUDA rasterizer: forward outputs,
 * radii and gradients for the scene's fixed upstream gradient (format: tests/org.diff2dgs.splat.tests/data/2dgs-golden).
 * A DS service, so `d2dgs selftest` and a GPU backend's own checks need no implementation package.
 */
public interface GoldenParity {

    /**
     * Renders the golden scene with {@code rasterizer} and compares every output and gradient array.
     *
     * @throws org.diff2dgs.core.api.UserInputException when the file is missing or not a golden scene (named)
     */
    GoldenReport check(Path goldenJson, Rasterizer rasterizer);
}
