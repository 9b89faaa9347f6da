package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.cuda.internal.raster.LaunchGeometry;
import org.diff2dgs.cuda.internal.raster.RadixPlan;
import org.diff2dgs.splat.internal.CpuStages;
import org.junit.jupiter.api.Test;

/**
 * The host sizes its buffers and grids from LaunchGeometry and the parity checks read records in the Java twin's
 * layout; both must agree with the #defines of the kernels, or the GPU reads the wrong memory.
 */
class KernelConstantsTest {

    private static final Pattern DEFINE = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+\\(?([0-9]+)\\)?\\s*$");
    private static final Pattern PRODUCT = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+\\((\\w+) \\* (\\w+)\\)\\s*$");

    private static Map<String, Integer> defines(String file) throws IOException {
        String text = Files.readString(CudaBundleFiles.bundle().resolve("cuda").resolve(file));
        Map<String, Integer> d = new HashMap<>();
        Matcher m = DEFINE.matcher(text);
        while (m.find()) {
            d.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        Matcher p = PRODUCT.matcher(text);
        while (p.find()) {
            if (d.containsKey(p.group(2)) && d.containsKey(p.group(3))) {
                d.put(p.group(1), d.get(p.group(2)) * d.get(p.group(3)));
            }
        }
        return d;
    }

    @Test
    void hostSizesMatchTheKernels() throws IOException {
        Map<String, Integer> common = defines("raster_common.cuh");
        assertEquals(LaunchGeometry.TILE, common.get("RASTER_TILE"));
        assertEquals(LaunchGeometry.RECORD_FLOATS, common.get("REC_FLOATS"));
        assertEquals(LaunchGeometry.PAIR_GRADIENT_FLOATS, common.get("PG_STRIDE"));
        assertEquals(LaunchGeometry.PAIR_GRADIENT_SLOT, common.get("PG_SLOT"));
        assertEquals(0, LaunchGeometry.PAIR_GRADIENT_SLOT % 4, "project_backward reads a slot as float4s");
        assertEquals(RenderOutput.AUX_CHANNELS, common.get("AUX_CHANNELS"));
        assertEquals(LaunchGeometry.AUX_CHANNELS, common.get("AUX_CHANNELS"));
        assertEquals(RenderOutput.AUX_DEPTH, common.get("AUX_DEPTH"));
        assertEquals(RenderOutput.AUX_ALPHA, common.get("AUX_ALPHA"));
        assertEquals(RenderOutput.AUX_NORMAL, common.get("AUX_NORMAL"));
        assertEquals(RenderOutput.AUX_MEDIAN_DEPTH, common.get("AUX_MEDIAN_DEPTH"));
        assertEquals(RenderOutput.AUX_DISTORTION, common.get("AUX_DISTORTION"));
        assertEquals(org.diff2dgs.cuda.internal.raster.RenderTuning.WARP_BLOCKS_FLAG, common.get("RENDER_WARP_BLOCKS"));
        assertEquals(org.diff2dgs.cuda.internal.raster.RenderTuning.WARP_CULL_FLAG, common.get("RENDER_WARP_CULL"));
        assertEquals(org.diff2dgs.cuda.internal.raster.RenderTuning.SPARSE_SHIFT, common.get("RENDER_SPARSE_SHIFT"));
        assertEquals(org.diff2dgs.cuda.internal.raster.RenderTuning.FOOTPRINT_CULL_FLAG,
                common.get("RENDER_FOOTPRINT_CULL"));
        Map<String, Integer> order = defines("tile_order.cuh");
        assertEquals(org.diff2dgs.cuda.internal.raster.TileOrder.LEVELS, order.get("TILE_ORDER_LEVELS"));
        Map<String, Integer> binning = defines("binning.cu");
        assertEquals(LaunchGeometry.SCAN_TILE, binning.get("SCAN_TILE"));
        assertEquals(LaunchGeometry.SCAN_THREADS, binning.get("SCAN_THREADS"));
        assertEquals(LaunchGeometry.RADIX_TILE, binning.get("RADIX_TILE"));
        assertEquals(LaunchGeometry.RADIX_THREADS, binning.get("RADIX_THREADS"));
        assertEquals(RadixPlan.MAX_DIGIT_BITS, binning.get("RADIX_MAX_BITS"));
        assertEquals(LaunchGeometry.TILE_ORDER_THREADS, binning.get("TILE_ORDER_THREADS"));
        assertEquals(LaunchGeometry.TILE_DEPTH_THREADS, binning.get("TILE_DEPTH_THREADS"));
        assertEquals(LaunchGeometry.TILE_DEPTH_WARPS, binning.get("TILE_DEPTH_WARPS"));
        assertEquals(LaunchGeometry.TILE_DEPTH_WARP_MAX, 32 * binning.get("TILE_DEPTH_WARP_ITEMS"));
        assertEquals(LaunchGeometry.PROJECT_THREADS, defines("project.cu").get("PROJECT_THREADS"),
                "project_forward stages one record per thread of its block");
    }

    /** The GPU record starts with the CPU twin's record fields, so the preprocess check compares like with like. */
    @Test
    void recordLayoutIsTheJavaTwins() throws IOException {
        Map<String, Integer> common = defines("raster_common.cuh");
        assertEquals(CpuStages.REC_A, common.get("REC_A"));
        assertEquals(CpuStages.REC_B, common.get("REC_B"));
        assertEquals(CpuStages.REC_C, common.get("REC_C"));
        assertEquals(CpuStages.REC_TW, common.get("REC_TW"));
        assertEquals(CpuStages.REC_CENTRE, common.get("REC_CENTRE"));
        assertEquals(CpuStages.REC_OPACITY, common.get("REC_OPACITY"));
        assertEquals(CpuStages.REC_RHO_CUT, common.get("REC_RHO_CUT"));
        assertEquals(CpuStages.REC_NORMAL, common.get("REC_NORMAL"));
        assertEquals(CpuStages.REC_COLOR, common.get("REC_COLOR"));
        assertEquals(CpuStages.REC_BOX, common.get("REC_BOX"));
        assertEquals(CpuStages.REC_ANCHOR, common.get("REC_ANCHOR"));
        assertEquals(CpuStages.RECORD_FLOATS, common.get("REC_RECT"), "the tile rectangle follows the Java fields");
        assertTrue(common.get("REC_RECT") + 4 <= LaunchGeometry.RECORD_FLOATS);
    }
}
