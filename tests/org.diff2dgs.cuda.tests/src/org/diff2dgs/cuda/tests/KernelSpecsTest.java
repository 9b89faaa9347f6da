package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.diff2dgs.cuda.internal.driver.KernelArguments.Kind;
import org.diff2dgs.cuda.internal.train.AdamKernels;
import org.diff2dgs.cuda.internal.train.Deformation;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.cuda.internal.train.FusedAdam;
import org.diff2dgs.cuda.internal.train.KernelSpec;
import org.diff2dgs.cuda.internal.train.Losses;
import org.diff2dgs.cuda.internal.train.Shading;
import org.junit.jupiter.api.Test;

import jcuda.driver.CUdeviceptr;

/**
 * The wrappers' argument lists against the kernels' C signatures in cuda/*.cu: a mismatch (an int passed where the
 * kernel reads a long long or a double, a pointer too few) would corrupt memory without any error on the device.
 */
class KernelSpecsTest {

    private static final Pattern KERNEL = Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+"
            + "(?:__launch_bounds__\\s*\\([^)]*\\)\\s+)?void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s+)?"
            + "(\\w+)\\s*\\(([^)]*)\\)", Pattern.DOTALL);
    /** The stages whose wrappers are KernelSpecs (the rasterizer's are checked by its own test). */
    private static final List<String> PREFIXES = List.of("deform_", "shading_", "loss_", "adam_", "densify_");

    static List<KernelSpec> wrapperSpecs() {
        List<KernelSpec> specs = new ArrayList<>();
        specs.addAll(Deformation.specs());
        specs.addAll(Shading.specs());
        specs.addAll(Losses.specs());
        specs.addAll(AdamKernels.specs());
        specs.addAll(DensifyKernels.specs());
        specs.addAll(FusedAdam.specs());
        return specs;
    }

    /** Kernel name -> parameter kinds, from every .cu source of the bundle. */
    static Map<String, List<Kind>> sourceSignatures() throws IOException {
        Map<String, List<Kind>> out = new HashMap<>();
        try (Stream<Path> files = Files.list(CudaBundleFiles.bundle().resolve("cuda"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cu")).toList()) {
                String text = Files.readString(f).replaceAll("//[^\n]*", "");
                Matcher m = KERNEL.matcher(text);
                while (m.find()) {
                    if (PREFIXES.stream().noneMatch(m.group(1)::startsWith)) {
                        continue;
                    }
                    List<Kind> kinds = new ArrayList<>();
                    for (String param : m.group(2).split(",")) {
                        if (!param.isBlank()) {
                            kinds.add(kindOf(param.strip(), m.group(1)));
                        }
                    }
                    out.put(m.group(1), kinds);
                }
            }
        }
        return out;
    }

    static Kind kindOf(String param, String kernel) {
        if (param.contains("*")) {
            return Kind.POINTER;
        }
        String type = param.replaceAll("\\s+\\w+$", "").replace("const", "").strip();
        return switch (type) {
            case "int" -> Kind.INT;
            case "long long" -> Kind.LONG;
            case "float" -> Kind.FLOAT;
            case "double" -> Kind.DOUBLE;
            default -> throw new AssertionError("kernel " + kernel + ": parameter type '" + type + "' has no Kind");
        };
    }

    @Test
    void everyWrapperSpecMatchesItsKernelSignature() throws IOException {
        Map<String, List<Kind>> source = sourceSignatures();
        List<KernelSpec> specs = wrapperSpecs();
        assertFalse(specs.isEmpty());
        for (KernelSpec spec : specs) {
            assertTrue(source.containsKey(spec.name()), "no kernel " + spec.name() + " in cuda/*.cu");
            assertEquals(source.get(spec.name()), spec.parameters(), "parameters of " + spec.name());
        }
    }

    @Test
    void everyTrainingKernelHasAWrapper() throws IOException {
        List<String> wrapped = wrapperSpecs().stream().map(KernelSpec::name).toList();
        Map<String, List<Kind>> source = sourceSignatures();
        assertEquals(29, source.size(), "training kernels in cuda/*.cu: " + source.keySet());
        for (String name : source.keySet()) {
            assertTrue(wrapped.contains(name), "kernel " + name + " has no KernelSpec in a wrapper");
        }
    }

    @Test
    void parserReadsLaunchBoundsAndTheCTypes() {
        Matcher m = KERNEL.matcher("extern \"C\" __global__ void __launch_bounds__(256) deform_x(int n, double t)");
        assertTrue(m.find());
        assertEquals("deform_x", m.group(1));
        assertEquals(Kind.POINTER, kindOf("const float* __restrict__ coefs", "k"));
        assertEquals(Kind.LONG, kindOf("long long seed", "k"));
        assertEquals(Kind.DOUBLE, kindOf("double t", "k"));
        assertThrows(AssertionError.class, () -> kindOf("short s", "k"));
    }

    @Test
    void launchRefusesArgumentsThatDoNotFitTheSpec() {
        KernelSpec spec = KernelSpec.of("x", KernelSpec.I, KernelSpec.D, KernelSpec.P);
        spec.check(3, 0.5, new CUdeviceptr());
        spec.check(3, 0.5, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.check(3, 0.5f, null));
        assertTrue(e.getMessage().contains("FLOAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spec.check(3L, 0.5, null));
        assertThrows(IllegalArgumentException.class, () -> spec.check(3, 0.5));
    }
}
