package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the .npy reader: thousands of damaged files from fixed seeds. A damaged file may still parse
 * (a flipped data bit is a valid number) but nothing may escape except DatasetException, and nothing may allocate
 * more than the file could hold.
 */
class NpyFuzzTest {

    private static final Path NAME = Path.of("fuzz.npy");
    private static final String[] DTYPES = {"<f4", ">f8", "<f8", "<i2", "|u1", "<u4", "<i8", "<f2"};

    @TempDir
    Path dir;

    @Test
    void mutatedFilesOnlyEverFailWithDatasetException() {
        Random rnd = new Random(20240607L);
        int parsed = 0;
        int rejected = 0;
        for (int round = 0; round < 6000; round++) {
            byte[] seed = seedFile(rnd);
            byte[] bytes = mutate(seed, rnd);
            try {
                NpyArray a = Npy.parse(bytes, NAME);
                long n = 1;
                for (long d : a.shape()) {
                    n *= d;
                }
                assertEquals(n, a.data().length);
                assertTrue(a.data().length * 1L <= bytes.length, "more values than bytes");
                parsed++;
            } catch (DatasetException e) {
                assertEquals(NAME, e.file());
                assertTrue(e.getMessage().length() > NAME.toString().length() + 5);
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("round " + round + " escaped with " + e + " on bytes " + Arrays.toString(
                        Arrays.copyOf(bytes, Math.min(bytes.length, 140))), e);
            }
        }
        assertTrue(parsed > 300, "mutations too destructive to test the parser's success path: " + parsed);
        assertTrue(rejected > 300, "mutations too mild: " + rejected);
    }

    @Test
    void mutatedFilesOnDiskBehaveLikeParsedBytes() throws IOException {
        Random rnd = new Random(77);
        Path f = dir.resolve("fuzz.npy");
        for (int round = 0; round < 400; round++) {
            byte[] bytes = mutate(seedFile(rnd), rnd);
            Files.write(f, bytes);
            NpyArray fromBytes = null;
            String bytesError = null;
            try {
                fromBytes = Npy.parse(bytes, f);
            } catch (DatasetException e) {
                bytesError = e.getMessage();
            }
            try {
                NpyArray fromDisk = Npy.read(f);
                assertEquals(fromBytes, fromDisk, "round " + round);
            } catch (DatasetException e) {
                assertEquals(bytesError, e.getMessage(), "round " + round);
            }
        }
    }

    private static byte[] seedFile(Random rnd) {
        String descr = DTYPES[rnd.nextInt(DTYPES.length)];
        int rows = 1 + rnd.nextInt(6);
        int cols = 1 + rnd.nextInt(17);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(200) - 100;
        }
        String shape = rnd.nextBoolean() ? "(" + rows + ", " + cols + ")" : "(" + (rows * cols) + ",)";
        return NpyBytes.file(1 + rnd.nextInt(3), NpyBytes.dict(descr, rnd.nextBoolean(), shape),
                NpyBytes.payload(descr, v));
    }

    private static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        switch (rnd.nextInt(7)) {
            case 0 -> { // bit flips anywhere
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int i = rnd.nextInt(b.length);
                    b[i] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // bit flips in the prefix and header only
                int i = rnd.nextInt(Math.min(b.length, 80));
                b[i] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
            case 3 -> { // header edits: replace a character with one that matters to the grammar
                String alphabet = "(){}[]',:-0123456789 LTrueFalse<>|fiub\"\n";
                int i = 10 + rnd.nextInt(Math.max(1, Math.min(b.length - 10, 70)));
                if (i < b.length) {
                    b[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
                }
            }
            case 4 -> { // random bytes after a valid magic
                int n = rnd.nextInt(200);
                b = new byte[6 + n];
                System.arraycopy(in, 0, b, 0, 6);
                for (int i = 6; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            case 5 -> { // lying header length
                int i = 8 + rnd.nextInt(2);
                b[i] = (byte) rnd.nextInt(256);
            }
            default -> { // bytes appended or removed in the middle
                int at = rnd.nextInt(b.length);
                int n = 1 + rnd.nextInt(9);
                byte[] c = new byte[b.length + (rnd.nextBoolean() ? n : -Math.min(n, b.length - at))];
                if (c.length > b.length) {
                    System.arraycopy(b, 0, c, 0, at);
                    for (int i = 0; i < n; i++) {
                        c[at + i] = (byte) rnd.nextInt(256);
                    }
                    System.arraycopy(b, at, c, at + n, b.length - at);
                } else {
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, b.length - (c.length - at), c, at, c.length - at);
                }
                b = c;
            }
        }
        return b;
    }
}
