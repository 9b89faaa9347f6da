package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.ValidationReport.Problem;
import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;

/**
 * Decodes and checks the files of one frame. Each frame is independent, so frames load in parallel; problems are
 * collected per frame and merged in frame order by the caller.
 */
final class FrameLoader {

    /** How to turn stored samples into depth. */
    record DepthSettings(double scale, DepthClipping clipping) {
    }

    /**
     * One frame after loading. Pixels are null when not kept (validation) or when the file failed. Depth is scaled
     * and clipped; the mask still holds raw samples until the convention is decided ({@link #toInstrumentMask}).
     */
    record Loaded(FrameFiles files, FloatImage image, FloatImage depth, FloatImage mask, FloatImage truthImage,
            FloatImage truthDepth, Stats stats, List<Problem> problems) {
    }

    /**
     * Per-frame facts for reports and convention detection; NaN where unknown.
     *
     * @param maskWhite     fraction of mask pixels above half the sample range
     * @param maskMax       largest sample value of the mask's bit depth (threshold = half of it)
     * @param depthValid    fraction of depth pixels > 0
     * @param depthMin      smallest valid depth after clipping and scaling
     * @param depthMax      largest valid depth after clipping and scaling
     * @param depthRawMax   largest stored depth sample (before clipping)
     * @param depthBits     stored bit depth of the depth PNG (0 unknown)
     */
    record Stats(double maskWhite, double maskMax, double depthValid, double depthMin, double depthMax,
            double depthRawMax, int depthBits) {
    }

    private FrameLoader() {
    }

    static Loaded load(FrameFiles f, int width, int height, DepthSettings depthSettings, boolean keepPixels,
            boolean withTruth) {
        List<Problem> problems = new ArrayList<>();
        FloatImage image = null;
        try {
            image = Images.readColor(f.image());
            checkSize(f.image(), image.width(), image.height(), width, height, problems);
        } catch (DatasetException e) {
            problems.add(Problems.of(e));
        }
        double depthValid = Double.NaN;
        double depthMin = Double.NaN;
        double depthMax = Double.NaN;
        double depthRawMax = Double.NaN;
        int depthBits = 0;
        FloatImage depth = null;
        if (f.depth() != null) {
            try {
                GrayPng g = Images.readGray(f.depth());
                depthBits = g.bitDepth();
                if (g.channels() >= 3) {
                    problems.add(new Problem(f.depth(), g.channels() + "-channel depth PNG, expected a single-channel "
                            + "(gray) 8- or 16-bit depth map"));
                } else if (checkSize(f.depth(), g.values().width(), g.values().height(), width, height, problems)) {
                    float[] v = g.values().data();
                    int[] hist = DepthClipping.histogram(v, (int) g.maxValue());
                    int lowest = 1;
                    while (lowest < hist.length && hist[lowest] == 0) {
                        lowest++;
                    }
                    int highest = hist.length - 1;
                    while (highest > 0 && hist[highest] == 0) {
                        highest--;
                    }
                    depthValid = 1 - hist[0] / (double) v.length;
                    if (highest == 0) {
                        problems.add(new Problem(f.depth(), "depth is zero (invalid) at every pixel"));
                    } else {
                        depthRawMax = highest;
                        double[] limits = depthSettings.clipping().limits(hist);
                        float lo = limits == null ? lowest : (float) Math.max(lowest, limits[0]);
                        float hi = limits == null ? highest : (float) Math.min(highest, limits[1]);
                        float scale = (float) depthSettings.scale();
                        // one pass: clip valid samples to the limits and convert to scene units
                        for (int i = 0; i < v.length; i++) {
                            float x = v[i];
                            if (x > 0) {
                                v[i] = (x < lo ? lo : x > hi ? hi : x) * scale;
                            }
                        }
                        depthMin = lo * scale;
                        depthMax = hi * scale;
                        depth = g.values();
                    }
                }
            } catch (DatasetException e) {
                problems.add(Problems.of(e));
            }
        }
        double maskWhite = Double.NaN;
        double maskMax = Double.NaN;
        FloatImage mask = null;
        if (f.mask() != null) {
            GrayPng g = readMask(f.mask(), width, height, problems);
            if (g != null) {
                maskMax = g.maxValue();
                maskWhite = whiteFraction(g);
                mask = g.values();
            }
        }
        if (f.gtMask() != null) {
            readMask(f.gtMask(), width, height, problems);
        }
        FloatImage truthImage = null;
        FloatImage truthDepth = null;
        if (withTruth) {
            try {
                truthImage = Images.readColor(f.truthImage());
                checkSize(f.truthImage(), truthImage.width(), truthImage.height(), width, height, problems);
                GrayPng g = Images.readGray(f.truthDepth());
                if (g.channels() >= 3) {
                    problems.add(new Problem(f.truthDepth(), g.channels() + "-channel depth PNG, expected gray"));
                } else if (checkSize(f.truthDepth(), g.values().width(), g.values().height(), width, height,
                        problems)) {
                    float[] v = g.values().data();
                    float scale = (float) depthSettings.scale();
                    for (int i = 0; i < v.length; i++) {
                        v[i] *= scale;
                    }
                    truthDepth = g.values();
                }
            } catch (DatasetException e) {
                problems.add(Problems.of(e));
            }
        }
        Stats stats = new Stats(maskWhite, maskMax, depthValid, depthMin, depthMax, depthRawMax, depthBits);
        if (!keepPixels || !problems.isEmpty()) {
            return new Loaded(f, null, null, null, null, null, stats, problems);
        }
        return new Loaded(f, image, depth, mask, truthImage, truthDepth, stats, problems);
    }

