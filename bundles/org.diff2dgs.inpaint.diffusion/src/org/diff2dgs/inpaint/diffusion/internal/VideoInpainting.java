package org.diff2dgs.inpaint.diffusion.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.InpaintedFrame;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;

/**
 * One diffusion inpainting of a clip, in the order of the published pipeline (inpainting/diffueraser.py,
 * DiffuEraser.forward):
 * <ol>
 * <li>the prior frames and the masked frames (colour zeroed in the restored region) are VAE-encoded; the BrushNet
 * condition of a frame is its masked-image latent plus the known-pixel mask (1 = tissue) at latent size (masked frames: diffueraser.py:108;
 * prior latents :305-320; the mask convention is pipeline_diffueraser.py's {@code original_mask.sum(1) < 0} on the
 * [-1,1] mask image, i.e. 1 where the mask is black);</li>
 * <li>one noise tensor of window length is drawn and repeated along the clip (frame i uses noise i mod F), and the
 * prior latents are noised to the first timestep with it (diffueraser.py:302-303, :383);</li>
 * <li>for clips of more than two windows, evenly spaced key frames (index floor(j n / F)) are sampled first as one
 * window; their results replace their latents, their condition becomes the decoded key frame with nothing masked
 * (diffueraser.py:327-375);</li>
 * <li>all frames are sampled in overlapping windows ({@link VideoSampler}), decoded, and composited into the original
 * frames with the blurred region ({@link BlurredComposite}).</li>
 * </ol>
 * Frames whose size differs from the graphs' are resized to it (bilinear, masks nearest) and the decoded frames back;
 * the composite happens at the clip's size against the untouched original. Colour only: depth, confidence and the
 * coverage counts come from the prior. Memory holds the clip's latents, not its frames at graph size.
 */
final class VideoInpainting {

    private final Sequence clip;
    private final DiffusionNetworks nets;
    private final DiffusionSettings settings;
    private final TcdSchedule schedule;
    private final int overlap;
    private final long seed;
    private final boolean completeDepth;
    final VideoSampler.Timing timing = new VideoSampler.Timing();
    final List<String> warnings = new ArrayList<>();

    VideoInpainting(Sequence clip, DiffusionNetworks nets, DiffusionSettings settings, long seed,
            boolean completeDepth) {
        this.clip = clip;
        this.nets = nets;
        this.settings = settings;
        this.schedule = new TcdSchedule(settings.steps());
        ModelManifest m = nets.manifest();
        this.overlap = settings.overlap() < 0 ? m.frames() / 4 : settings.overlap();
        this.seed = seed;
        this.completeDepth = completeDepth;
    }

    boolean useKeyFrames() {
        int n = clip.size();
        int f = nets.manifest().frames();
        return switch (settings.keyFrames()) {
            case "on" -> n > f;
            case "off" -> false;
            default -> n > 2 * f;
        };
    }

    /** Denoiser calls plus decoded frames, for progress. */
    long work() {
        VideoSampler sampler = new VideoSampler(schedule, nets.manifest().frames(), overlap);
        long calls = sampler.windowCalls(clip.size()) + clip.size();
        return useKeyFrames() ? calls + schedule.steps() + nets.manifest().frames() : calls;
    }

