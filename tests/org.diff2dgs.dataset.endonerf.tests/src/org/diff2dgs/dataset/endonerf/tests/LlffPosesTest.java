package org.diff2dgs.dataset.endonerf.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.dataset.endonerf.internal.LlffPoses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlffPosesTest {

    @TempDir
    Path dir;

    /** An LLFF row whose camera sits at {@code centre} with the given (down, right, back) axes. */
    private static double[] llffRow(double[] down, double[] right, double[] back, double[] centre) {
        double[] row = new double[17];
        for (int r = 0; r < 3; r++) {
            row[r * 5] = down[r];
            row[r * 5 + 1] = right[r];
            row[r * 5 + 2] = back[r];
            row[r * 5 + 3] = centre[r];
        }
        row[4] = 24;
        row[9] = 32;
        row[14] = 40;
        row[15] = 0.5;
        row[16] = 50;
        return row;
    }

    @Test
    void cameraAxesMapToOpenCvAxes() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            double[][] axes = randomRotationColumns(rnd);
            double[] down = axes[0];
            double[] right = axes[1];
            double[] back = axes[2];
            double[] centre = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            Pose pose = LlffPoses.toWorldToCamera(llffRow(down, right, back, centre), 0, 5);
            double[] c = new double[3];
            // the camera centre maps to the origin
            pose.toCamera(centre[0], centre[1], centre[2], c);
            assertArrayEquals(new double[3], c, 1e-12);
            // a point ahead of the camera (against LLFF "back") has positive z
            pose.toCamera(centre[0] - 2 * back[0], centre[1] - 2 * back[1], centre[2] - 2 * back[2], c);
            assertArrayEquals(new double[] {0, 0, 2}, c, 1e-12);
            // LLFF "right" is camera +x, LLFF "down" is camera +y
            pose.toCamera(centre[0] + right[0], centre[1] + right[1], centre[2] + right[2], c);
            assertArrayEquals(new double[] {1, 0, 0}, c, 1e-12);
            pose.toCamera(centre[0] + down[0], centre[1] + down[1], centre[2] + down[2], c);
            assertArrayEquals(new double[] {0, 1, 0}, c, 1e-12);
            assertTrue(pose.orthonormalityError() < 1e-12);
            assertArrayEquals(centre, pose.centre(), 1e-12);
        }
    }

    @Test
    void identityLlffPoseOfThePublicClips() {
        double[] row = llffRow(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1},
                new double[3]);
        Pose pose = LlffPoses.toWorldToCamera(row, 0, 5);
        // world x = down -> camera y, world y = right -> camera x, world z = back -> camera -z
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1}, pose.rotation(), 0);
        assertArrayEquals(new double[3], pose.translation(), 0);
        assertEquals(new org.diff2dgs.core.model.Pose(new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1}, new double[3]), pose,
                "no negative zeros: poses compare equal");
    }

    @Test
    void readsRowsWithSizeFocalAndBounds() {
        Random rnd = new Random(4);
        double[][] axes = randomRotationColumns(rnd);
        double[] row = llffRow(axes[0], axes[1], axes[2], new double[] {1, 2, 3});
        double[] two = new double[34];
        System.arraycopy(row, 0, two, 0, 17);
        System.arraycopy(row, 0, two, 17, 17);
        two[17 + 3] = 5; // the second camera moved
        Path f = dir.resolve("poses_bounds.npy");
        Npy.write(f, new long[] {2, 17}, two);
        List<LlffPoses.Row> rows = LlffPoses.read(f);
        assertEquals(2, rows.size());
        assertEquals(24, rows.get(0).height());
        assertEquals(32, rows.get(0).width());
        assertEquals(40, rows.get(0).focal());
        assertEquals(0.5, rows.get(0).near());
        assertEquals(50, rows.get(0).far());
        assertTrue(LlffPoses.cameraMoves(rows));
        assertFalse(LlffPoses.cameraMoves(List.of(rows.get(0), rows.get(0))));
        // float32 files read the same way
        float[] f32 = new float[17];
        for (int k = 0; k < 17; k++) {
            f32[k] = (float) llffRow(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1},
                    new double[3])[k];
        }
        Npy.write(f, new long[] {1, 17}, f32);
        assertEquals(40, LlffPoses.read(f).get(0).focal());
    }

    @Test
    void everyBadRowIsNamed() throws Exception {
        double[] good = llffRow(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1},
                new double[3]);
        expectBad(good, 3, Double.NaN, "row 0 column 3 is NaN");
        expectBad(good, 7, Double.POSITIVE_INFINITY, "column 7 is Infinity");
        expectBad(good, 14, 0, "focal length 0.0");
        expectBad(good, 14, -5, "focal length -5.0");
        expectBad(good, 4, 24.5, "expected positive whole numbers");
        expectBad(good, 9, 0, "expected positive whole numbers");
        expectBad(good, 4, 1e12, "expected positive whole numbers");
        expectBad(good, 16, 0.25, "expected 0 <= near < far");
        expectBad(good, 15, -1, "expected 0 <= near < far");
        expectBad(good, 0, 2, "not orthonormal");
        double[] reflected = good.clone();
        reflected[12] = -1; // back axis flipped: a reflection
        Path f = dir.resolve("p.npy");
        Npy.write(f, new long[] {1, 17}, reflected);
        assertTrue(assertThrows(DatasetException.class, () -> LlffPoses.read(f)).getMessage().contains("reflection"));
        Npy.write(f, new long[] {17}, good);
        assertTrue(assertThrows(DatasetException.class, () -> LlffPoses.read(f)).getMessage().contains(
                "expected (N, 17)"));
        Npy.write(f, new long[] {1, 15}, java.util.Arrays.copyOf(good, 15));
        assertTrue(assertThrows(DatasetException.class, () -> LlffPoses.read(f)).getMessage().contains(
                "expected (N, 17)"));
        Npy.write(f, new long[] {0, 17}, new double[0]);
        assertTrue(assertThrows(DatasetException.class, () -> LlffPoses.read(f)).getMessage().contains("no rows"));
        Files.write(f, new byte[] {1, 2, 3});
        assertEquals(f, assertThrows(DatasetException.class, () -> LlffPoses.read(f)).file());
    }

    private void expectBad(double[] good, int column, double value, String fragment) {
        double[] rows = new double[34];
        System.arraycopy(good, 0, rows, 0, 17);
        System.arraycopy(good, 0, rows, 17, 17);
        rows[column] = value;
        Path f = dir.resolve("bad.npy");
        Npy.write(f, new long[] {2, 17}, rows);
        DatasetException e = assertThrows(DatasetException.class, () -> LlffPoses.read(f));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains(fragment), () -> e.getMessage() + " lacks " + fragment);
    }

    /** Columns of a random proper rotation (Gram-Schmidt on Gaussian vectors). */
    static double[][] randomRotationColumns(Random rnd) {
        double[] a = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
        double[] b = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
        normalize(a);
        double d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        for (int k = 0; k < 3; k++) {
            b[k] -= d * a[k];
        }
        normalize(b);
        double[] c = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
        return new double[][] {a, b, c};
    }

    private static void normalize(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int k = 0; k < 3; k++) {
            v[k] /= n;
        }
    }
}
