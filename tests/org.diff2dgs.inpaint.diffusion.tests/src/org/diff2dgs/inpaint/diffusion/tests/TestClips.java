package org.diff2dgs.inpaint.diffusion.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.InpaintedFrame;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.diffusion.internal.DiffusionInpainter;
import org.diff2dgs.inpaint.diffusion.internal.ModelLocator;

/** Small clips with moving instrument masks, a simple prior method and a catalog holding it. */
final class TestClips {

    private TestClips() {
    }

    /**
     * A clip of smooth random colour (exact 8-bit values, so PNG round trips are lossless), depth in stored units
     * (scale 1), and a rectangular instrument that moves to the right over time.
     */
    static Sequence clip(int frames, int width, int height, long seed) {
        Random random = new Random(seed);
        double[] phase = {random.nextDouble() * 6, random.nextDouble() * 6, random.nextDouble() * 6};
        List<Frame> list = new ArrayList<>();
        int plane = width * height;
        for (int i = 0; i < frames; i++) {
            float[] rgb = new float[3 * plane];
            float[] depth = new float[plane];
            float[] mask = new float[plane];
            int x0 = 2 + i * (width - 12) / Math.max(1, frames - 1);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = y * width + x;
                    for (int c = 0; c < 3; c++) {
                        double v = 0.5 + 0.3 * Math.sin(0.3 * x + 0.2 * y + phase[c] + 0.05 * i)
                                + 0.1 * random.nextDouble();
                        rgb[c * plane + p] = Math.round(v * 255) / 255f;
                    }
                    depth[p] = 100 + x + 2 * y;
                    mask[p] = x >= x0 && x < x0 + 6 && y >= height / 4 && y < height / 4 + 7 ? 1f : 0f;
                }
            }
            list.add(new Frame(i, (double) i / frames, String.format("%03d", i), null,
                    new FloatImage(width, height, 3, rgb), new FloatImage(width, height, 1, depth),
                    new FloatImage(width, height, 1, mask), null, null));
        }
        return new Sequence("test", null, list, null, null);
    }

    /**
     * A prior method named "propagate" for the tests: fills the restored region of each frame with the frame's mean
     * visible colour and depth, confidence 0.5 there; every restored pixel counts as filled spatially.
     */
    static final class MeanFillPrior implements Inpainter {

        int runs;

        @Override
        public String name() {
            return "propagate";
        }

        @Override
        public String description() {
            return "test prior: mean visible colour and depth";
        }

        @Override
        public InpaintResult inpaint(Sequence clip, InpaintOptions options, Path output, Progress progress) {
            runs++;
            try (InpaintedClipWriter out = InpaintedClipWriter.open(clip, options, output)) {
                for (int i = 0; i < clip.size(); i++) {
                    progress.checkCancelled();
                    Frame f = clip.frame(i);
                    FloatImage region = out.restoreRegion(i);
                    int plane = region.pixels();
                    float[] rgb = f.image().data().clone();
                    float[] depth = f.depth().data().clone();
                    float[] conf = new float[plane];
                    double[] sum = new double[4];
                    long visible = 0;
                    long restored = 0;
                    for (int p = 0; p < plane; p++) {
                        if (region.data()[p] < 0.5f) {
                            visible++;
                            for (int c = 0; c < 3; c++) {
                                sum[c] += rgb[c * plane + p];
                            }
                            sum[3] += depth[p];
                        }
                    }
                    for (int p = 0; p < plane; p++) {
                        conf[p] = 1f;
                        if (region.data()[p] >= 0.5f) {
                            restored++;
                            for (int c = 0; c < 3; c++) {
                                rgb[c * plane + p] = (float) (sum[c] / visible);
                            }
                            depth[p] = Math.round(sum[3] / visible);
                            conf[p] = 0.5f;
                        }
                    }
                    int w = region.width();
                    int h = region.height();
                    out.write(new InpaintedFrame(i, new FloatImage(w, h, 3, rgb), new FloatImage(w, h, 1, depth),
                            region, new FloatImage(w, h, 1, conf), 0, restored));
                }
                return out.commit(name(), Map.of(), List.of());
            }
        }
    }

    /** A catalog with only the given inpainters. */
    static ServiceCatalog catalog(Inpainter... inpainters) {
        return new ServiceCatalog() {
            @Override
            public List<Inpainter> inpainters() {
                return List.of(inpainters);
            }
        };
    }

    /** The diffusion method with graphs from {@code models} (as the system property would give) and the catalog. */
    static DiffusionInpainter diffusion(Path models, Path home, ServiceCatalog catalog) {
        ModelLocator locator = new ModelLocator(
                k -> k.equals(ModelLocator.PROPERTY) && models != null ? models.toString() : null, k -> null, home);
        return new DiffusionInpainter(locator, () -> catalog);
    }
}
