package org.diff2dgs.train.internal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.internal.PointCloudInitializer;
import org.junit.jupiter.api.Test;

/**
 * The published initialization (endo_loader.py get_sparse_pts / search_pts_colors_with_motion, flexible_deform_model
 * create_from_pcd) on a tilted plane seen by a static camera, with an instrument band that moves across the frames.
 */
class PointCloudInitializerTest {

    static final int W = 64;
    static final int H = 48;
    static final int FRAMES = 8;
    static final int TEST_FRAME = 1;
    static final float TEST_DEPTH = 1000f;
    static final Intrinsics K = Intrinsics.centred(60, W, H);

    /** Depth of the plane at pixel (x, y): z = 2 + 0.01 x + 0.005 y, with a little seeded noise. */
    static Sequence scene(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Frame> frames = new ArrayList<>();
        for (int f = 0; f < FRAMES; f++) {
            float[] rgb = new float[3 * W * H];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (float) r.nextDouble(0.2, 0.8);
            }
            float[] depth = new float[W * H];
            float[] mask = new float[W * H];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    depth[y * W + x] = f == TEST_FRAME ? TEST_DEPTH
                            : (float) (2 + 0.01 * x + 0.005 * y + r.nextDouble(-1e-4, 1e-4));
                    // an instrument band 16 pixels wide that moves 6 pixels per frame
                    mask[y * W + x] = x >= 8 + 6 * f && x < 24 + 6 * f ? 1f : 0f;
                }
            }
            Camera cam = new Camera(K, Pose.identity(), 0.01, 100);
            frames.add(new Frame(f, f / (double) FRAMES, "f" + f, cam, new FloatImage(W, H, 3, rgb),
                    new FloatImage(W, H, 1, depth), new FloatImage(W, H, 1, mask), null, null));
        }
        int[] train = {0, 2, 3, 4, 5, 6, 7};
        return new Sequence("plane", Path.of("plane"), frames, new Split("test", train, new int[] {TEST_FRAME}),
                null);
    }

    static GaussianModel init(Sequence s, TrainOptions o) {
        return PointCloudInitializer.initialize(s, s.split().train(), o, 6666);
    }

    @Test
    void phasesAreTimedWithoutChangingTheSurfels() {
        Sequence s = scene(11);
        TrainOptions o = TrainOptions.published();
        Map<String, Double> phases = new java.util.LinkedHashMap<>();
        long t0 = System.nanoTime();
        GaussianModel timed = PointCloudInitializer.initialize(s, s.split().train(), o, 6666, phases);
        double total = (System.nanoTime() - t0) / 1e9;
        GaussianModel plain = init(s, o);
        assertEquals(List.of("firstFrame", "motionMask", "laterFrames", "neighbours", "surfels"),
                List.copyOf(phases.keySet()));
        double sum = 0;
        for (double v : phases.values()) {
            assertTrue(v >= 0 && Double.isFinite(v), phases.toString());
            sum += v;
        }
        assertTrue(sum <= total * 1.01 + 1e-3, "phases " + sum + " s within the call's " + total + " s");
        assertTrue(Arrays.equals(plain.positions(), timed.positions()) && Arrays.equals(plain.sh(), timed.sh())
                && Arrays.equals(plain.logScales(), timed.logScales()), "timing changed the surfels");
    }

    @Test
    void pointsAreTissuePixelsOfTrainingFramesOnly() {
        Sequence s = scene(3);
        GaussianModel m = init(s, TrainOptions.published());
        int underFirstInstrument = 0;
        for (int i = 0; i < m.count(); i++) {
            double x = m.positions()[3 * i];
            double y = m.positions()[3 * i + 1];
            double z = m.positions()[3 * i + 2];
            assertTrue(z < 10, "a test frame's depth was used: z = " + z);
            int u = (int) Math.floor(K.fx() * x / z + K.cx());
            int v = (int) Math.floor(K.fy() * y / z + K.cy());
            boolean seen = false;
            for (int f : s.split().train()) {
                Frame fr = s.frame(f);
                if (fr.instrumentMask().data()[v * W + u] < 0.5f
                        && Math.abs(fr.depth().data()[v * W + u] - z) < 1e-5) {
                    seen = true;
                }
            }
            assertTrue(seen, "point " + i + " is no tissue pixel of a training frame");
            if (s.frame(0).instrumentMask().data()[v * W + u] > 0.5f) {
                underFirstInstrument++;
            }
        }
        // frame 0: 48 x 48 tissue pixels, 10 % kept; later frames add 10 % of the newly seen pixels, then 10 %
        int firstTissue = W * H - 16 * H;
        assertTrue(m.count() >= firstTissue / 10 && m.count() < (W * H) / 10 + 100, "count " + m.count());
        assertTrue(underFirstInstrument > 5, "later frames fill where frame 0 saw the instrument: "
                + underFirstInstrument);
    }

    @Test
    void scalesAreTheLogOfTheRmsDistanceToThreeNeighboursAndOpacityIsOneTenth() {
        GaussianModel m = init(scene(5), TrainOptions.published());
        int n = m.count();
        for (int i = 0; i < n; i += 7) {
            double[] d = new double[n - 1];
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double dx = m.positions()[3 * j] - m.positions()[3 * i];
                    double dy = m.positions()[3 * j + 1] - m.positions()[3 * i + 1];
                    double dz = m.positions()[3 * j + 2] - m.positions()[3 * i + 2];
                    d[k++] = dx * dx + dy * dy + dz * dz;
                }
            }
            Arrays.sort(d);
            double expected = Math.log(Math.sqrt(Math.max((d[0] + d[1] + d[2]) / 3, 1e-7)));
            assertEquals(expected, m.logScales()[2 * i], 1e-4);
            assertEquals(expected, m.logScales()[2 * i + 1], 1e-4);
            assertEquals(0.1, 1 / (1 + Math.exp(-m.opacityLogits()[i])), 1e-6);
        }
    }

    @Test
    void rotationsAreUniformRandomOrFacingTheSurface() {
        Sequence s = scene(7);
        GaussianModel random = init(s, TrainOptions.published());
        double mean = 0;
        for (float q : random.rotations()) {
            assertTrue(q >= 0 && q < 1, "torch.rand component outside [0,1): " + q);
            mean += q;
        }
        mean /= random.rotations().length;
        assertEquals(0.5, mean, 0.05);

        GaussianModel facing = init(s, TrainOptions.published().with(Map.of("initRotation", "depth-normal")));
        // the plane's normal in camera space: gradient of z = 2 + 0.01 x_px + 0.005 y_px, facing the camera
        for (int i = 0; i < facing.count(); i += 11) {
            double w = facing.rotations()[4 * i];
            double x = facing.rotations()[4 * i + 1];
            double y = facing.rotations()[4 * i + 2];
            double z = facing.rotations()[4 * i + 3];
            // third column of R(q): the surfel's normal
            double nz = 1 - 2 * (x * x + y * y);
            assertTrue(nz < -0.9, "surfel " + i + " does not face the camera: n_z = " + nz);
        }
    }
}
