package org.diff2dgs.dataset.endonerf.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.dataset.endonerf.internal.LlffPoses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of poses_bounds.npy parsing: bit flips, truncation, header edits, poisoned values (NaN, Inf,
 * zero, huge) and random bytes, from fixed seeds. Whatever happens, only DatasetException may come out, and a
 * file that parses yields only finite, sane rows.
 */
class PoseFuzzTest {

    private static final Path NAME = Path.of("poses_bounds.npy");

    @TempDir
    Path dir;

    @Test
    void damagedPoseFilesOnlyFailWithDatasetException() throws IOException {
        Random rnd = new Random(91);
        List<byte[]> seeds = seeds(rnd, 40);
        int parsed = 0;
        int rejected = 0;
        for (int round = 0; round < 5000; round++) {
            byte[] bytes = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            try {
                List<LlffPoses.Row> rows = LlffPoses.parse(bytes, NAME);
                for (LlffPoses.Row r : rows) {
                    assertNotNull(r);
                    assertTrue(r.focal() > 0 && Double.isFinite(r.focal()));
                    assertTrue(r.width() > 0 && r.height() > 0);
                    assertTrue(r.near() >= 0 && r.far() > r.near());
                    assertTrue(r.pose().orthonormalityError() <= 1e-3);
                }
                parsed++;
            } catch (DatasetException e) {
                assertEquals(NAME, e.file());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("round " + round + " escaped with " + e + " on " + Arrays.toString(Arrays.copyOf(bytes,
                        Math.min(160, bytes.length))), e);
            }
        }
        assertTrue(parsed > 200, "too few mutants parsed: " + parsed);
        assertTrue(rejected > 1000, "too few mutants rejected: " + rejected);
    }

    @Test
    void damagedPoseFilesOnDiskOnlyFailWithDatasetException() throws IOException {
        Random rnd = new Random(92);
        List<byte[]> seeds = seeds(rnd, 10);
        Path f = dir.resolve("poses_bounds.npy");
        for (int round = 0; round < 300; round++) {
            Files.write(f, mutate(seeds.get(rnd.nextInt(seeds.size())), rnd));
            try {
                LlffPoses.read(f);
            } catch (DatasetException e) {
                assertEquals(f, e.file());
            }
        }
    }

    private List<byte[]> seeds(Random rnd, int count) throws IOException {
        List<byte[]> seeds = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add(validFile(rnd));
        }
        return seeds;
    }

    /** A valid (N, 17) file of float64 or float32 with random rotations and translations. */
    private byte[] validFile(Random rnd) throws IOException {
        int n = 1 + rnd.nextInt(5);
        double[] v = new double[n * 17];
        for (int i = 0; i < n; i++) {
            double[][] axes = LlffPosesTest.randomRotationColumns(rnd);
            for (int r = 0; r < 3; r++) {
                v[i * 17 + r * 5] = axes[0][r];
                v[i * 17 + r * 5 + 1] = axes[1][r];
                v[i * 17 + r * 5 + 2] = axes[2][r];
                v[i * 17 + r * 5 + 3] = rnd.nextGaussian();
            }
            v[i * 17 + 4] = 512;
            v[i * 17 + 9] = 640;
            v[i * 17 + 14] = 569.468;
            v[i * 17 + 15] = 0;
            v[i * 17 + 16] = 120;
        }
        Path f = dir.resolve("seed.npy");
        if (rnd.nextBoolean()) {
            Npy.write(f, new long[] {n, 17}, v);
        } else {
            float[] fv = new float[v.length];
            for (int k = 0; k < v.length; k++) {
                fv[k] = (float) v[k];
            }
            Npy.write(f, new long[] {n, 17}, fv);
        }
        return Files.readAllBytes(f);
    }

    private static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        int headerEnd = 10 + ((b[8] & 0xFF) | (b[9] & 0xFF) << 8);
        boolean f8 = new String(b, 0, headerEnd, java.nio.charset.StandardCharsets.ISO_8859_1).contains("<f8");
        int size = f8 ? 8 : 4;
        int values = (b.length - headerEnd) / size;
        switch (rnd.nextInt(6)) {
            case 0 -> { // bit flips in the values: exponent bits make NaN, Inf, huge or tiny numbers
                for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                    b[headerEnd + rnd.nextInt(b.length - headerEnd)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // poisoned value at a random index
                double[] poison = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -1, 1e300,
                        -0.0, 0.5, 1e-300, 65537};
                double p = poison[rnd.nextInt(poison.length)];
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                int at = headerEnd + rnd.nextInt(values) * size;
                if (f8) {
                    bb.putDouble(at, p);
                } else {
                    bb.putFloat(at, (float) p);
                }
            }
            case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
            case 3 -> { // header edits: shape, dtype, order
                String h = new String(b, 0, headerEnd, java.nio.charset.StandardCharsets.ISO_8859_1);
                String[][] edits = {{"17)", "16)"}, {"17)", "18)"}, {"(", "(0, "}, {"False", "True"}, {"<f", ">f"},
                        {"<f8", "<i8"}, {"<f4", "<f2"}, {", 17", ""}, {"'shape'", "'shap'"}, {"17", "99999999999"}};
                String[] e = edits[rnd.nextInt(edits.length)];
                String edited = h.replaceFirst(java.util.regex.Pattern.quote(e[0]), e[1]);
                byte[] eh = edited.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                eh[8] = (byte) ((eh.length - 10) & 0xFF);
                eh[9] = (byte) ((eh.length - 10) >>> 8);
                byte[] c = new byte[eh.length + b.length - headerEnd];
                System.arraycopy(eh, 0, c, 0, eh.length);
                System.arraycopy(b, headerEnd, c, eh.length, b.length - headerEnd);
                b = c;
            }
            case 4 -> { // random bytes anywhere
                for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            default -> { // a random tail appended
                byte[] c = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(40));
                for (int k = b.length; k < c.length; k++) {
                    c[k] = (byte) rnd.nextInt(256);
                }
                b = c;
            }
        }
        return b;
    }
}
