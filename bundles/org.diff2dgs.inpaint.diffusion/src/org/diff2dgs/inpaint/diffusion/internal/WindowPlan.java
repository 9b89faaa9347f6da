package org.diff2dgs.inpaint.diffusion.internal;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.UserInputException;

/**
 * How a clip longer than the denoiser's frame count is covered by overlapping windows, and with which weights the
 * windows' results are blended into one latent per frame.
 * <p>
 * Partitions as published (inpainting/pipeline_diffueraser.py, get_frames_context_swap; overlap = frames // 4 in
 * {@code __call__}): the regular partition starts windows at 0, s, 2s, ... (s = frames - overlap) while a window
 * still ends before the last frame, then adds the last window ending at the clip's end; the swapped partition starts
 * with a window at 0, then at frames/2, frames/2 + s, ..., then the last window. Odd sampling steps use the swapped
 * partition, so window borders move between steps.
 * <p>
 * Blending: windows are merged in order; on the m frames a window shares with the windows before it, the window's
 * result gets the rising weights 1/(m+1), ..., m/(m+1) and what was there before the rest, a linear cross-fade. (The
 * published loop computes these weights but then overwrites the last shared frame with the new window's result,
 * because its copy of the window's tail starts at the loop variable of the blend loop; we keep the cross-fade it
 * intends.) For every frame the weights of the windows covering it sum to 1.
 */
public final class WindowPlan {

    /** One window: the frames it covers (ascending, consecutive) and each frame's blend weight. */
    public record Window(int[] frames, double[] weights) {
    }

    private final int clipFrames;
    private final List<Window> windows;

    private WindowPlan(int clipFrames, List<Window> windows) {
        this.clipFrames = clipFrames;
        this.windows = List.copyOf(windows);
    }

    /**
     * @param clipFrames   frames in the clip (at least {@code windowFrames})
     * @param windowFrames frames per window (the denoiser's static frame count)
     * @param overlap      frames shared by consecutive windows of the regular partition, 0..windowFrames-1
     * @param swapped      the partition of odd steps
     */
    public static WindowPlan of(int clipFrames, int windowFrames, int overlap, boolean swapped) {
        if (windowFrames < 1 || clipFrames < windowFrames) {
            throw new UserInputException("diffusion: the clip has " + clipFrames + " frames, fewer than the "
                    + windowFrames + " frames the denoiser graph takes (export it for fewer frames)");
        }
        if (overlap < 0 || overlap >= windowFrames) {
            throw new UserInputException("diffusion: overlap must be 0.." + (windowFrames - 1) + ", got " + overlap);
        }
        List<Integer> starts = new ArrayList<>();
        int stride = windowFrames - overlap;
        if (clipFrames == windowFrames) {
            starts.add(0);
        } else {
            int first = 0;
            if (swapped) {
                starts.add(0);
                first = windowFrames / 2;
            }
            for (int s = first; s < clipFrames - windowFrames; s += stride) {
                starts.add(s);
            }
            starts.add(clipFrames - windowFrames);
        }
        return new WindowPlan(clipFrames, weigh(clipFrames, windowFrames, starts));
    }

    private static List<Window> weigh(int clipFrames, int windowFrames, List<Integer> starts) {
        // weight[w][k]: share of window w in frame starts[w]+k, kept up to date as later windows blend in
        List<double[]> weights = new ArrayList<>();
        int[] owner = new int[clipFrames]; // windows covering each frame so far
        for (int w = 0; w < starts.size(); w++) {
            int start = starts.get(w);
            int shared = 0;
            for (int k = 0; k < windowFrames; k++) {
                if (owner[start + k] > 0) {
                    shared++;
                }
            }
            double[] mine = new double[windowFrames];
            int rank = 0;
            for (int k = 0; k < windowFrames; k++) {
                int frame = start + k;
                if (owner[frame] == 0) {
                    mine[k] = 1;
                } else {
                    double r = (rank + 1.0) / (shared + 1.0);
                    rank++;
                    mine[k] = r;
                    for (int v = 0; v < w; v++) {
                        int at = frame - starts.get(v);
                        if (at >= 0 && at < windowFrames) {
                            weights.get(v)[at] *= 1 - r;
                        }
                    }
                }
                owner[frame]++;
            }
            weights.add(mine);
        }
        List<Window> out = new ArrayList<>();
        for (int w = 0; w < starts.size(); w++) {
            int[] frames = new int[windowFrames];
            for (int k = 0; k < windowFrames; k++) {
                frames[k] = starts.get(w) + k;
            }
            out.add(new Window(frames, weights.get(w)));
        }
        return out;
    }

    /**
     * Key frames of the first pass for long clips: floor(j n / F), j = 0..F-1 (inpainting/diffueraser.py:328-331:
     * step = n / nframes, index int(i * step)).
     */
    public static int[] keyFrames(int n, int frames) {
        double step = (double) n / frames;
        int[] keys = new int[frames];
        for (int j = 0; j < frames; j++) {
            keys[j] = (int) (j * step);
        }
        return keys;
    }

    public List<Window> windows() {
        return windows;
    }

    public int clipFrames() {
        return clipFrames;
    }
}
