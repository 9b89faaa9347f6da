package org.diff2dgs.inpaint.diffusion.internal;

import java.nio.file.Path;
import java.util.Random;

/**
 * The three exported graphs of one model folder, with the latent conventions of Stable Diffusion around them:
 * images enter the VAE in [-1,1], encoder moments are a diagonal Gaussian (mean, log-variance clamped to [-30,20]) of
 * which one sample is drawn, and latents are multiplied by the VAE scaling factor after encoding and divided by it
 * before decoding (diffueraser.py:318-320 and the decoding at :354-355; pipeline_diffueraser.py does the same for the
 * masked images, step 6.1 of {@code __call__}).
 */
public final class DiffusionNetworks implements Denoiser, AutoCloseable {

    private final ModelManifest manifest;
    private final OnnxGraph encoder;
    private final OnnxGraph decoder;
    private final OnnxGraph denoiser;

    private DiffusionNetworks(ModelManifest manifest, OnnxGraph encoder, OnnxGraph decoder, OnnxGraph denoiser) {
        this.manifest = manifest;
        this.encoder = encoder;
        this.decoder = decoder;
        this.denoiser = denoiser;
    }

    public static DiffusionNetworks load(Path folder, ModelManifest m, int threads) {
        OnnxGraph enc = null;
        OnnxGraph dec = null;
        try {
            enc = OnnxGraph.load(folder.resolve(m.vaeEncoder().file()), ModelManifest.ENCODER_OUT, threads);
            dec = OnnxGraph.load(folder.resolve(m.vaeDecoder().file()), ModelManifest.DECODER_OUT, threads);
            OnnxGraph unet = OnnxGraph.load(folder.resolve(m.denoiser().file()), ModelManifest.NOISE, threads);
            DiffusionNetworks n = new DiffusionNetworks(m, enc, dec, unet);
            enc = null;
            dec = null;
            return n;
        } finally {
            if (enc != null) {
                enc.close();
            }
            if (dec != null) {
                dec.close();
            }
        }
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /**
     * Encodes planar [3,H,W] images in [0,1] (at the graphs' size) into scaled latents [C*h*w], one Gaussian sample
     * each with noise from {@code random}; frames go through the graph in its static batch, the last batch padded by
     * repeating its last frame.
     */
    public float[][] encode(float[][] images, Random random) {
        int batch = manifest.encoderBatch();
        int c = manifest.latentChannels();
        int plane = manifest.latentWidth() * manifest.latentHeight();
        int pixels = 3 * manifest.width() * manifest.height();
        long[] shape = {batch, 3, manifest.height(), manifest.width()};
        float[][] out = new float[images.length][];
        float[] input = new float[batch * pixels];
        for (int start = 0; start < images.length; start += batch) {
            for (int b = 0; b < batch; b++) {
                float[] img = images[Math.min(start + b, images.length - 1)];
                for (int i = 0; i < pixels; i++) {
                    input[b * pixels + i] = 2f * img[i] - 1f;
                }
            }
            float[] moments = encoder.run(OnnxGraph.Input.of(ModelManifest.ENCODER_IN, shape, input));
            for (int b = 0; b < batch && start + b < images.length; b++) {
                float[] z = new float[c * plane];
                int base = b * 2 * c * plane;
                for (int i = 0; i < c * plane; i++) {
                    double mean = moments[base + i];
                    double logVar = Math.max(-30, Math.min(20, moments[base + c * plane + i]));
                    double sample = mean + Math.exp(0.5 * logVar) * random.nextGaussian();
                    z[i] = (float) (sample * manifest.vaeScalingFactor());
                }
                out[start + b] = z;
            }
        }
        return out;
    }

    /** Decodes scaled latents into planar [3,H,W] images in [0,1] ((x + 1) / 2, clamped, as the image processor). */
    public float[][] decode(float[][] latents) {
        int batch = manifest.decoderBatch();
        int size = latents[0].length;
        int pixels = 3 * manifest.width() * manifest.height();
        long[] shape = {batch, manifest.latentChannels(), manifest.latentHeight(), manifest.latentWidth()};
        float[][] out = new float[latents.length][];
        float[] input = new float[batch * size];
        float inv = (float) (1 / manifest.vaeScalingFactor());
        for (int start = 0; start < latents.length; start += batch) {
            for (int b = 0; b < batch; b++) {
                float[] z = latents[Math.min(start + b, latents.length - 1)];
                for (int i = 0; i < size; i++) {
                    input[b * size + i] = z[i] * inv;
                }
            }
            float[] images = decoder.run(OnnxGraph.Input.of(ModelManifest.DECODER_IN, shape, input));
            for (int b = 0; b < batch && start + b < latents.length; b++) {
                float[] img = new float[pixels];
                for (int i = 0; i < pixels; i++) {
                    img[i] = Math.max(0f, Math.min(1f, images[b * pixels + i] * 0.5f + 0.5f));
                }
                out[start + b] = img;
            }
        }
        return out;
    }

    @Override
    public float[] predictNoise(float[] sample, int timestep, float[] condition) {
        int f = manifest.frames();
        int c = manifest.latentChannels();
        long h = manifest.latentHeight();
        long w = manifest.latentWidth();
        return denoiser.run(OnnxGraph.Input.of(ModelManifest.SAMPLE, new long[] {f, c, h, w}, sample),
                OnnxGraph.Input.ofLongs(ModelManifest.TIMESTEP, new long[] {1}, new long[] {timestep}),
                OnnxGraph.Input.of(ModelManifest.CONDITION, new long[] {f, c + 1L, h, w}, condition));
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
        denoiser.close();
    }
}
