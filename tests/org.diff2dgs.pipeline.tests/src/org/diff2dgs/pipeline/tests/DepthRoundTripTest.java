package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.pipeline.internal.DepthFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * Rendered depth must round-trip for any scene range: the 16-bit PNG decoded with the scale recorded beside it gives
 * the exact depth of the .npy within half a step, whatever the units (millimetres, EndoNeRF's stored units, metres).
 */
class DepthRoundTripTest {

    static final int W = 40;
    static final int H = 30;

    /** A depth map with values spread over [near, far] and about a tenth of the pixels without a surface. */
    static FloatImage depth(long seed, double near, double far) {
        Random r = new Random(seed);
        float[] d = new float[W * H];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble() < 0.1 ? 0f : (float) (near + (far - near) * r.nextDouble());
        }
        d[3] = (float) near;
        d[7] = (float) far;
        return new FloatImage(W, H, 1, d);
    }

    @Test
    void millimetreSceneRoundTrips(@TempDir Path dir) {
        // the built-in synthetic scene spans about 26..106 mm: 1000 per unit saturated every pixel
        roundTrip(dir, depth(41, 26, 106), 500);
    }

    @Test
    void endoNerfStoredUnitsRoundTrip(@TempDir Path dir) {
        // EndoNeRF clips store depth as 8-bit values and the reader keeps them (depth scale 1)
        roundTrip(dir, depth(42, 8, 247), 200);
    }

    @Test
    void metreSceneRoundTrips(@TempDir Path dir) {
        // with a fixed 1000 per unit a scene in metres had only ~80 grey levels
        roundTrip(dir, depth(43, 0.026, 0.106), 500_000);
    }

    static void roundTrip(Path dir, FloatImage exact, double expectedScale) {
        Path prefix = dir.resolve("view");
        List<Path> files = DepthFiles.writeView(prefix, exact);
        assertEquals(4, files.size(), files.toString());
        files.forEach(f -> assertTrue(Files.isRegularFile(f), f.toString()));

        JsonObject meta = Json.readTree(dir.resolve("view.depth.json")).getAsJsonObject();
        double scale = meta.get("scale").getAsDouble();
        assertEquals(expectedScale, scale, 0, "the largest 1-2-5 scale that keeps the far depth below 65536");

        float[] npy = toFloat(Npy.read(dir.resolve("view.depth.npy")).data());
        assertEquals(H, Npy.read(dir.resolve("view.depth.npy")).shape()[0]);
        GrayPng png = Images.readGray(dir.resolve("view.depth.png"));
        assertEquals(16, png.bitDepth());
        float[] stored = png.values().data();
        int max = 0;
        for (int i = 0; i < exact.data().length; i++) {
            float e = exact.data()[i];
            assertEquals(e, npy[i], 0, "npy is exact at pixel " + i);
            double decoded = stored[i] / scale;
            assertEquals(e, decoded, 0.5 / scale * (1 + 1e-6) + Math.ulp(e), "png at pixel " + i);
            if (e == 0) {
                assertEquals(0, stored[i], "no surface stays 0");
            }
            max = Math.max(max, (int) stored[i]);
        }
        assertTrue(max < 65535 && max > 65535 / 5, "the range fills the 16 bits without saturating: max " + max);

        FloatImage view = Images.readColor(dir.resolve("view.depth-view.png"));
        int n = W * H;
        float nearBrightness = view.data()[3] + view.data()[n + 3] + view.data()[2 * n + 3];
        float farBrightness = view.data()[7] + view.data()[n + 7] + view.data()[2 * n + 7];
        assertTrue(nearBrightness > 2.4f && farBrightness < 0.8f, "near is bright, far dark: " + nearBrightness
                + " / " + farBrightness);
        assertEquals(exact.data()[3], meta.get("near").getAsDouble(), 1e-6 * exact.data()[3]);
        assertEquals(exact.data()[7], meta.get("far").getAsDouble(), 1e-6 * exact.data()[7]);
        JsonObject viewRange = meta.getAsJsonObject("view");
        double viewNear = viewRange.get("near").getAsDouble();
        double viewFar = viewRange.get("far").getAsDouble();
        assertTrue(exact.data()[3] <= viewNear && viewNear < viewFar && viewFar <= exact.data()[7],
                "the view spans percentiles inside [near, far]: " + viewRange);
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
