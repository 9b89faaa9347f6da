package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The observed frames and the ground truth describe the same tissue: they differ only where physics says so. */
class GroundTruthTest {

    private static final double LSB = 1 / 255.0;

    @TempDir
    Path dir;

    @Test
    void masksAreBinaryWithInstrumentsWhite() {
        Path scene = Scenes.generate(dir.resolve("s"), 3, 2, 96, 80, Map.of());
        for (int f = 0; f < 2; f++) {
            GrayPng mask = Scenes.maskPng(scene, f);
            int white = 0;
            for (float v : mask.values().data()) {
                assertTrue(v == 0 || v == 255, "mask value " + v);
                white += v == 255 ? 1 : 0;
            }
            assertTrue(white > 0 && white < mask.values().pixels() / 2, "instruments are the white minority");
        }
    }

    @Test
    void withoutNoiseAndShadowsObservedEqualsTruthOutsideTheInstruments() {
        Path scene = Scenes.generate(dir.resolve("s"), 4, 2, 96, 80, Map.of("noise", "0", "shadows", "false"));
        for (int f = 0; f < 2; f++) {
            FloatImage seen = Scenes.color(scene, "images", f);
            FloatImage truth = Scenes.color(scene, "gt/images", f);
            // the lens blur spreads an instrument edge by one pixel
            boolean[] near = Scenes.grownMask(Scenes.maskPng(scene, f), 1);
            boolean[] on = Scenes.grownMask(Scenes.maskPng(scene, f), 0);
            int n = seen.pixels();
            double inside = 0;
            int insideCount = 0;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < n; p++) {
                    double d = Math.abs(seen.data()[c * n + p] - truth.data()[c * n + p]);
                    if (!near[p]) {
                        assertTrue(d <= LSB + 1e-6, "frame " + f + " pixel " + p + " differs by " + d);
                    } else if (on[p]) {
                        inside += d;
                        insideCount++;
                    }
                }
            }
            assertTrue(inside / insideCount > 0.05, "instruments look different from the tissue they hide");
        }
    }

    @Test
    void sensorNoiseIsUnbiasedAndSmall() {
        Path scene = Scenes.generate(dir.resolve("s"), 4, 1, 96, 80, Map.of("shadows", "false"));
        FloatImage seen = Scenes.color(scene, "images", 0);
        FloatImage truth = Scenes.color(scene, "gt/images", 0);
        boolean[] near = Scenes.grownMask(Scenes.maskPng(scene, 0), 1);
        int n = seen.pixels();
        double sum = 0;
        double abs = 0;
        int count = 0;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                double v = truth.data()[c * n + p];
                if (!near[p] && v > 0.05 && v < 0.95) {
                    double d = seen.data()[c * n + p] - v;
                    sum += d;
                    abs += Math.abs(d);
                    count++;
                }
            }
        }
        assertTrue(Math.abs(sum / count) < 0.002, "noise bias " + sum / count);
        assertTrue(abs / count > 0.002 && abs / count < 0.02, "mean absolute noise " + abs / count);
    }

    @Test
    void instrumentShadowsOnlyDarkenTheTissue() {
        Path scene = Scenes.generate(dir.resolve("s"), 8, 2, 128, 104, Map.of("noise", "0"));
        int darker = 0;
        int tissue = 0;
        for (int f = 0; f < 2; f++) {
            FloatImage seen = Scenes.color(scene, "images", f);
            FloatImage truth = Scenes.color(scene, "gt/images", f);
            boolean[] near = Scenes.grownMask(Scenes.maskPng(scene, f), 1);
            int n = seen.pixels();
            for (int p = 0; p < n; p++) {
                if (near[p]) {
                    continue;
                }
                tissue++;
                double drop = 0;
                for (int c = 0; c < 3; c++) {
                    double d = truth.data()[c * n + p] - seen.data()[c * n + p];
                    assertTrue(d >= -LSB - 1e-6, "a shadow never brightens: pixel " + p + " by " + -d);
                    drop += d / 3;
                }
                darker += drop > 0.04 ? 1 : 0;
            }
        }
        double share = (double) darker / tissue;
        assertTrue(share > 0.002 && share < 0.2, "shadowed share of the tissue " + share);
    }

    @Test
    void truthDepthIsExactPositiveAndBehindInstruments() {
        Path scene = Scenes.generate(dir.resolve("s"), 9, 2, 96, 80, Map.of("depthNoise", "0", "holes", "0"));
        double near = Scenes.sceneJson(scene).get("near").getAsDouble();
        double far = Scenes.sceneJson(scene).get("far").getAsDouble();
        for (int f = 0; f < 2; f++) {
            FloatImage measured = Scenes.depthMm(scene, "depth", f);
            FloatImage truth = Scenes.depthMm(scene, "gt/depth", f);
            boolean[] on = Scenes.grownMask(Scenes.maskPng(scene, f), 0);
            for (int p = 0; p < truth.pixels(); p++) {
                float t = truth.data()[p];
                float m = measured.data()[p];
                assertTrue(t > near && t < far, "truth depth " + t + " outside " + near + ".." + far);
                if (on[p]) {
                    assertTrue(m > 0 && m <= t, "an instrument is in front of the tissue: " + m + " vs " + t);
                } else {
                    assertEquals(t, m, 0, "without noise the visible tissue depth is the truth");
                }
            }
        }
    }

    @Test
    void rigidTissueKeepsItsDepthAndBreathingMovesIt() {
        Path rigid = Scenes.generate(dir.resolve("rigid"), 2, 3, 64, 48, Map.of("motion", "0"));
        float[] first = Scenes.depthMm(rigid, "gt/depth", 0).data();
        assertArrayEquals(first, Scenes.depthMm(rigid, "gt/depth", 2).data());
        Path moving = Scenes.generate(dir.resolve("moving"), 2, 11, 64, 48, Map.of());
        float[] later = Scenes.depthMm(moving, "gt/depth", 10).data();
        double largest = 0;
        for (int p = 0; p < first.length; p++) {
            largest = Math.max(largest, Math.abs(later[p] - first[p]));
        }
        assertTrue(largest > 0.5 && largest < 10, "breathing and the push move the tissue by " + largest + " mm");
    }

    @Test
    void measuredDepthHasHolesAndDepthDependentNoise() {
        Path scene = Scenes.generate(dir.resolve("s"), 12, 1, 128, 104, Map.of());
        FloatImage measured = Scenes.depthMm(scene, "depth", 0);
        FloatImage truth = Scenes.depthMm(scene, "gt/depth", 0);
        boolean[] near = Scenes.grownMask(Scenes.maskPng(scene, 0), 1);
        int holes = 0;
        double[] errors = new double[measured.pixels()];
        int count = 0;
        for (int p = 0; p < measured.pixels(); p++) {
            if (measured.data()[p] == 0) {
                holes++;
            } else if (!near[p]) {
                errors[count++] = Math.abs(measured.data()[p] - truth.data()[p]);
            }
        }
        double holeShare = (double) holes / measured.pixels();
        assertTrue(holeShare > 0.005 && holeShare < 0.15, "hole share " + holeShare);
        double[] e = Arrays.copyOf(errors, count);
        Arrays.sort(e);
        double median = e[count / 2];
        assertTrue(median > 0.05 && median < 2, "median depth error " + median + " mm");
    }
}
