package org.diff2dgs.dataset.synthetic.api;

/**
 * How much fine structure a frame has, measured on its grayscale (Rec. 601 luma of the stored [0,1] values).
 * Used to check that synthetic frames are as textured as real endoscopy, and reported by {@code validate} for any clip.
 *
 * @param meanGradient     mean over interior pixels of |(I(x+1,y) - I(x-1,y), I(x,y+1) - I(x,y-1))| / 2
 *                         (central differences)
 * @param meanAbsLaplacian mean over interior pixels of |I(x+1,y) + I(x-1,y) + I(x,y+1) + I(x,y-1) - 4 I(x,y)|
 *                         (4-neighbour Laplacian)
 */
public record ImageStatistics(double meanGradient, double meanAbsLaplacian) {
}
