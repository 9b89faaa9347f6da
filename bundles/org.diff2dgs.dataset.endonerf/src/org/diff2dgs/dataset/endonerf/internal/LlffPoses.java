package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;
import org.diff2dgs.core.model.Pose;

/**
 * The one place where LLFF camera matrices become our {@link Pose}.
 * <p>
 * A row of poses_bounds.npy holds a 3x5 matrix (row-major) and two bounds: columns 0-2 are the camera-to-world
 * rotation whose columns are the camera's (down, right, back) axes in the world, column 3 is the camera centre,
 * column 4 is (H, W, focal); then near and far. Our pose is world-to-camera with camera axes x right, y down, z forward
 * (OpenCV), so the camera-to-world rotation is [right | down | -back] = [c1 | c0 | -c2] and the pose is its inverse.
 * Deform3DGS instead reads the matrix as OpenGL axes (negating c1 and c2): for the public clips, whose poses are all the
 * identity, that differs from ours only by one fixed rotation of the world, which nothing downstream observes because
 * points are back-projected with the same poses.
 */
public final class LlffPoses {

    /** One row, checked: pose converted, image size and focal from column 4, near and far bounds. */
    public record Row(Pose pose, int height, int width, double focal, double near, double far) {
    }

    public static final int COLUMNS = 17;
    private static final int MAX_SIDE = 1 << 16;
    /** Far beyond any scene unit, far below where -R^T c could overflow. */
    private static final double MAX_CENTRE = 1e300;

    private LlffPoses() {
    }

    /**
     * Converts a 3x4 LLFF camera-to-world matrix (row-major, 12 values; extra values per row ignored via
     * {@code stride}) to a world-to-camera pose. The caller has checked that the values are finite.
     */
    public static Pose toWorldToCamera(double[] m, int offset, int stride) {
        double[] rc2w = new double[9];
        double[] centre = new double[3];
        for (int r = 0; r < 3; r++) {
            double down = m[offset + r * stride];
            double right = m[offset + r * stride + 1];
            double back = m[offset + r * stride + 2];
            rc2w[r * 3] = right;
            rc2w[r * 3 + 1] = down;
            rc2w[r * 3 + 2] = -back;
            centre[r] = m[offset + r * stride + 3];
        }
        // world-to-camera: R = Rc2w^T, t = -R * centre
        double[] rot = new double[9];
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                rot[i * 3 + j] = rc2w[j * 3 + i];
            }
            t[i] = -(rot[i * 3] * centre[0] + rot[i * 3 + 1] * centre[1] + rot[i * 3 + 2] * centre[2]);
        }
        // adding 0.0 turns -0.0 into 0.0, so equal cameras give equal (Arrays.equals) poses
        for (int k = 0; k < 9; k++) {
            rot[k] += 0.0;
        }
        for (int k = 0; k < 3; k++) {
            t[k] += 0.0;
        }
        return new Pose(rot, t);
    }

    /** Reads and checks poses_bounds.npy; throws {@link DatasetException} naming the file at the first problem. */
    public static List<Row> read(Path file) {
        return parse(Npy.read(file), file, Problems.throwing());
    }

    /** As {@link #read} for bytes already in memory; {@code name} is what errors call the file. */
    public static List<Row> parse(byte[] bytes, Path name) {
        return parse(Npy.parse(bytes, name), name, Problems.throwing());
    }

    /**
     * Checks and converts every row; each bad row is reported with what was expected. Rows that fail are null in the
     * result so that frame indices stay aligned.
     */
    static List<Row> parse(NpyArray a, Path file, Problems problems) {
        if (a.ndim() != 2 || a.shape()[1] != COLUMNS) {
            problems.add(file, "shape " + Arrays.toString(a.shape()) + ", expected (N, 17): per frame a 3x5 LLFF "
                    + "matrix (rotation, translation, H/W/focal) and near/far bounds");
            return null;
        }
        if (a.rows() == 0) {
            problems.add(file, "has no rows, expected one per frame");
            return null;
        }
        int n = a.rows();
        double[] row = new double[COLUMNS];
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < COLUMNS; k++) {
                row[k] = a.get(i, k);
            }
            rows.add(checkRow(row, i, file, problems));
        }
        return rows;
    }

    private static Row checkRow(double[] row, int i, Path file, Problems problems) {
        for (int k = 0; k < COLUMNS; k++) {
            if (!Double.isFinite(row[k])) {
                problems.add(file, "row " + i + " column " + k + " is " + row[k] + ", expected a finite number");
                return null;
            }
        }
        double h = row[4];
        double w = row[9];
        double focal = row[14];
        double near = row[15];
        double far = row[16];
        boolean ok = true;
        if (!(focal > 0)) {
            problems.add(file, "row " + i + ": focal length " + focal + ", expected > 0 (pixels)");
            ok = false;
        }
        if (!isSide(h) || !isSide(w)) {
            problems.add(file, "row " + i + ": image size H=" + h + " W=" + w + ", expected positive whole numbers");
            ok = false;
        }
        if (!(near >= 0) || !(far > near)) {
            problems.add(file, "row " + i + ": bounds near=" + near + " far=" + far + ", expected 0 <= near < far");
            ok = false;
        }
        if (!ok) {
            return null;
        }
        // t = -R^T c must stay finite: entries of an orthonormal R lie in [-1, 1], and a bounded centre keeps the sum
        // of three products far from overflow (a finite but huge centre once made the pose itself reject the row)
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (Math.abs(row[r * 5 + c]) > 1 + 1e-3) {
                    problems.add(file, "row " + i + ": the 3x3 rotation is not orthonormal (entry " + row[r * 5 + c]
                            + " outside [-1, 1])");
                    return null;
                }
            }
            if (Math.abs(row[r * 5 + 3]) > MAX_CENTRE) {
                problems.add(file, "row " + i + ": camera centre " + row[3] + ", " + row[8] + ", " + row[13]
                        + " is out of range (|value| above " + MAX_CENTRE + ")");
                return null;
            }
        }
        Pose pose = toWorldToCamera(row, 0, 5);
        double err = pose.orthonormalityError();
        if (err > 1e-3) {
            problems.add(file, "row " + i + ": the 3x3 rotation is not orthonormal (R^T R deviates from I by "
                    + String.format("%.3g", err) + ")");
            return null;
        }
        if (determinant(pose.rotation()) < 0) {
            problems.add(file, "row " + i + ": the 3x3 rotation is a reflection (determinant < 0), expected LLFF "
                    + "axes down, right, back");
            return null;
        }
        return new Row(pose, (int) h, (int) w, focal, near, far);
    }

    private static boolean isSide(double v) {
        return v >= 1 && v <= MAX_SIDE && v == Math.rint(v);
    }

    private static double determinant(double[] r) {
        return r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6])
                + r[2] * (r[3] * r[7] - r[4] * r[6]);
    }

    /** True when some pose differs from the first: the camera moves (StereoMIS) rather than stays put (EndoNeRF). */
    public static boolean cameraMoves(List<Row> rows) {
        Row first = null;
        for (Row r : rows) {
            if (r == null) {
                continue;
            }
            if (first == null) {
                first = r;
                continue;
            }
            for (int k = 0; k < 9; k++) {
                if (Math.abs(r.pose().rotation()[k] - first.pose().rotation()[k]) > 1e-6) {
                    return true;
                }
            }
            for (int k = 0; k < 3; k++) {
                if (Math.abs(r.pose().translation()[k] - first.pose().translation()[k]) > 1e-6) {
                    return true;
                }
            }
        }
        return false;
    }
}
