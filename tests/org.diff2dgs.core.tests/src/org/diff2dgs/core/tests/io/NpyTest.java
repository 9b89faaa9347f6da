package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {

    private static final Path NAME = Path.of("test.npy");

    @TempDir
    Path dir;

    @Test
    void doubleRoundTripKeepsEveryBit() throws IOException {
        Random rnd = new Random(11);
        double[] v = new double[156 * 17];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian() * 1e3;
        }
        v[5] = Double.NaN;
        v[6] = Double.NEGATIVE_INFINITY;
        v[7] = -0.0;
        Path f = dir.resolve("poses_bounds.npy");
        Npy.write(f, new long[] {156, 17}, v);
        NpyArray a = Npy.read(f);
        assertArrayEquals(new long[] {156, 17}, a.shape());
        assertEquals("<f8", a.dtype());
        assertFalse(a.fortranOrder());
        assertEquals(156, a.rows());
        assertEquals(156L * 17, a.size());
        assertArrayEquals(v, a.data());
        assertEquals(v[3 * 17 + 4], a.get(3, 4));
        assertEquals(0, (Files.size(f) - v.length * 8L) % 64, "header padded to 64 bytes like NumPy");
    }

    @Test
    void floatRoundTripAndShapes() {
        Random rnd = new Random(12);
        for (long[] shape : new long[][] {{7}, {3, 4}, {2, 3, 5}, {}, {0, 17}, {1, 1, 1, 1}}) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextFloat() * 200 - 100;
            }
            Path f = dir.resolve("a" + shape.length + "_" + n + ".npy");
            Npy.write(f, shape, v);
            NpyArray a = Npy.read(f);
            assertArrayEquals(shape, a.shape());
            assertEquals("<f4", a.dtype());
            for (int i = 0; i < v.length; i++) {
                assertEquals(v[i], (float) a.data()[i]);
            }
        }
        NpyArray scalar = Npy.read(dir.resolve("a0_1.npy"));
        assertEquals(1, scalar.rows());
        assertEquals(scalar.data()[0], scalar.get());
    }

    @Test
    void writeRejectsWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new long[] {2, 3},
                new float[5]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<f2", "<f4", ">f4", "<f8", ">f8", "|i1", "|u1", "<i2", ">i2", "<u2", ">u2", "<i4",
            ">i4", "<u4", "<i8", ">i8", "<u8", "|b1"})
    void everySupportedDtypeDecodes(String descr) {
        Random rnd = new Random(descr.hashCode());
        double[] v = new double[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (descr.charAt(1)) {
                case 'f' -> Math.round(rnd.nextGaussian() * 64) / 8.0; // exactly representable in half precision
                case 'u' -> rnd.nextInt(descr.endsWith("1") ? 256 : 30000);
                case 'b' -> rnd.nextInt(2);
                default -> rnd.nextInt(descr.endsWith("1") ? 256 : 60000) - (descr.endsWith("1") ? 128 : 30000);
            };
        }
        byte[] bytes = NpyBytes.file(1, NpyBytes.dict(descr, false, "(3, 4)"), NpyBytes.payload(descr, v));
        NpyArray a = Npy.parse(bytes, NAME);
        assertEquals(descr, a.dtype());
        assertArrayEquals(v, a.data(), 0.0);
    }

    @Test
    void unsignedExtremesAreNotNegative() {
        byte[] payload = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(0).putLong(-1L)
                .array();
        NpyArray a = Npy.parse(NpyBytes.file(1, NpyBytes.dict("<u4", false, "(4,)"), payload), NAME);
        assertEquals(4294967295.0, a.data()[0]);
        NpyArray b = Npy.parse(NpyBytes.file(1, NpyBytes.dict("<u8", false, "(2,)"), payload), NAME);
        assertEquals(18446744073709551615.0, b.data()[1], 1e4);
    }

    @Test
    void fortranOrderIsHonouredByGet() {
        // logical 2x3 matrix [[1,2,3],[4,5,6]] stored column-major: 1 4 2 5 3 6
        double[] stored = {1, 4, 2, 5, 3, 6};
        NpyArray a = Npy.parse(NpyBytes.file(1, NpyBytes.dict("<f8", true, "(2, 3)"),
                NpyBytes.payload("<f8", stored)), NAME);
        assertTrue(a.fortranOrder());
        assertEquals(2, a.get(0, 1));
        assertEquals(4, a.get(1, 0));
        assertEquals(6, a.get(1, 2));
        NpyArray c = Npy.parse(NpyBytes.file(1, NpyBytes.dict("<f8", false, "(2, 3)"),
                NpyBytes.payload("<f8", new double[] {1, 2, 3, 4, 5, 6})), NAME);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(c.get(i, j), a.get(i, j));
            }
        }
        // 3-D Fortran: element (i,j,k) at i + 2j + 6k
        double[] f3 = new double[24];
        for (int i = 0; i < 24; i++) {
            f3[i] = i;
        }
        NpyArray t = Npy.parse(NpyBytes.file(1, NpyBytes.dict("<f8", true, "(2, 3, 4)"),
                NpyBytes.payload("<f8", f3)), NAME);
        assertEquals(1 + 2 * 2 + 6 * 3, t.get(1, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 0));
    }

    @Test
    void versionsTwoAndThreeAndHeaderVariants() {
        double[] v = {1.5, -2.25, 3};
        byte[] p = NpyBytes.payload("<f8", v);
        assertArrayEquals(v, Npy.parse(NpyBytes.file(2, NpyBytes.dict("<f8", false, "(3,)"), p), NAME).data());
        assertArrayEquals(v, Npy.parse(NpyBytes.file(3, NpyBytes.dict("<f8", false, "(3,)"), p), NAME).data());
        // double quotes, no trailing comma, other key order, Python 2 long suffix, extra spaces
        String odd = "{\"shape\": (3L,) ,\"fortran_order\":False,  \"descr\":\"<f8\"}   \n";
        assertArrayEquals(v, Npy.parse(NpyBytes.file(1, odd, p), NAME).data());
        // the exact header of the public EndoNeRF poses_bounds.npy
        String endonerf = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 17), }";
        endonerf = endonerf + " ".repeat(118 - endonerf.length() - 1) + "\n";
        double[] poses = new double[34];
        poses[4] = 512;
        NpyArray a = Npy.parse(NpyBytes.file(1, endonerf, NpyBytes.payload("<f8", poses)), NAME);
        assertEquals(512, a.get(0, 4));
    }

    @Test
    void readsFromDiskWithTheSameResultAsParse() throws IOException {
        Random rnd = new Random(13);
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(1000) - 500;
        }
        byte[] bytes = NpyBytes.file(2, NpyBytes.dict(">i4", true, "(5, 8)"), NpyBytes.payload(">i4", v));
        Path f = dir.resolve("v2.npy");
        Files.write(f, bytes);
        assertEquals(Npy.parse(bytes, f), Npy.read(f));
    }

    @Test
    void badInputsNameTheFileAndSayWhy() throws IOException {
        byte[] good = NpyBytes.file(1, NpyBytes.dict("<f8", false, "(2, 2)"), NpyBytes.payload("<f8",
                new double[] {1, 2, 3, 4}));
        expect(new byte[0], "only 0 bytes");
        expect("hello world, not numpy".getBytes(), "magic");
        byte[] v9 = good.clone();
        v9[6] = 9;
        expect(v9, "version 9.0");
        byte[] liar = good.clone();
        liar[8] = (byte) 0xFF;
        liar[9] = (byte) 0xFF;
        expect(liar, "truncated");
        byte[] v2liar = NpyBytes.file(2, NpyBytes.dict("<f8", false, "(2, 2)"), new byte[32]);
        v2liar[8] = v2liar[9] = v2liar[10] = v2liar[11] = (byte) 0x7F;
        expect(v2liar, "truncated");
        expect(java.util.Arrays.copyOf(good, good.length - 3), "truncated");
        expect(java.util.Arrays.copyOf(good, good.length + 8), "8 bytes after the data");
        expect(NpyBytes.file(1, NpyBytes.dict("<f8", false, "(100000, 100000, 100000)"), new byte[8]),
                "too large");
        expect(NpyBytes.file(1, NpyBytes.dict("<f8", false, "(4294967296, 4294967296)"), new byte[8]), "too large");
        expect(NpyBytes.file(1, NpyBytes.dict("<f8", false, "(300000000,)"), new byte[8]), "too large");
        expect(NpyBytes.file(1, NpyBytes.dict("<f8", false, "(-1, 2)"), new byte[8]), "negative");
        expect(NpyBytes.file(1, NpyBytes.dict("<c16", false, "(1,)"), new byte[16]), "unsupported NumPy dtype");
        expect(NpyBytes.file(1, NpyBytes.dict("|O", false, "(1,)"), new byte[8]), "unsupported NumPy dtype");
        expect(NpyBytes.file(1, NpyBytes.dict("<f16", false, "(1,)"), new byte[16]), "unsupported NumPy dtype");
        expect(NpyBytes.file(1, "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                "structured");
        expect(NpyBytes.file(1, "{'descr': '<f8', 'shape': (1,), }", new byte[8]), "lacks 'fortran_order'");
        expect(NpyBytes.file(1, "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", new byte[8]),
                "True or False");
        expect(NpyBytes.file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': 3, }", new byte[8]),
                "tuple of integers");
        expect(NpyBytes.file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", new byte[8]),
                "unexpected keys");
        expect(NpyBytes.file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,", new byte[8]),
                "not a valid dictionary");
        expect(NpyBytes.file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }",
                new byte[8]), "bad integer");
        assertThrows(DatasetException.class, () -> Npy.read(dir.resolve("missing.npy")));
        assertThrows(DatasetException.class, () -> Npy.read(dir));
    }

    private void expect(byte[] bytes, String fragment) throws IOException {
        DatasetException e = assertThrows(DatasetException.class, () -> Npy.parse(bytes, NAME));
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment
                + "'");
        assertEquals(NAME, e.file());
        Path f = dir.resolve("bad.npy");
        Files.write(f, bytes);
        DatasetException onDisk = assertThrows(DatasetException.class, () -> Npy.read(f));
        assertEquals(f, onDisk.file());
        assertTrue(onDisk.getMessage().contains(fragment), onDisk::getMessage);
    }
}