    /** Header-only checks, for validation without decoding. */
    static Loaded checkHeaders(FrameFiles f, int width, int height) {
        List<Problem> problems = new ArrayList<>();
        int depthBits = 0;
        for (Path p : new Path[] {f.image(), f.depth(), f.mask(), f.gtMask(), f.truthImage(), f.truthDepth()}) {
            if (p == null) {
                continue;
            }
            try {
                PngHeader h = PngHeader.read(p);
                checkSize(p, h.width(), h.height(), width, height, problems);
                boolean single = p != f.image() && p != f.truthImage();
                if (single && h.channels() >= 3) {
                    problems.add(new Problem(p, h.channels() + "-channel PNG, expected a single-channel (gray) "
                            + (p == f.depth() || p == f.truthDepth() ? "depth map" : "mask")));
                }
                if (p == f.depth()) {
                    depthBits = h.bitDepth();
                }
            } catch (DatasetException e) {
                problems.add(Problems.of(e));
            }
        }
        return new Loaded(f, null, null, null, null, null, new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, depthBits), problems);
    }

    /** Turns raw mask samples into 1 = instrument, 0 = tissue, in place. */
    static FloatImage toInstrumentMask(FloatImage rawMask, double maskMax, boolean whiteIsInstrument) {
        float half = (float) (maskMax / 2);
        float white = whiteIsInstrument ? 1f : 0f;
        float black = 1f - white;
        float[] v = rawMask.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] > half ? white : black;
        }
        return rawMask;
    }

    private static GrayPng readMask(Path file, int width, int height, List<Problem> problems) {
        try {
            GrayPng g = Images.readGray(file);
            if (g.channels() >= 3) {
                problems.add(new Problem(file, g.channels() + "-channel mask, expected a single-channel (gray) mask "
                        + "with 0 and 255"));
                return null;
            }
            return checkSize(file, g.values().width(), g.values().height(), width, height, problems) ? g : null;
        } catch (DatasetException e) {
            problems.add(Problems.of(e));
            return null;
        }
    }

    private static double whiteFraction(GrayPng g) {
        float half = (float) (g.maxValue() / 2);
        int white = 0;
        for (float v : g.values().data()) {
            if (v > half) {
                white++;
            }
        }
        return white / (double) g.values().data().length;
    }

    /** Reports a size other than the clip's; width < 0 means the clip's size is unknown and nothing is checked. */
    private static boolean checkSize(Path file, int w, int h, int width, int height, List<Problem> problems) {
        if (width >= 0 && (w != width || h != height)) {
            problems.add(new Problem(file, "image is " + w + "x" + h + ", expected " + width + "x" + height
                    + " like the other frames"));
            return false;
        }
        return true;
    }
}
