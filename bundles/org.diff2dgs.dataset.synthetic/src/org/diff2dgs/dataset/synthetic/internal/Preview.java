package org.diff2dgs.dataset.synthetic.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.dataset.synthetic.api.ImageStatistics;

/**
 * Developer tool (not a service): generates a scene and prints its texture statistics and instrument coverage, or
 * measures the statistics of given PNG frames. Used for the numbers in docs/benchmarks/synthetic-scene.md.
 *
 * <pre>
 * Preview generate FOLDER [WIDTH HEIGHT FRAMES SEED [key=value ...]]
 * Preview measure [--downscale N] PNG...
 * </pre>
 */
public final class Preview {

    private Preview() {
    }

    public static void main(String[] args) {
        if (args.length >= 2 && args[0].equals("measure")) {
            int first = 1;
            int factor = 1;
            if (args[1].equals("--downscale") && args.length >= 4) {
                factor = Integer.parseInt(args[2]);
                first = 3;
            }
            for (int i = first; i < args.length; i++) {
                FloatImage image = downscale(Images.readColor(Path.of(args[i])), factor);
                ImageStatistics s = LumaTextureStatistics.of(image);
                System.out.printf(Locale.ROOT, "%s %dx%d gradient %.4f laplacian %.4f%n", args[i], image.width(),
                        image.height(), s.meanGradient(), s.meanAbsLaplacian());
            }
            return;
        }
        if (args.length < 2 || !args[0].equals("generate")) {
            System.err.println("usage: Preview generate FOLDER [WIDTH HEIGHT FRAMES SEED [key=value ...]]\n"
                    + "       Preview measure [--downscale N] PNG...");
            System.exit(2);
        }
        Path folder = Path.of(args[1]);
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 640;
        int height = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        int frames = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        long start = System.nanoTime();
        new TissueSceneGenerator().write(folder, new SceneSpec(seed, frames, width, height, options), Progress.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sums = new double[5];
        double minCoverage = 1;
        double maxCoverage = 0;
        double[] lowest = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] highest = {0, 0};
        int inRange = 0;
        for (int i = 0; i < frames; i++) {
            String name = String.format(Locale.ROOT, "frame-%06d", i);
            ImageStatistics seen = LumaTextureStatistics.of(Images.readColor(folder.resolve("images")
                    .resolve(name + ".color.png")));
            ImageStatistics truth = LumaTextureStatistics.of(Images.readColor(folder.resolve("gt/images")
                    .resolve(name + ".color.png")));
            FloatImage mask = Images.readGray(folder.resolve("masks").resolve(name + ".mask.png")).values();
            double covered = 0;
            for (float v : mask.data()) {
                covered += v > 127 ? 1 : 0;
            }
            double coverage = covered / mask.pixels();
            minCoverage = Math.min(minCoverage, coverage);
            maxCoverage = Math.max(maxCoverage, coverage);
            lowest[0] = Math.min(lowest[0], seen.meanGradient());
            lowest[1] = Math.min(lowest[1], seen.meanAbsLaplacian());
            highest[0] = Math.max(highest[0], seen.meanGradient());
            highest[1] = Math.max(highest[1], seen.meanAbsLaplacian());
            inRange += LumaTextureStatistics.REAL_FRAMES.contains(seen) ? 1 : 0;
            sums[0] += seen.meanGradient();
            sums[1] += seen.meanAbsLaplacian();
            sums[2] += truth.meanGradient();
            sums[3] += truth.meanAbsLaplacian();
            sums[4] += coverage;
        }
        System.out.printf(Locale.ROOT, "%dx%d, %d frames, seed %d, options %s: %.2f s%n", width, height, frames, seed,
                options, seconds);
        System.out.printf(Locale.ROOT, "observed: gradient %.4f (%.4f..%.4f) laplacian %.4f (%.4f..%.4f), %d of %d "
                + "frames inside the real range%n", sums[0] / frames, lowest[0], highest[0], sums[1] / frames,
                lowest[1], highest[1], inRange, frames);
        System.out.printf(Locale.ROOT, "truth:    gradient %.4f laplacian %.4f%n", sums[2] / frames, sums[3] / frames);
        System.out.printf(Locale.ROOT, "instrument coverage: mean %.3f min %.3f max %.3f%n", sums[4] / frames,
                minCoverage, maxCoverage);
    }

    /** Box-filter reduction by an integer factor, as a camera of coarser pixels would see the same scene. */
    private static FloatImage downscale(FloatImage image, int factor) {
        if (factor <= 1) {
            return image;
        }
        int w = image.width() / factor;
        int h = image.height() / factor;
        FloatImage out = FloatImage.zeros(w, h, image.channels());
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float sum = 0;
                    for (int j = 0; j < factor; j++) {
                        for (int i = 0; i < factor; i++) {
                            sum += image.get(c, x * factor + i, y * factor + j);
                        }
                    }
                    out.set(c, x, y, sum / (factor * factor));
                }
            }
        }
        return out;
    }
}
