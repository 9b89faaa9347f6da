package org.diff2dgs.inpaint.diffusion.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;

/**
 * Checks a model folder before any work: the manifest is there and consistent, and each graph file exists, refers
 * only to weight files that exist, and declares exactly the inputs and outputs (names, element types, static shapes)
 * the manifest promises. Every failure is a {@link UserInputException} naming the file and the expected shapes.
 */
public final class ModelCheck {

    private ModelCheck() {
    }

    /** The expected files of a folder, for messages: the published configuration's names and shapes. */
    public static String expectedFiles() {
        ModelManifest m = ModelManifest.published();
        return ModelManifest.FILE + " (names and shapes), " + describe(m.vaeEncoder()) + ", "
                + describe(m.vaeDecoder()) + ", " + describe(m.denoiser())
                + " (shapes for 22 frames at 640x512; other sizes as exported)";
    }

    static String describe(ModelManifest.Graph g) {
        StringBuilder sb = new StringBuilder(g.file()).append(" (");
        append(sb, g.inputs());
        sb.append(" -> ");
        append(sb, g.outputs());
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, Map<String, long[]> tensors) {
        boolean first = true;
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            sb.append(first ? "" : ", ").append(e.getKey()).append(' ').append(Arrays.toString(e.getValue()));
            first = false;
        }
    }

    /** Reads and checks the folder; returns its manifest. */
    public static ModelManifest check(ModelLocator.Location location, ModelLocator locator) {
        Path folder = location.folder();
        Path manifestFile = folder.resolve(ModelManifest.FILE);
        if (!Files.isDirectory(folder) || !Files.isRegularFile(manifestFile)) {
            throw new UserInputException(manifestFile, "the diffusion method needs exported ONNX graphs and there are "
                    + "none in " + folder + " (" + location.source() + "): expected " + expectedFiles() + "; "
                    + locator.howToPoint());
        }
        ModelManifest read = Json.read(manifestFile, ModelManifest.class);
        checkScalars(manifestFile, read);
        ModelManifest expected = ModelManifest.of(read.width(), read.height(), read.frames(), read.latentChannels(),
                read.vaeScalingFactor(), batch(manifestFile, read), read.vaeEncoder().file(),
                read.vaeDecoder().file(), read.denoiser().file());
        String sizes = read.width() + "x" + read.height() + ", " + read.frames() + " frames, "
                + read.latentChannels() + " latent channels";
        checkDeclared(manifestFile, "vaeEncoder", expected.vaeEncoder(), read.vaeEncoder(), sizes);
        checkDeclared(manifestFile, "vaeDecoder", expected.vaeDecoder(), read.vaeDecoder(), sizes);
        checkDeclared(manifestFile, "denoiser", expected.denoiser(), read.denoiser(), sizes);
        checkGraph(folder, expected.vaeEncoder(), Map.of());
        checkGraph(folder, expected.vaeDecoder(), Map.of());
        checkGraph(folder, expected.denoiser(), Map.of(ModelManifest.TIMESTEP, OnnxSignature.INT64));
        return expected;
    }

    private static void checkScalars(Path file, ModelManifest m) {
        if (!ModelManifest.FORMAT.equals(m.format())) {
            throw new UserInputException(file, "format is " + m.format() + ", expected " + ModelManifest.FORMAT);
        }
        if (m.width() < 8 || m.height() < 8 || m.width() % 8 != 0 || m.height() % 8 != 0) {
            throw new UserInputException(file, "width and height must be positive multiples of 8 (the VAE "
                    + "downsamples by 8), got " + m.width() + "x" + m.height());
        }
        if (m.frames() < 1 || m.latentChannels() < 1 || !(m.vaeScalingFactor() > 0)) {
            throw new UserInputException(file, "frames, latentChannels and vaeScalingFactor must be positive, got "
                    + m.frames() + ", " + m.latentChannels() + ", " + m.vaeScalingFactor());
        }
        complete(file, "vaeEncoder", m.vaeEncoder());
        complete(file, "vaeDecoder", m.vaeDecoder());
        complete(file, "denoiser", m.denoiser());
    }

    private static void complete(Path file, String what, ModelManifest.Graph graph) {
        if (graph == null || graph.file() == null || graph.inputs() == null || graph.outputs() == null) {
            throw new UserInputException(file, what + " needs a file, inputs and outputs");
        }
    }

    private static int batch(Path file, ModelManifest m) {
        long[] enc = m.vaeEncoder().inputs().get(ModelManifest.ENCODER_IN);
        long[] dec = m.vaeDecoder().inputs().get(ModelManifest.DECODER_IN);
        if (enc == null || dec == null || enc.length != 4 || dec.length != 4 || enc[0] < 1 || enc[0] != dec[0]) {
            throw new UserInputException(file, "vaeEncoder input '" + ModelManifest.ENCODER_IN + "' and vaeDecoder "
                    + "input '" + ModelManifest.DECODER_IN + "' must be 4-d with the same static batch (frames per "
                    + "VAE call), got " + Arrays.toString(enc) + " and " + Arrays.toString(dec));
        }
        return (int) enc[0];
    }

    private static void checkDeclared(Path file, String what, ModelManifest.Graph expected,
            ModelManifest.Graph declared, String sizes) {
        if (!same(expected.inputs(), declared.inputs()) || !same(expected.outputs(), declared.outputs())) {
            throw new UserInputException(file, what + " declares " + describe(declared) + ", but for " + sizes
                    + " it must be " + describe(expected));
        }
    }

    private static boolean same(Map<String, long[]> a, Map<String, long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, long[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static void checkGraph(Path folder, ModelManifest.Graph expected, Map<String, Integer> types) {
        Path file = folder.resolve(expected.file());
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file, "missing: the diffusion method expects " + describe(expected)
                    + " here (" + ModelManifest.FILE + " names it)");
        }
        OnnxSignature sig = OnnxSignature.read(file);
        for (String ext : sig.externalFiles()) {
            if (!Files.isRegularFile(file.resolveSibling(ext))) {
                throw new UserInputException(file.resolveSibling(ext), "missing: " + file.getFileName()
                        + " keeps its weights in this file, which must sit next to it");
            }
        }
        compare(file, "input", expected.inputs(), sig.inputs(), types);
        compare(file, "output", expected.outputs(), sig.outputs(), types);
    }

    private static void compare(Path file, String kind, Map<String, long[]> expected,
            Map<String, OnnxSignature.Tensor> actual, Map<String, Integer> types) {
        if (!actual.keySet().equals(expected.keySet())) {
            throw new UserInputException(file, "the graph has " + kind + "s " + actual.keySet() + ", expected "
                    + expected.keySet() + " with shapes " + shapes(expected));
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            OnnxSignature.Tensor t = actual.get(e.getKey());
            int type = types.getOrDefault(e.getKey(), OnnxSignature.FLOAT);
            if (t.elementType() != type || !Arrays.equals(t.shape(), e.getValue())) {
                throw new UserInputException(file, kind + " '" + e.getKey() + "' is " + t + " in the graph, "
                        + "expected " + OnnxSignature.typeName(type) + Arrays.toString(e.getValue())
                        + " (static shapes; re-export with " + ModelLocator.EXPORT_SCRIPT + ")");
            }
        }
    }

    private static String shapes(Map<String, long[]> tensors) {
        StringBuilder sb = new StringBuilder();
        append(sb, tensors);
        return sb.toString();
    }
}
