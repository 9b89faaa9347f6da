package org.diff2dgs.train.internal.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.train.io.PlyFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlyFormatTest {

    static GaussianModel random(int n, int degree, long seed) {
        Random r = new Random(seed);
        GaussianModel m = GaussianModel.allocate(n, degree);
        for (float[] a : new float[][] {m.positions(), m.rotations(), m.logScales(), m.opacityLogits(), m.sh()}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
        }
        return m;
    }

    @Test
    void roundTripKeepsEveryValue(@TempDir Path dir) {
        for (int degree = 0; degree <= 3; degree++) {
            GaussianModel m = random(37, degree, 3 + degree);
            Path f = dir.resolve("s" + degree + ".ply");
            PlyFormat.write(f, m);
            GaussianModel back = PlyFormat.read(f);
            assertEquals(m.count(), back.count());
            assertEquals(degree, back.shDegree());
            assertArrayEquals(m.positions(), back.positions());
            assertArrayEquals(m.rotations(), back.rotations());
            assertArrayEquals(m.logScales(), back.logScales());
            assertArrayEquals(m.opacityLogits(), back.opacityLogits());
            assertArrayEquals(m.sh(), back.sh());
        }
    }

    @Test
    void headerNamesThePropertiesViewersExpect(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.ply");
        PlyFormat.write(f, random(5, 3, 1));
        String head = new String(Arrays.copyOf(Files.readAllBytes(f), 2000), StandardCharsets.US_ASCII);
        for (String p : new String[] {"property float x", "property float f_dc_0", "property float f_rest_44",
                "property float opacity", "property float scale_1", "property float rot_3", "element vertex 5"}) {
            assertTrue(head.contains(p), p);
        }
        assertTrue(!head.contains("scale_2"), "2D surfels have two scales");
    }

    @Test
    void truncatedFileIsAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.ply");
        PlyFormat.write(f, random(20, 1, 9));
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 17));
        UserInputException e = assertThrows(UserInputException.class, () -> PlyFormat.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /** Header damage found by fuzzing (tests/org.diff2dgs.train.tests/fuzz/PlyFuzz/crashes) and its neighbours. */
    @Test
    void damagedHeadersAreClearErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.ply");
        PlyFormat.write(f, random(3, 0, 11));
        String head = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        String[][] edits = {
            {"property float x\n", "property\n"}, // a bare property line once escaped as ArrayIndexOutOfBounds
            {"element vertex 3", "element vertex 2000000000"}, // the body size overflowed int
            {"property float y\n", "property float y z\n"}};
        String[] expected = {"malformed PLY property line", "too many to load", "malformed PLY property line"};
        for (int k = 0; k < edits.length; k++) {
            Files.write(f, head.replace(edits[k][0], edits[k][1]).getBytes(StandardCharsets.ISO_8859_1));
            UserInputException e = assertThrows(UserInputException.class, () -> PlyFormat.read(f));
            assertTrue(e.getMessage().contains(expected[k]), e.getMessage());
        }
    }

    @Test
    void shDegreeAboveThreeIsRefused(@TempDir Path dir) throws IOException {
        // degree 4 has 25 coefficients, 72 f_rest properties: well-formed, but no model holds it
        StringBuilder h = new StringBuilder("ply\nformat binary_little_endian 1.0\nelement vertex 1\n");
        for (String p : new String[] {"x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"}) {
            h.append("property float ").append(p).append('\n');
        }
        for (int j = 0; j < 72; j++) {
            h.append("property float f_rest_").append(j).append('\n');
        }
        for (String p : new String[] {"opacity", "scale_0", "scale_1", "rot_0", "rot_1", "rot_2", "rot_3"}) {
            h.append("property float ").append(p).append('\n');
        }
        h.append("end_header\n");
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        Path f = dir.resolve("deg4.ply");
        Files.write(f, Arrays.copyOf(head, head.length + (9 + 72 + 7) * 4));
        UserInputException e = assertThrows(UserInputException.class, () -> PlyFormat.read(f));
        assertTrue(e.getMessage().contains("unexpected PLY properties"), e.getMessage());
    }
}
