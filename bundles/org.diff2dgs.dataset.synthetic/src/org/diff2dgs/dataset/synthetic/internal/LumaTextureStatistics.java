package org.diff2dgs.dataset.synthetic.internal;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.dataset.synthetic.api.ImageStatistics;
import org.diff2dgs.dataset.synthetic.api.ImageStatisticsRange;
import org.diff2dgs.dataset.synthetic.api.TextureStatistics;
import org.osgi.service.component.annotations.Component;

/**
 * Texture statistics of a frame: mean gradient magnitude and mean absolute Laplacian of its grayscale. Real
 * endoscopy is full of fine vessels, specular glints and sensor noise; a synthetic scene that is too smooth makes
 * reconstruction and inpainting look better than they are, so these two numbers are the calibration target of the
 * synthetic generator (docs/benchmarks/synthetic-scene.md).
 */
@Component(service = TextureStatistics.class)
public final class LumaTextureStatistics implements TextureStatistics {

    /**
     * The span of real endoscopic frames at their native resolution, measured for docs/benchmarks/synthetic-scene.md
     * (20 Cholec80 frames at 640x360: gradient 0.0150-0.0211, Laplacian 0.0256-0.0384; one da Vinci Xi frame at
     * 1280x1024: 0.0235 and 0.0299), each bound rounded outwards to 0.001.
     */
    public static final ImageStatisticsRange REAL_FRAMES = new ImageStatisticsRange(0.014, 0.024, 0.025, 0.039);

    @Override
    public ImageStatistics measure(FloatImage image) {
        return of(image);
    }

    @Override
    public ImageStatisticsRange realFrames() {
        return REAL_FRAMES;
    }

    /** Statistics of a colour (3 channels, [0,1]) or grayscale (1 channel) image of at least 3x3 pixels. */
    public static ImageStatistics of(FloatImage image) {
        if (image.width() < 3 || image.height() < 3) {
            throw new IllegalArgumentException("texture statistics need at least 3x3 pixels, got " + image.width()
                    + "x" + image.height());
        }
        float[] gray = luma(image);
        int w = image.width();
        int h = image.height();
        double gradientSum = 0;
        double laplacianSum = 0;
        for (int y = 1; y < h - 1; y++) {
            int row = y * w;
            for (int x = 1; x < w - 1; x++) {
                int p = row + x;
                double gx = 0.5 * (gray[p + 1] - gray[p - 1]);
                double gy = 0.5 * (gray[p + w] - gray[p - w]);
                gradientSum += Math.sqrt(gx * gx + gy * gy);
                laplacianSum += Math.abs(gray[p + 1] + gray[p - 1] + gray[p + w] + gray[p - w] - 4 * gray[p]);
            }
        }
        double interior = (double) (w - 2) * (h - 2);
        return new ImageStatistics(gradientSum / interior, laplacianSum / interior);
    }

    /** Rec. 601 luma of the stored values (no linearisation: the statistics describe the frames as stored). */
    public static float[] luma(FloatImage image) {
        int n = image.pixels();
        float[] d = image.data();
        if (image.channels() == 1) {
            return d.clone();
        }
        if (image.channels() < 3) {
            throw new IllegalArgumentException("texture statistics need 1 or 3+ channels, got " + image.channels());
        }
        float[] gray = new float[n];
        for (int p = 0; p < n; p++) {
            gray[p] = 0.299f * d[p] + 0.587f * d[n + p] + 0.114f * d[2 * n + p];
        }
        return gray;
    }
}
