package org.diff2dgs.cuda.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSize;

/**
 * What a {@link CudaTrainingSession} needs at the surfel cap, from its layout (see docs/training-kernels-cuda.md,
 * "The CUDA training session"):
 * <ul>
 * <li>device, per surfel: value, gradient and two Adam moments of every learnable float (4 x 4 bytes each; a
 * densification swaps them one buffer at a time and needs nothing beyond the larger of the old and new sets, see
 * {@link SessionMemory}), {@value #SURFEL_BUFFER_BYTES} bytes of per-iteration buffers and statistics, and
 * {@value #RASTER_BYTES_PER_SURFEL} bytes of rasterizer work buffers (device run 2026-12-06, H100, gpu-check bench:
 * 46.6 / 70.5 / 157.7 / 450.0 MiB at 50k / 100k / 300k / 1M surfels 640x512, about 442 bytes per surfel and 90 per
 * pixel; rounded up);</li>
 * <li>device, fixed: image, depth and loss mask of every frame (5 floats per pixel; an upper bound, the session
 * uploads only the training frames), rendered and gradient planes (2 x (3 + AUX_CHANNELS) floats per pixel), the
 * losses' SSIM and normal work planes ({@value #LOSS_FLOATS_PER_PIXEL} floats per pixel), rasterizer per-pixel
 * buffers ({@value #RASTER_BYTES_PER_PIXEL} bytes) and {@value #CONTEXT_MB} MB for the context and kernel modules;</li>
 * <li>host: the runtime, the frames as loaded, one {@link org.diff2dgs.train.api.TrainingSession#state()} copy at a
 * checkpoint and the final scene (values of every learnable float).</li>
 * </ul>
 */
final class DeviceMemoryEstimate {

    static final int SURFEL_BUFFER_BYTES = 140;
    static final int RASTER_BYTES_PER_SURFEL = 512;
    static final int RASTER_BYTES_PER_PIXEL = 128;
    static final int LOSS_FLOATS_PER_PIXEL = 24;
    static final int CONTEXT_MB = 512;
    static final int HOST_RUNTIME_MB = 64;

    private DeviceMemoryEstimate() {
    }

    /**
     * @param freeDeviceBytes the device's free memory now (the device pool's limit), -1 when unknown
     */
    static MemoryNeeds of(SessionSize size, long freeDeviceBytes) {
        long learnable = size.floatsPerSurfel();
        long pixels = size.pixels();
        long frames = size.sequence().size();

        long tensorsEach = 4 * (4 * learnable);
        long deviceEach = tensorsEach + SURFEL_BUFFER_BYTES + RASTER_BYTES_PER_SURFEL;
        long shared = 4 * 4 * size.sharedFloats();
        long frameBytes = 4 * 5 * pixels * frames;
        long planes = 4 * (2 * (3 + RenderOutput.AUX_CHANNELS) + LOSS_FLOATS_PER_PIXEL) * pixels
                + RASTER_BYTES_PER_PIXEL * pixels;
        long context = (long) CONTEXT_MB << 20;
        int cap = size.surfelCap();
        Map<String, Long> device = new LinkedHashMap<>();
        device.put("frames", frameBytes);
        device.put("surfels with deformation and optimizer state", tensorsEach * cap + shared);
        device.put("per-surfel buffers and rasterizer records", (long) (SURFEL_BUFFER_BYTES + RASTER_BYTES_PER_SURFEL)
                * cap);
        device.put("image planes", planes);
        device.put("context and kernels", context);
        MemoryNeeds.Pool devicePool = new MemoryNeeds.Pool("GPU memory", freeDeviceBytes,
                frameBytes + planes + context + shared, deviceEach, cap, device);

        long hostEach = size.stateBytesPerSurfel() + 4 * learnable;
        long hostShared = 4 * 4 * size.sharedFloats();
        long runtime = (long) HOST_RUNTIME_MB << 20;
        Map<String, Long> host = new LinkedHashMap<>();
        host.put("frames", size.frameBytes());
        host.put("checkpoint state and final scene", hostEach * cap + hostShared);
        host.put("runtime", runtime);
        MemoryNeeds.Pool hostPool = new MemoryNeeds.Pool("Java heap", -1, size.frameBytes() + runtime + hostShared,
                hostEach, cap, host);
        return new MemoryNeeds(hostPool, devicePool);
    }
}
