package org.diff2dgs.dataset.endonerf.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;

import org.diff2dgs.core.io.AtomicFiles;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.FloatImage;

/**
 * Writes an EndoNeRF-shaped clip with random content into a folder: images/, depth/, masks/, poses_bounds.npy and,
 * when asked, gt_masks/, gt/ and intrinsics.json. Every aspect the reader cares about is a field, so a test changes
 * one thing and breaks or checks exactly that. Deterministic for a seed.
 */
public final class ClipFixture {

    public int frames = 8;
    public int width = 32;
    public int height = 24;
    public long seed = 1;
    public double focal = 40.5;
    public double near = 0;
    public double far = 120;
    /** Instruments cover about this fraction of each frame. */
    public double instrumentCoverage = 0.2;
    /** EndoNeRF polarity (true) or the StereoMIS conversion's (false). */
    public boolean whiteIsInstrument = true;
    public boolean depth16 = false;
    /** Largest stored depth sample; about 2% of depth pixels are 0 (invalid). */
    public int depthMax = 200;
    public boolean cameraMoves = false;
    public boolean groundTruth = false;
    public boolean gtMasks = false;
    /** Principal point written to intrinsics.json, or null for no file. */
    public double[] principalPoint = null;
    public String imageName = "frame-%06d.color.png";
    public String depthName = "frame-%06d.depth.png";
    public String maskName = "frame-%06d.mask.png";
    /** Parallel writing for the big benchmark clip. */
    public boolean parallel = false;

    /** Writes the clip and returns its folder. */
    public Path write(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        IntStream range = IntStream.range(0, frames);
        (parallel ? range.parallel() : range).forEach(i -> writeFrame(folder, i));
        Npy.write(folder.resolve("poses_bounds.npy"), new long[] {frames, 17}, posesBounds());
        if (principalPoint != null) {
            AtomicFiles.writeString(folder.resolve("intrinsics.json"), "{\"fx\": " + focal + ", \"fy\": " + focal
                    + ", \"cx\": " + principalPoint[0] + ", \"cy\": " + principalPoint[1] + "}\n");
        }
        return folder;
    }

    /** LLFF rows: identity rotation (columns down, right, back), optional drift of the centre, then H, W, focal. */
    public double[] posesBounds() {
        double[] rows = new double[frames * 17];
        for (int i = 0; i < frames; i++) {
            double[] m = {1, 0, 0, cameraMoves ? 0.1 * i : 0, height, 0, 1, 0, 0, width, 0, 0, 1, 0, focal};
            System.arraycopy(m, 0, rows, i * 17, 15);
            rows[i * 17 + 15] = near;
            rows[i * 17 + 16] = far;
        }
        return rows;
    }

    private void writeFrame(Path folder, int i) {
        Random rnd = new Random(seed * 1_000_003L + i);
        int n = width * height;
        float[] rgb = new float[3 * n];
        for (int k = 0; k < rgb.length; k++) {
            rgb[k] = rnd.nextFloat();
        }
        Images.writeColor(folder.resolve("images").resolve(String.format(imageName, i)), new FloatImage(width,
                height, 3, rgb));
        float[] depth = new float[n];
        for (int k = 0; k < n; k++) {
            depth[k] = rnd.nextDouble() < 0.02 ? 0 : 1 + rnd.nextInt(depthMax);
        }
        FloatImage d = new FloatImage(width, height, 1, depth);
        Path depthFile = folder.resolve("depth").resolve(String.format(depthName, i));
        if (depth16) {
            Images.writeGray16(depthFile, d, 1.0);
        } else {
            float[] scaled = new float[n];
            for (int k = 0; k < n; k++) {
                scaled[k] = depth[k] / 255f;
            }
            Images.writeGray8(depthFile, new FloatImage(width, height, 1, scaled));
        }
        FloatImage mask = mask(rnd);
        Images.writeGray8(folder.resolve("masks").resolve(String.format(maskName, i)), mask);
        if (gtMasks) {
            Images.writeGray8(folder.resolve("gt_masks").resolve(String.format(maskName, i)), mask);
        }
        if (groundTruth) {
            float[] truth = rgb.clone();
            for (int k = 0; k < truth.length; k++) {
                truth[k] = 1 - truth[k];
            }
            Images.writeColor(folder.resolve("gt/images").resolve(String.format(imageName, i)),
                    new FloatImage(width, height, 3, truth));
            Images.writeGray16(folder.resolve("gt/depth").resolve(String.format(depthName, i)), d, 1.0);
        }
    }

    /** A vertical band of instrument pixels covering {@code instrumentCoverage}, at a random position. */
    private FloatImage mask(Random rnd) {
        int bandWidth = (int) Math.round(instrumentCoverage * width);
        int x0 = rnd.nextInt(width - bandWidth + 1);
        float white = whiteIsInstrument ? 1 : 0;
        float[] m = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean instrument = x >= x0 && x < x0 + bandWidth;
                m[y * width + x] = instrument ? white : 1 - white;
            }
        }
        return new FloatImage(width, height, 1, m);
    }
}
