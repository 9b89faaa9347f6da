package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diff2dgs.cuda.internal.raster.RasterKernelArgs;
import org.junit.jupiter.api.Test;

/**
 * The render kernels take the distortion map's scales from the host (mapScale = far / (far - near), slopeScale =
 * far near / (far - near): as parameters they stay in the constant bank, where ptxas had re-derived the division
 * inside the pixel loop). The host must pass, at the position of each name in the kernel's parameter list, the value
 * the Java twin computes (TileForward, TileBackward: float operations), bit for bit.
 */
class RenderScaleArgsTest {

    private static final Pattern DEFINE = Pattern.compile("(?m)^#define (\\w+)\\s*\\\\\\n((?:[^\\n]*\\\\\\n)*[^\\n]*)");

    /** The parameter names of the #define {@code macro} in the kernel source {@code file}. */
    static List<String> parameterNames(String file, String macro) throws IOException {
        String source = Files.readString(CudaBundleFiles.bundle().resolve("cuda").resolve(file));
        Matcher m = DEFINE.matcher(source);
        while (m.find()) {
            if (m.group(1).equals(macro)) {
                List<String> names = new ArrayList<>();
                for (String p : m.group(2).replace("\\\n", " ").split(",")) {
                    String[] words = p.trim().split("\\s+");
                    names.add(words[words.length - 1]);
                }
                return names;
            }
        }
        throw new AssertionError(macro + " not found in " + file);
    }

    @Test
    void forwardAndBackwardGetTheTwinsScalesAtTheirParameters() throws IOException {
        List<String> forward = parameterNames("rasterize_forward.cu", "FWD_RENDER_PARAMS");
        List<String> backward = parameterNames("rasterize_backward.cu", "BWD_RENDER_PARAMS");
        int fMap = forward.indexOf("mapScale");
        int bMap = backward.indexOf("mapScale");
        int bSlope = backward.indexOf("slopeScale");
        assertTrue(fMap > 0 && bMap > 0 && bSlope > 0, forward + " / " + backward);
        float[] bg = {0.1f, 0.2f, 0.3f};
        SplittableRandom r = new SplittableRandom(20261207);
        for (int t = 0; t < 200; t++) {
            float near = (float) r.nextDouble(1e-3, 1.0);
            float far = near + (float) r.nextDouble(1e-2, 500.0);
            Object[] f = RasterKernelArgs.render(4, 64, 48, null, null, null, null, null, near, far, bg, null, null,
                    null, null, null, null, null, null, 0);
            Object[] b = RasterKernelArgs.renderBackward(4, 64, 48, null, null, null, null, null, near, far, bg,
                    null, null, null, null, null, null, null, null, 0);
            assertEquals(forward.size(), f.length);
            assertEquals(backward.size(), b.length);
            // TileForward / TileBackward: float map = far / (far - near); float slope = far * near / (far - near)
            float map = far / (far - near);
            float slope = far * near / (far - near);
            assertEquals(Float.floatToIntBits(map), Float.floatToIntBits((Float) f[fMap]), "forward mapScale");
            assertEquals(Float.floatToIntBits(map), Float.floatToIntBits((Float) b[bMap]), "backward mapScale");
            assertEquals(Float.floatToIntBits(slope), Float.floatToIntBits((Float) b[bSlope]), "backward slopeScale");
            assertEquals(near, (Float) f[forward.indexOf("near")]);
            assertEquals(far, (Float) b[backward.indexOf("far")]);
        }
    }
}
