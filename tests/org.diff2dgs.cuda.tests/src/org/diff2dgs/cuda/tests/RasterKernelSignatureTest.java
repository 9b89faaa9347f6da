package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.driver.KernelArguments;
import org.diff2dgs.cuda.internal.driver.KernelArguments.Kind;
import org.diff2dgs.cuda.internal.raster.ExpMode;
import org.diff2dgs.cuda.internal.raster.RasterKernelArgs;
import org.diff2dgs.cuda.internal.raster.RenderTuning;
import org.diff2dgs.cuda.internal.raster.TissueScene;
import org.junit.jupiter.api.Test;

/**
 * Every argument list the host passes to a rasterizer kernel has the kinds of the kernel's C signature, in order.
 * The driver would accept a wrong list and the kernel would read garbage, so this is checked here, without a GPU.
 */
class RasterKernelSignatureTest {

    private static final Pattern KERNEL = Pattern.compile(
            "extern \"C\" __global__ (?:void )?(?:__launch_bounds__\\([^)]*\\) )?(?:void )?(\\w+)\\(");

    /** A multi-line #define: name, optional macro parameters, body (continuations joined). */
    private static final Pattern DEFINE = Pattern.compile("(?m)^#define (\\w+)(\\([^)]*\\))?((?:[^\n]*\\\\\n)*[^\n]*)");
    /** The body of an entry-point macro: {@code NAME(SOME_PARAMS)} after the extern "C" __global__. */
    private static final Pattern MACRO_ENTRY = Pattern.compile("extern \"C\" __global__ .*?NAME\\((\\w+_PARAMS)\\)");

    /** Kernel name to the kinds of its parameters, parsed from the .cu files. */
    static Map<String, List<Kind>> signatures() throws IOException {
        Map<String, List<Kind>> out = new LinkedHashMap<>();
        for (String file : List.of("project.cu", "binning.cu", "rasterize_forward.cu", "rasterize_backward.cu")) {
            String source = Files.readString(CudaBundleFiles.bundle().resolve("cuda").resolve(file));
            // Entry points written by a macro (rasterize_*.cu): NAME_KERNEL(kernel, ...) lines take the parameter
            // list of the macro's X_PARAMS.
            Map<String, String> paramLists = new LinkedHashMap<>();
            Map<String, String> entryMacros = new LinkedHashMap<>();
            Matcher d = DEFINE.matcher(source);
            while (d.find()) {
                String body = d.group(3).replace("\\\n", " ").replaceAll("\\s+", " ").trim();
                if (d.group(1).endsWith("_PARAMS") && d.group(2) == null) {
                    paramLists.put(d.group(1), body);
                }
                Matcher e = MACRO_ENTRY.matcher(body);
                if (d.group(2) != null && e.find()) {
                    entryMacros.put(d.group(1), e.group(1));
                }
            }
            for (Map.Entry<String, String> macro : entryMacros.entrySet()) {
                Matcher use = Pattern.compile("(?m)^" + macro.getKey() + "\\((\\w+),").matcher(source);
                while (use.find()) {
                    String list = paramLists.get(macro.getValue());
                    assertNotNull(list, macro.getValue() + " defined in " + file);
                    List<Kind> kinds = new ArrayList<>();
                    for (String p : list.split(",")) {
                        kinds.addAll(kinds(p.trim()));
                    }
                    out.put(use.group(1), kinds);
                }
            }
            String text = DEFINE.matcher(source).replaceAll("");
            Matcher m = KERNEL.matcher(text);
            while (m.find()) {
                int depth = 1;
                int i = m.end();
                StringBuilder params = new StringBuilder();
                while (depth > 0) {
                    char c = text.charAt(i++);
                    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                    if (depth > 0) {
                        params.append(c);
                    }
                }
                List<Kind> kinds = new ArrayList<>();
                for (String p : params.toString().split(",")) {
                    kinds.addAll(kinds(p.trim().replaceAll("\\s+", " ")));
                }
                out.put(m.group(1), kinds);
            }
        }
        return out;
    }

