package org.diff2dgs.inpaint.diffusion.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small JSON file ({@value #FILE}) next to the exported graphs: their file names and the static shapes they were
 * exported with. Written by releng/scripts/export_diffusion_onnx.py; see docs/inpainting.md for an example.
 *
 * @param format           {@value #FORMAT}
 * @param width            frame width the graphs take, in pixels (a multiple of 8)
 * @param height           frame height the graphs take, in pixels (a multiple of 8)
 * @param frames           frames per denoiser window (published: 22)
 * @param latentChannels   VAE latent channels (4 for Stable Diffusion 1.5)
 * @param vaeScalingFactor latent scaling of the VAE (0.18215 for sd-vae-ft-mse)
 * @param vaeEncoder       image [B,3,H,W] in [-1,1] -> moments [B,2C,H/8,W/8] (mean, then log-variance)
 * @param vaeDecoder       latent [B,C,H/8,W/8] (unscaled) -> image [B,3,H,W] in [-1,1]
 * @param denoiser         UNet + BrushNet with temporal attention: sample [F,C,h,w], timestep [1] (int64),
 *                         brushnet_cond [F,C+1,h,w] -> noise_pred [F,C,h,w]; empty-prompt embedding baked in
 */
public record ModelManifest(String format, int width, int height, int frames, int latentChannels,
        double vaeScalingFactor, Graph vaeEncoder, Graph vaeDecoder, Graph denoiser) {

    public static final String FILE = "manifest.json";
    public static final String FORMAT = "diff2dgs-diffusion-onnx/1";

    /** One graph file and the shapes of its inputs and outputs by name. */
    public record Graph(String file, Map<String, long[]> inputs, Map<String, long[]> outputs) {
    }

    // the names every export uses (the contract between the export script and this bundle)
    public static final String ENCODER_IN = "image";
    public static final String ENCODER_OUT = "moments";
    public static final String DECODER_IN = "latent";
    public static final String DECODER_OUT = "image";
    public static final String SAMPLE = "sample";
    public static final String TIMESTEP = "timestep";
    public static final String CONDITION = "brushnet_cond";
    public static final String NOISE = "noise_pred";

    /** The published configuration: 22 frames at 640x512, SD-1.5 latents, batch 1 for the VAE. */
    public static ModelManifest published() {
        return of(640, 512, 22, 4, 0.18215, 1, "vae_encoder.onnx", "vae_decoder.onnx", "unet_brushnet.onnx");
    }

    /** A manifest with the shapes that follow from the sizes (what the export script writes). */
    public static ModelManifest of(int width, int height, int frames, int channels, double scaling, int vaeBatch,
            String encoderFile, String decoderFile, String denoiserFile) {
        long h = height / 8;
        long w = width / 8;
        Map<String, long[]> encIn = new LinkedHashMap<>();
        encIn.put(ENCODER_IN, new long[] {vaeBatch, 3, height, width});
        Map<String, long[]> encOut = new LinkedHashMap<>();
        encOut.put(ENCODER_OUT, new long[] {vaeBatch, 2L * channels, h, w});
        Map<String, long[]> decIn = new LinkedHashMap<>();
        decIn.put(DECODER_IN, new long[] {vaeBatch, channels, h, w});
        Map<String, long[]> decOut = new LinkedHashMap<>();
        decOut.put(DECODER_OUT, new long[] {vaeBatch, 3, height, width});
        Map<String, long[]> unetIn = new LinkedHashMap<>();
        unetIn.put(SAMPLE, new long[] {frames, channels, h, w});
        unetIn.put(TIMESTEP, new long[] {1});
        unetIn.put(CONDITION, new long[] {frames, channels + 1L, h, w});
        Map<String, long[]> unetOut = new LinkedHashMap<>();
        unetOut.put(NOISE, new long[] {frames, channels, h, w});
        return new ModelManifest(FORMAT, width, height, frames, channels, scaling,
                new Graph(encoderFile, encIn, encOut), new Graph(decoderFile, decIn, decOut),
                new Graph(denoiserFile, unetIn, unetOut));
    }

    public int latentWidth() {
        return width / 8;
    }

    public int latentHeight() {
        return height / 8;
    }

    /** Frames the VAE graphs take at once (their static batch). */
    public int encoderBatch() {
        return (int) vaeEncoder.inputs().get(ENCODER_IN)[0];
    }

    public int decoderBatch() {
        return (int) vaeDecoder.inputs().get(DECODER_IN)[0];
    }
}
