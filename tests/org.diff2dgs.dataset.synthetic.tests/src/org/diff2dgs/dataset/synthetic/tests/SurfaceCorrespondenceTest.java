package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gt/surface/ names the tissue point each pixel sees: following it from one frame to a later one must land on the
 * same tissue (same true colour), far closer than staying at the same pixel while the tissue breathes.
 */
class SurfaceCorrespondenceTest {

    @TempDir
    Path dir;

    @Test
    void writtenOnlyWhenAskedAndDescribedInSceneJson() {
        Path plain = Scenes.generate(dir.resolve("plain"), 3, 2, 48, 40, Map.of());
        assertFalse(Files.exists(plain.resolve("gt/surface")));
        assertFalse(Scenes.sceneJson(plain).getAsJsonObject("layout").has("gt_surface"));
        assertFalse(Scenes.sceneJson(plain).getAsJsonObject("options").get("correspondence").getAsBoolean());
        Path with = Scenes.generate(dir.resolve("with"), 3, 2, 48, 40, Map.of("correspondence", "true"));
        assertTrue(Scenes.sceneJson(with).getAsJsonObject("layout").has("gt_surface"));
        NpyArray uv = Npy.read(with.resolve("gt/surface").resolve(Scenes.name(1) + ".surface.npy"));
        assertArrayEquals(new long[] {40, 48, 2}, uv.shape());
        assertEquals("<f4", uv.dtype());
        // the option adds files only: the rest of the clip is byte for byte the same
        for (String file : new String[] {"images", "gt/images", "depth", "masks"}) {
            String suffix = file.endsWith("images") ? ".color.png" : file.equals("masks") ? ".mask.png" : ".depth.png";
            Path name = Path.of(file, Scenes.name(1) + suffix);
            assertArrayEquals(read(plain.resolve(name)), read(with.resolve(name)), name.toString());
        }
    }

    @Test
    void followingTheCoordinatesLandsOnTheSameTissue() {
        // matte and noise-free (gt/images has no shadows): a tissue point's true colour changes only with its shading
        int w = 96;
        int h = 80;
        int last = 11;
        Path scene = Scenes.generate(dir.resolve("s"), 21, last + 1, w, h,
                Map.of("correspondence", "true", "specular", "0", "noise", "0", "motion", "3"));
        double[] a = Npy.read(scene.resolve("gt/surface").resolve(Scenes.name(0) + ".surface.npy")).data();
        double[] b = Npy.read(scene.resolve("gt/surface").resolve(Scenes.name(last) + ".surface.npy")).data();
        FloatImage first = Scenes.color(scene, "gt/images", 0);
        FloatImage later = Scenes.color(scene, "gt/images", last);
        double followed = 0;
        double stayed = 0;
        double moved = 0;
        int count = 0;
        for (int y = 8; y < h - 8; y += 2) {
            for (int x = 8; x < w - 8; x += 2) {
                int p = y * w + x;
                double[] q = locate(b, w, h, a[2 * p], a[2 * p + 1], x, y);
                if (q == null) {
                    continue;
                }
                moved += Math.hypot(q[0] - x, q[1] - y);
                for (int c = 0; c < 3; c++) {
                    double v = first.data()[c * w * h + p];
                    followed += sq(bilinear(later, c, q[0], q[1]) - v);
                    stayed += sq(later.data()[c * w * h + p] - v);
                }
                count++;
            }
        }
        assertTrue(count > 1000, "most pixels are found again: " + count);
        assertTrue(moved / count > 0.5, "the tissue moved between the frames: " + moved / count + " px");
        assertTrue(followed < stayed / 4, "followed " + followed + " against same pixel " + stayed);
    }

    /** Where a frame sees the tissue point (u, v), by Newton's method on its coordinate map from (x0, y0); or null. */
    private static double[] locate(double[] uv, int w, int h, double u, double v, double x0, double y0) {
        double x = x0;
        double y = y0;
        for (int i = 0; i < 20; i++) {
            double[] m = sample(uv, w, h, x, y);
            double[] mx = sample(uv, w, h, x + 0.5, y);
            double[] lx = sample(uv, w, h, x - 0.5, y);
            double[] my = sample(uv, w, h, x, y + 0.5);
            double[] ly = sample(uv, w, h, x, y - 0.5);
            double ux = mx[0] - lx[0];
            double vx = mx[1] - lx[1];
            double uy = my[0] - ly[0];
            double vy = my[1] - ly[1];
            double det = ux * vy - uy * vx;
            double ru = u - m[0];
            double rv = v - m[1];
            x += (vy * ru - uy * rv) / det;
            y += (-vx * ru + ux * rv) / det;
            if (!(x >= 1 && y >= 1 && x <= w - 2 && y <= h - 2)) {
                return null;
            }
        }
        double[] m = sample(uv, w, h, x, y);
        double pixelMm = Math.abs(sample(uv, w, h, x + 1, y)[0] - m[0]);
        return Math.hypot(m[0] - u, m[1] - v) < 0.01 * pixelMm ? new double[] {x, y} : null;
    }

    private static double[] sample(double[] uv, int w, int h, double x, double y) {
        x = Math.min(Math.max(x, 0), w - 1.001);
        y = Math.min(Math.max(y, 0), h - 1.001);
        int x0 = (int) x;
        int y0 = (int) y;
        double fx = x - x0;
        double fy = y - y0;
        double[] out = new double[2];
        for (int c = 0; c < 2; c++) {
            out[c] = (1 - fy) * ((1 - fx) * uv[2 * (y0 * w + x0) + c] + fx * uv[2 * (y0 * w + x0 + 1) + c])
                    + fy * ((1 - fx) * uv[2 * ((y0 + 1) * w + x0) + c] + fx * uv[2 * ((y0 + 1) * w + x0 + 1) + c]);
        }
        return out;
    }

    private static double bilinear(FloatImage img, int c, double x, double y) {
        int w = img.width();
        int n = img.pixels();
        int x0 = (int) x;
        int y0 = (int) y;
        double fx = x - x0;
        double fy = y - y0;
        float[] d = img.data();
        int p = c * n + y0 * w + x0;
        return (1 - fy) * ((1 - fx) * d[p] + fx * d[p + 1]) + fy * ((1 - fx) * d[p + w] + fx * d[p + w + 1]);
    }

    private static double sq(double v) {
        return v * v;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