    private static List<Kind> kinds(String param) {
        if (param.equals("CAMERA_PARAMS")) {
            List<Kind> k = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                k.add(Kind.DOUBLE);
            }
            k.add(Kind.INT);
            k.add(Kind.INT);
            return k;
        }
        if (param.contains("*")) {
            return List.of(Kind.POINTER);
        }
        String type = param.substring(0, param.lastIndexOf(' ')).replace("const ", "");
        return List.of(switch (type) {
            case "int", "unsigned", "unsigned int" -> Kind.INT;
            case "long long" -> Kind.LONG;
            case "float" -> Kind.FLOAT;
            case "double" -> Kind.DOUBLE;
            default -> throw new AssertionError("unexpected parameter type in '" + param + "'");
        });
    }

    @Test
    void hostArgumentListsMatchTheKernelSignatures() throws IOException {
        Map<String, List<Kind>> sig = signatures();
        Camera cam = TissueScene.frontCamera(64, 48);
        float[] bg = {0.1f, 0.2f, 0.3f};
        Map<String, Object[]> host = new LinkedHashMap<>();
        host.put("project_forward", RasterKernelArgs.projectForward(1, null, null, null, null, null, null, 0.1f, null,
                null, null));
        host.put("project_backward", RasterKernelArgs.projectBackward(1, null, null, null, cam, 0.1f, null, null,
                null, null, null, null, null, null, null));
        host.put("binning_count_scan", RasterKernelArgs.countScan(1, null, null, null, null));
        host.put("binning_scan_spine", RasterKernelArgs.scanSpine(1, null, null));
        host.put("binning_pairs", RasterKernelArgs.pairs(1, null, null, null, null, 4, null, null, null,
                1000));
        host.put("binning_radix_upsweep", RasterKernelArgs.radixUpsweep(1, null, 0, 11, 2048, null, 1, null));
        host.put("binning_radix_spine", RasterKernelArgs.radixSpine(null, 1, 2048, null));
        host.put("binning_radix_downsweep", RasterKernelArgs.radixDownsweep(1, null, null, null, null, 0, 11, 1280,
                null, null, 1, null, 1280, null));
        host.put("binning_spin", RasterKernelArgs.spin(1_000_000L));
        host.put("binning_ranges", RasterKernelArgs.ranges(1, null, null, null));
        host.put("binning_tile_order", RasterKernelArgs.tileOrder(1280, null, null));
        host.put("binning_tile_depth_sort", RasterKernelArgs.tileDepthSort(null, null, null, null, null, null,
                null, 256));
        host.put("binning_tile_depth_sort_warp", RasterKernelArgs.tileDepthSortWarp(1280, null, null, null, null));
        host.put("fwd_footprint_probe", RasterKernelArgs.footprintProbe(1, null, null, null));
        // two forward kernels (3 or 4 blocks per SM) and three backward kernels (3, 2 or no minimum blocks per SM)
        // per exp mode, all with the same arguments
        RenderTuning fourBlocks = new RenderTuning(true, true, 4, 4, 3, true);
        for (ExpMode m : ExpMode.values()) {
            Object[] forward = RasterKernelArgs.render(4, 64, 48, null, null, null, null, null, 0.1f, 100f, bg, null,
                    null, null, null, null, null, null, null, fourBlocks.flags());
            host.put(m.forwardKernel(), forward);
            host.put(fourBlocks.forwardKernel(m), forward);
            host.put(m.forwardKernelWithCuts(), forward);
            for (int blocks : new int[] {3, 2, 0}) {
                for (boolean tools : new boolean[] {true, false}) {
                    if (!tools && m != ExpMode.DOUBLE) {
                        continue;  // the _plain builds are double only
                    }
                    for (boolean footprint : new boolean[] {false, true}) {
                        host.put(fourBlocks.withBackwardBlocks(blocks).withBackwardWarpTools(tools)
                                .withFootprintCull(footprint).backwardKernel(m), RasterKernelArgs.renderBackward(4,
                                        64, 48, null, null, null, null, null, 0.1f, 100f, bg, null, null, null, null,
                                        null, null, null, null, fourBlocks.flags()));
                    }
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(sig.keySet()), new java.util.TreeSet<>(host.keySet()), "every kernel has a host argument list and vice versa");
        for (Map.Entry<String, Object[]> e : host.entrySet()) {
            List<Kind> want = sig.get(e.getKey());
            assertNotNull(want, e.getKey());
            assertArrayEquals(want.toArray(new Kind[0]), KernelArguments.kinds(e.getValue()), e.getKey());
        }
    }
}
