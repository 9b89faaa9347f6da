package org.diff2dgs.cuda.internal.session;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.PackedUpload;

/**
 * The training frames of a session on the device: every image in one allocation, every depth map in a second, every
 * loss mask in a third, uploaded by {@link PackedUpload} (three allocations and pinned copies instead of three
 * allocations and pageable copies per frame); each frame's {@link FrameBuffers} are slices of them.
 */
public final class FrameSet implements AutoCloseable {

    private final List<DeviceBuffer> packed = new ArrayList<>();
    /** Per frame index; null for frames training never draws. */
    final FrameBuffers[] frames;

    /** Uploads the frames {@code trainFrames} names (each once) with their loss masks (null: every pixel counts). */
    public FrameSet(CudaContext cuda, Sequence sequence, int[] trainFrames, FloatImage[] lossMasks) {
        frames = new FrameBuffers[sequence.size()];
        List<Integer> order = new ArrayList<>();
        boolean[] taken = new boolean[sequence.size()];
        for (int i : trainFrames) {
            if (!taken[i]) {
                taken[i] = true;
                order.add(i);
            }
        }
        List<float[]> images = new ArrayList<>();
        List<float[]> depths = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        for (int i : order) {
            Frame f = sequence.frame(i);
            images.add(f.image().data());
            if (f.depth() != null) {
                depths.add(f.depth().data());
            }
            if (lossMasks[i] != null) {
                masks.add(lossMasks[i].data());
            }
        }
        // the masks' sums (the losses' denominators), frames in parallel
        double[] maskSums = new double[sequence.size()];
        java.util.stream.IntStream.range(0, sequence.size()).parallel().filter(i -> taken[i] && lossMasks[i] != null)
                .forEach(i -> maskSums[i] = FrameBuffers.sum(lossMasks[i]));
        try {
            DeviceBuffer allImages = add(PackedUpload.upload(cuda, images, "training images"));
            DeviceBuffer allDepths = add(PackedUpload.upload(cuda, depths, "training depth maps"));
            DeviceBuffer allMasks = add(PackedUpload.upload(cuda, masks, "training loss masks"));
            long imageAt = 0;
            long depthAt = 0;
            long maskAt = 0;
            for (int i : order) {
                Frame f = sequence.frame(i);
                String name = "frame " + f.index();
                long imageBytes = (long) f.image().data().length * Float.BYTES;
                DeviceBuffer image = allImages.slice(imageAt, imageBytes, name + " image");
                imageAt += imageBytes;
                DeviceBuffer depth = null;
                if (f.depth() != null) {
                    long b = (long) f.depth().data().length * Float.BYTES;
                    depth = allDepths.slice(depthAt, b, name + " depth");
                    depthAt += b;
                }
                DeviceBuffer mask = null;
                if (lossMasks[i] != null) {
                    long b = (long) lossMasks[i].data().length * Float.BYTES;
                    mask = allMasks.slice(maskAt, b, name + " loss mask");
                    maskAt += b;
                }
                frames[i] = new FrameBuffers(f, image, depth, mask, lossMasks[i], maskSums[i]);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A frame's image (3 planes) on the device; null for a frame not uploaded. */
    public DeviceBuffer image(int frame) {
        return frames[frame] == null ? null : frames[frame].image;
    }

    /** A frame's depth map on the device; null when it has none or was not uploaded. */
    public DeviceBuffer depth(int frame) {
        return frames[frame] == null ? null : frames[frame].depth;
    }

    /** A frame's loss mask on the device; null when every pixel counts or it was not uploaded. */
    public DeviceBuffer mask(int frame) {
        return frames[frame] == null ? null : frames[frame].mask;
    }

    /** The losses' denominator of a frame: the sum of its loss mask, its pixel count when it has none. */
    public double maskSum(int frame) {
        return frames[frame].maskSum;
    }

    /** Device allocations the frames took (one per kind of plane, however many frames). */
    public int allocations() {
        return (int) packed.stream().filter(b -> b.bytes() > 0).count();
    }

    private DeviceBuffer add(DeviceBuffer b) {
        packed.add(b);
        return b;
    }

    @Override
    public void close() {
        for (FrameBuffers f : frames) {
            if (f != null) {
                f.close();
            }
        }
        for (DeviceBuffer b : packed) {
            b.close();
        }
        packed.clear();
    }
}