    void run(PriorClip prior, InpaintedClipWriter out, Progress progress) {
        ModelManifest m = nets.manifest();
        int n = clip.size();
        int frames = m.frames();
        int gw = m.width();
        int gh = m.height();
        int lw = m.latentWidth();
        int lh = m.latentHeight();
        int plane = lw * lh;
        int c = m.latentChannels();
        if (clip.width() != gw || clip.height() != gh) {
            warnings.add("frames resized from " + clip.width() + "x" + clip.height() + " to the graphs' " + gw + "x"
                    + gh + " and back");
        }
        // WindowPlan rejects clips shorter than a window before any network runs
        WindowPlan.of(n, frames, overlap, false);
        Random random = new Random(seed);
        float[][] baseNoise = new float[frames][c * plane];
        for (float[] f : baseNoise) {
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) random.nextGaussian();
            }
        }
        float[][] priorLatents = new float[n][];
        float[][] condition = new float[n][];
        int batch = m.encoderBatch();
        for (int start = 0; start < n; start += batch) {
            progress.checkCancelled();
            int count = Math.min(batch, n - start);
            float[][] priorImages = new float[count][];
            float[][] masked = new float[count][];
            float[][] known = new float[count][];
            for (int b = 0; b < count; b++) {
                int i = start + b;
                priorImages[b] = toGraph(prior.image(i).data(), 3);
                float[] region = toGraphMask(out.restoreRegion(i).data());
                float[] img = toGraph(clip.frame(i).image().data(), 3);
                for (int ch = 0; ch < 3; ch++) {
                    for (int p = 0; p < gw * gh; p++) {
                        img[ch * gw * gh + p] *= 1 - region[p];
                    }
                }
                masked[b] = img;
                float[] keep = new float[gw * gh];
                for (int p = 0; p < keep.length; p++) {
                    keep[p] = 1 - region[p];
                }
                known[b] = Resampling.nearest(keep, gw, gh, lw, lh);
            }
            float[][] pl = nets.encode(priorImages, random);
            float[][] ml = nets.encode(masked, random);
            for (int b = 0; b < count; b++) {
                priorLatents[start + b] = pl[b];
                condition[start + b] = withMask(ml[b], known[b]);
            }
        }
        double[] noising = schedule.priorNoising();
        VideoSampler sampler = new VideoSampler(schedule, frames, overlap);
        if (useKeyFrames()) {
            int[] keys = WindowPlan.keyFrames(n, frames);
            float[][] keyLatents = new float[frames][];
            float[][] keyCondition = new float[frames][];
            for (int j = 0; j < frames; j++) {
                keyLatents[j] = noised(priorLatents[keys[j]], baseNoise[j], noising);
                keyCondition[j] = condition[keys[j]];
            }
            sampler.sample(keyLatents, keyCondition, nets, progress, timing);
            float[][] decoded = nets.decode(keyLatents);
            float[][] reencoded = nets.encode(decoded, random);
            float[] allKnown = new float[plane];
            java.util.Arrays.fill(allKnown, 1f);
            for (int j = 0; j < frames; j++) {
                priorLatents[keys[j]] = keyLatents[j];
                condition[keys[j]] = withMask(reencoded[j], allKnown);
            }
            progress.worked(frames, "key frames");
        }
        float[][] latents = new float[n][];
        for (int i = 0; i < n; i++) {
            latents[i] = noised(priorLatents[i], baseNoise[i % frames], noising);
        }
        priorLatents = null;
        sampler.sample(latents, condition, nets, progress, timing);
        condition = null;
        writeFrames(latents, prior, out, progress);
    }

    private void writeFrames(float[][] latents, PriorClip prior, InpaintedClipWriter out, Progress progress) {
        ModelManifest m = nets.manifest();
        int n = latents.length;
        int batch = m.decoderBatch();
        int w = clip.width();
        int h = clip.height();
        InpaintResult priorResult = prior.result();
        for (int start = 0; start < n; start += batch) {
            progress.checkCancelled();
            int count = Math.min(batch, n - start);
            float[][] chunk = java.util.Arrays.copyOfRange(latents, start, start + count);
            float[][] decoded = nets.decode(chunk);
            for (int b = 0; b < count; b++) {
                int i = start + b;
                Frame frame = clip.frame(i);
                FloatImage region = out.restoreRegion(i);
                float[] generated = Resampling.bilinear(decoded[b], 3, m.width(), m.height(), w, h);
                float[] weight = settings.blend() ? BlurredComposite.weights(region.data(), w, h)
                        : region.data().clone();
                float[] colour = BlurredComposite.compose(generated, frame.image().data(), weight, w * h);
                InpaintResult.Coverage cov = priorResult.perFrame().get(i);
                out.write(new InpaintedFrame(i, new FloatImage(w, h, 3, colour), completeDepth ? prior.depth(i) : null,
                        region, prior.confidence(i), cov.propagated(), cov.spatial()));
                latents[i] = null;
                progress.worked(1, "frame " + (i + 1) + "/" + n);
            }
        }
    }

    private float[] toGraph(float[] planar, int channels) {
        ModelManifest m = nets.manifest();
        return Resampling.bilinear(planar, channels, clip.width(), clip.height(), m.width(), m.height());
    }

    /** The restored region at graph size, nearest with pixel centres (as PIL's NEAREST resize of the masks). */
    private float[] toGraphMask(float[] region) {
        ModelManifest m = nets.manifest();
        int sw = clip.width();
        int sh = clip.height();
        if (sw == m.width() && sh == m.height()) {
            return region.clone();
        }
        float[] out = new float[m.width() * m.height()];
        for (int y = 0; y < m.height(); y++) {
            int yy = Math.min(sh - 1, (int) ((y + 0.5) * sh / m.height()));
            for (int x = 0; x < m.width(); x++) {
                int xx = Math.min(sw - 1, (int) ((x + 0.5) * sw / m.width()));
                out[y * m.width() + x] = region[yy * sw + xx] > 0.5f ? 1f : 0f;
            }
        }
        return out;
    }

    private static float[] withMask(float[] latent, float[] known) {
        float[] out = new float[latent.length + known.length];
        System.arraycopy(latent, 0, out, 0, latent.length);
        System.arraycopy(known, 0, out, latent.length, known.length);
        return out;
    }

    private static float[] noised(float[] latent, float[] noise, double[] weights) {
        float[] out = new float[latent.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (weights[0] * latent[i] + weights[1] * noise[i]);
        }
        return out;
    }
}
