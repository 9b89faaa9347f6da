package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/** poses_bounds.npy follows the LLFF convention, and a moving camera's poses agree with the rendered geometry. */
class PosesTest {

    @TempDir
    Path dir;

    @Test
    void staticCameraHasIdentityPosesLikeEndoNerf() {
        Path scene = Scenes.generate(dir.resolve("s"), 1, 3, 64, 48, Map.of());
        NpyArray poses = Npy.read(scene.resolve("poses_bounds.npy"));
        for (int f = 0; f < 3; f++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(r == c ? 1 : 0, poses.get(f, 5 * r + c), 0, "frame " + f + " entry " + r + "," + c);
                }
            }
            double near = poses.get(f, 15);
            double far = poses.get(f, 16);
            assertTrue(near >= 0 && far > near && far < 1000, "bounds " + near + ".." + far);
        }
    }

    /**
     * With rigid tissue, a tissue point seen at depth z in frame 0 must appear in frame k exactly where the file's
     * poses project it, at the depth they predict. The LLFF decoding here is written independently of the generator.
     */
    @Test
    void movingCameraPosesReprojectTheTissueOntoItself() {
        int last = 12;
        Path scene = Scenes.generate(dir.resolve("s"), 17, last + 1, 160, 128, Map.of("camera", "moving", "motion",
                "0"));
        NpyArray poses = Npy.read(scene.resolve("poses_bounds.npy"));
        JsonObject k = Scenes.sceneJson(scene).getAsJsonObject("intrinsics");
        double fx = k.get("fx").getAsDouble();
        double fy = k.get("fy").getAsDouble();
        double cx = k.get("cx").getAsDouble();
        double cy = k.get("cy").getAsDouble();
        for (int f = 0; f <= last; f++) {
            double[] r = cameraToWorld(poses, f);
            double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6])
                    + r[2] * (r[3] * r[7] - r[4] * r[6]);
            assertEquals(1, det, 1e-9, "frame " + f + " rotation is proper");
        }
        double[] moved = centre(poses, last);
        double[] start = centre(poses, 0);
        double travel = Math.sqrt(sq(moved[0] - start[0]) + sq(moved[1] - start[1]) + sq(moved[2] - start[2]));
        assertTrue(travel > 1, "the camera moved " + travel + " mm");

        FloatImage depth0 = Scenes.depthMm(scene, "gt/depth", 0);
        FloatImage depthK = Scenes.depthMm(scene, "gt/depth", last);
        double[] right = reprojectionErrors(depth0, depthK, poses, 0, last, fx, fy, cx, cy);
        double[] wrong = reprojectionErrors(depth0, depthK, poses, 0, 0, fx, fy, cx, cy);
        double median = right[right.length / 2];
        double p99 = right[(int) (right.length * 0.99)];
        assertTrue(median < 0.05, "median depth disagreement " + median + " mm");
        assertTrue(p99 < 0.5, "99th percentile depth disagreement " + p99 + " mm");
        assertTrue(wrong[wrong.length / 2] > 10 * median, "ignoring the camera motion must not fit as well");
    }

    /** Sorted |predicted - rendered| depth (mm) for pixels of frame a mapped into frame b with b's pose from row pb. */
    private static double[] reprojectionErrors(FloatImage depthA, FloatImage depthB, NpyArray poses, int a, int pb,
            double fx, double fy, double cx, double cy) {
        double[] ra = cameraToWorld(poses, a);
        double[] ca = centre(poses, a);
        double[] rb = cameraToWorld(poses, pb);
        double[] cb = centre(poses, pb);
        int w = depthA.width();
        int h = depthA.height();
        double[] errors = new double[w * h];
        int n = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                double z = depthA.get(0, x, y);
                double[] cam = {z * (x + 0.5 - cx) / fx, z * (y + 0.5 - cy) / fy, z};
                double[] world = new double[3];
                for (int i = 0; i < 3; i++) {
                    world[i] = ra[3 * i] * cam[0] + ra[3 * i + 1] * cam[1] + ra[3 * i + 2] * cam[2] + ca[i];
                }
                double[] inB = new double[3];
                for (int i = 0; i < 3; i++) {
                    // R^T (world - centre)
                    inB[i] = rb[i] * (world[0] - cb[0]) + rb[3 + i] * (world[1] - cb[1]) + rb[6 + i] * (world[2]
                            - cb[2]);
                }
                double u = fx * inB[0] / inB[2] + cx - 0.5;
                double v = fy * inB[1] / inB[2] + cy - 0.5;
                if (u < 1 || v < 1 || u > w - 2 || v > h - 2) {
                    continue;
                }
                errors[n++] = Math.abs(bilinear(depthB, u, v) - inB[2]);
            }
        }
        double[] e = Arrays.copyOf(errors, n);
        Arrays.sort(e);
        assertTrue(n > w * h / 8, "most of the view stays in view");
        return e;
    }

    /** OpenCV camera-to-world rotation (row-major) from an LLFF row: columns (right, down, forward) = (c1, c0, -c2). */
    private static double[] cameraToWorld(NpyArray poses, int f) {
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            r[3 * i] = poses.get(f, 5 * i + 1);
            r[3 * i + 1] = poses.get(f, 5 * i);
            r[3 * i + 2] = -poses.get(f, 5 * i + 2);
        }
        return r;
    }

    private static double[] centre(NpyArray poses, int f) {
        return new double[] {poses.get(f, 3), poses.get(f, 8), poses.get(f, 13)};
    }

    private static double bilinear(FloatImage image, double u, double v) {
        int x = (int) Math.floor(u);
        int y = (int) Math.floor(v);
        double fx = u - x;
        double fy = v - y;
        double top = image.get(0, x, y) * (1 - fx) + image.get(0, x + 1, y) * fx;
        double bottom = image.get(0, x, y + 1) * (1 - fx) + image.get(0, x + 1, y + 1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static double sq(double v) {
        return v * v;
    }
}
