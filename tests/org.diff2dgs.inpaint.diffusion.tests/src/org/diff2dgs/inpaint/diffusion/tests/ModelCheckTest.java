package org.diff2dgs.inpaint.diffusion.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.inpaint.diffusion.internal.DiffusionInpainter;
import org.diff2dgs.inpaint.diffusion.internal.ModelCheck;
import org.diff2dgs.inpaint.diffusion.internal.ModelLocator;
import org.diff2dgs.inpaint.diffusion.internal.ModelManifest;
import org.diff2dgs.inpaint.diffusion.internal.OnnxSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckTest {

    @TempDir
    Path dir;

    private final TinyDiffusionOnnx tiny = new TinyDiffusionOnnx(32, 24, 4, 4, 2, 3);

    private ModelLocator locator(Path models) {
        return new ModelLocator(k -> k.equals(ModelLocator.PROPERTY) ? models.toString() : null, k -> null,
                dir.resolve("home"));
    }

    private ModelManifest check(Path models) {
        return ModelCheck.check(locator(models).locate(null), locator(models));
    }

    @Test
    void signatureOfAWrittenGraphIsReadBack() throws IOException {
        Path models = dir.resolve("m");
        tiny.writeAll(models);
        OnnxSignature sig = OnnxSignature.read(models.resolve("unet_brushnet.onnx"));
        assertEquals(java.util.List.of("sample", "timestep", "brushnet_cond"), java.util.List.copyOf(
                sig.inputs().keySet()));
        assertEquals("float32[4, 5, 3, 4]", sig.inputs().get("brushnet_cond").toString());
        assertEquals("int64[1]", sig.inputs().get("timestep").toString());
        assertEquals("float32[4, 4, 3, 4]", sig.outputs().get("noise_pred").toString());
        assertTrue(sig.externalFiles().isEmpty());
        ModelManifest m = check(models);
        assertEquals(2, m.encoderBatch());
        assertEquals(4, m.frames());
        assertEquals(4, m.latentWidth());
        assertEquals(3, m.latentHeight());
    }

    @Test
    void missingFolderNamesTheManifestTheExpectedFilesAndShapes() {
        Path models = dir.resolve("nowhere");
        UserInputException e = assertThrows(UserInputException.class, () -> check(models));
        String msg = e.getMessage();
        assertTrue(msg.contains(models.resolve("manifest.json").toString()), msg);
        assertTrue(msg.contains("vae_encoder.onnx (image [1, 3, 512, 640] -> moments [1, 8, 64, 80])"), msg);
        assertTrue(msg.contains("vae_decoder.onnx (latent [1, 4, 64, 80] -> image [1, 3, 512, 640])"), msg);
        assertTrue(msg.contains("unet_brushnet.onnx (sample [22, 4, 64, 80], timestep [1], brushnet_cond "
                + "[22, 5, 64, 80] -> noise_pred [22, 4, 64, 80])"), msg);
        assertTrue(msg.contains(ModelLocator.PROPERTY) && msg.contains(ModelLocator.ENVIRONMENT)
                && msg.contains(ModelLocator.EXPORT_SCRIPT), msg);
        String reason = TestClips.diffusion(models, dir.resolve("home"), TestClips.catalog(new TestClips.MeanFillPrior()))
                .unavailableReason();
        assertTrue(reason.startsWith(DiffusionInpainter.NAME + ": ") && reason.contains("manifest.json"), reason);
    }

    @Test
    void missingGraphFileIsNamedWithItsShapes() throws IOException {
        Path models = dir.resolve("m");
        tiny.writeAll(models);
        Files.delete(models.resolve("vae_decoder.onnx"));
        UserInputException e = assertThrows(UserInputException.class, () -> check(models));
        assertEquals(models.resolve("vae_decoder.onnx"), e.file());
        assertTrue(e.getMessage().contains("latent [2, 4, 3, 4] -> image [2, 3, 24, 32]"), e.getMessage());
    }

    @Test
    void graphOfAnotherShapeIsNamedWithTheExpectedShape() throws IOException {
        Path models = dir.resolve("m");
        tiny.writeAll(models);
        tiny.writeDenoiser(models.resolve("unet_brushnet.onnx"), 3); // exported for 3 frames, manifest says 4
        UserInputException e = assertThrows(UserInputException.class, () -> check(models));
        assertEquals(models.resolve("unet_brushnet.onnx"), e.file());
        assertTrue(e.getMessage().contains("input 'sample' is float32[3, 4, 3, 4] in the graph, expected "
                + "float32[4, 4, 3, 4]"), e.getMessage());
        tiny.writeEncoder(models.resolve("vae_encoder.onnx"), 1); // batch 1, manifest says 2
        tiny.writeDenoiser(models.resolve("unet_brushnet.onnx"), 4);
        e = assertThrows(UserInputException.class, () -> check(models));
        assertEquals(models.resolve("vae_encoder.onnx"), e.file());
        assertTrue(e.getMessage().contains("expected float32[2, 3, 24, 32]"), e.getMessage());
    }

    @Test
    void weightsInAnExternalFileAreFoundAndTheirAbsenceNamed() throws IOException {
        Path models = dir.resolve("m");
        tiny.writeAll(models);
        tiny.writeDecoder(models.resolve("vae_decoder.onnx"), true);
        assertEquals(java.util.Set.of("vae_decoder.onnx.data"),
                OnnxSignature.read(models.resolve("vae_decoder.onnx")).externalFiles());
        check(models);
        Files.delete(models.resolve("vae_decoder.onnx.data"));
        UserInputException e = assertThrows(UserInputException.class, () -> check(models));
        assertEquals(models.resolve("vae_decoder.onnx.data"), e.file());
        assertTrue(e.getMessage().contains("vae_decoder.onnx keeps its weights in this file"), e.getMessage());
    }

    @Test
    void inconsistentManifestIsRefused() throws IOException {
        Path models = dir.resolve("m");
        tiny.writeAll(models);
        // the manifest claims a shape that does not follow from its own sizes
        Files.writeString(models.resolve("manifest.json"), tiny.manifest(4).replace("\"moments\": [2, 8, 3, 4]",
                "\"moments\": [2, 8, 3, 5]"));
        UserInputException e = assertThrows(UserInputException.class, () -> check(models));
        assertEquals(models.resolve("manifest.json"), e.file());
        assertTrue(e.getMessage().contains("vaeEncoder declares") && e.getMessage().contains("moments [2, 8, 3, 4]"),
                e.getMessage());
        Files.writeString(models.resolve("manifest.json"), tiny.manifest(4).replace("\"width\": 32", "\"width\": 36"));
        e = assertThrows(UserInputException.class, () -> check(models));
        assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
    }

    @Test
    void availableWithGraphsAndPriorUnavailableWithoutPrior() throws IOException {
        Path models = dir.resolve("m");
        tiny.writeAll(models);
        assertNull(TestClips.diffusion(models, dir.resolve("home"), TestClips.catalog(new TestClips.MeanFillPrior()))
                .unavailableReason());
        String reason = TestClips.diffusion(models, dir.resolve("home"), TestClips.catalog()).unavailableReason();
        assertTrue(reason.contains("propagate") && reason.contains("prior"), reason);
    }

    /**
     * `--inpaint-setting modelDir=<folder>` names the graphs for one run: the availability check looks there, not at
     * the default folder (before, the command refused the method for the default folder's missing manifest.json).
     */
    @Test
    void aModelFolderGivenAsTheRunsSettingIsTheOneChecked() throws IOException {
        Path models = dir.resolve("per-run");
        tiny.writeAll(models);
        DiffusionInpainter method = TestClips.diffusion(null, dir.resolve("home"),
                TestClips.catalog(new TestClips.MeanFillPrior()));
        String without = method.unavailableReason();
        assertTrue(without != null && without.contains("default location"), without);
        assertNull(method.unavailableReason(java.util.Map.of(ModelLocator.SETTING, models.toString())));

        // a per-run folder whose graph is not an ONNX model is named with that file
        Path bad = dir.resolve("bad");
        tiny.writeAll(bad);
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        Files.write(bad.resolve("vae_decoder.onnx"), junk);
        String reason = method.unavailableReason(java.util.Map.of(ModelLocator.SETTING, bad.toString()));
        assertTrue(reason != null && reason.contains(bad.resolve("vae_decoder.onnx").toString()), reason);
    }
}
