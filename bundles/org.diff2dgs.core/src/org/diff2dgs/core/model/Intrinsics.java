package org.diff2dgs.core.model;

/**
 * Pinhole intrinsics in pixels. Pixel centres sit at (i + 0.5, j + 0.5), so a point (x, y, z) in the camera frame
 * projects to u = fx * x / z + cx, v = fy * y / z + cy. The principal point need not be the image centre.
 */
public record Intrinsics(double fx, double fy, double cx, double cy, int width, int height) {

    public Intrinsics {
        if (!(fx > 0) || !(fy > 0) || !Double.isFinite(fx) || !Double.isFinite(fy)) {
            throw new IllegalArgumentException("focal length must be positive and finite, got fx=" + fx + " fy=" + fy);
        }
        if (!Double.isFinite(cx) || !Double.isFinite(cy)) {
            throw new IllegalArgumentException("principal point must be finite, got cx=" + cx + " cy=" + cy);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }

    /** K = [[f, 0, W/2], [0, f, H/2], [0, 0, 1]], the EndoNeRF convention. */
    public static Intrinsics centred(double focal, int width, int height) {
        return new Intrinsics(focal, focal, width / 2.0, height / 2.0, width, height);
    }

    /** The same camera at another resolution (focal lengths and principal point scale with the image). */
    public Intrinsics resized(int newWidth, int newHeight) {
        double sx = (double) newWidth / width;
        double sy = (double) newHeight / height;
        return new Intrinsics(fx * sx, fy * sy, cx * sx, cy * sy, newWidth, newHeight);
    }

    public double fovX() {
        return 2 * Math.atan(width / (2 * fx));
    }

    public double fovY() {
        return 2 * Math.atan(height / (2 * fy));
    }
}
