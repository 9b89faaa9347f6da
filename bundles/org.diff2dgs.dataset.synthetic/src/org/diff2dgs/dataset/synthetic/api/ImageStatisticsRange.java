package org.diff2dgs.dataset.synthetic.api;

/**
 * A closed box of {@link ImageStatistics} values, e.g. the span measured on real endoscopic frames.
 *
 * @param minGradient     smallest accepted mean gradient
 * @param maxGradient     largest accepted mean gradient
 * @param minLaplacian    smallest accepted mean absolute Laplacian
 * @param maxLaplacian    largest accepted mean absolute Laplacian
 */
public record ImageStatisticsRange(double minGradient, double maxGradient, double minLaplacian,
        double maxLaplacian) {

    public ImageStatisticsRange {
        if (!(minGradient <= maxGradient) || !(minLaplacian <= maxLaplacian)) {
            throw new IllegalArgumentException("empty statistics range: gradient " + minGradient + ".." + maxGradient
                    + ", laplacian " + minLaplacian + ".." + maxLaplacian);
        }
    }

    public boolean contains(ImageStatistics s) {
        return s.meanGradient() >= minGradient && s.meanGradient() <= maxGradient
                && s.meanAbsLaplacian() >= minLaplacian && s.meanAbsLaplacian() <= maxLaplacian;
    }
}
