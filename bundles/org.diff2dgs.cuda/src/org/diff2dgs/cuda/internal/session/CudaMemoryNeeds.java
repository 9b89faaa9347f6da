package org.diff2dgs.cuda.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSize;

/**
 * What a {@link CudaTrainingSession} of a given size needs at the surfel cap, stated before anything is loaded:
 * <ul>
 * <li>device: {@link SessionMemory#peakAtCap}, by part, against the device's free memory (measured with a context
 * open, so the driver's context and the kernel modules are already out of it; what the driver reserves later, e.g.
 * local memory at a kernel's first launch, is not in the figure: an allocation that then fails still says what it
 * asked and what was free, exit code 1);</li>
 * <li>host: the runtime, the frames as loaded, one {@link org.diff2dgs.train.api.TrainingSession#state()} copy at a
 * checkpoint and the final scene (values of every learnable float).</li>
 * </ul>
 */
final class CudaMemoryNeeds {

    static final int HOST_RUNTIME_MB = 64;

    private CudaMemoryNeeds() {
    }

    /**
     * @param freeDeviceBytes the device's free memory now (the device pool's limit), -1 when unknown
     */
    static MemoryNeeds of(SessionSize size, long freeDeviceBytes) {
        int cap = size.surfelCap();
        SessionMemory memory = SessionMemory.of(size);
        long peak = memory.peakAtCap(cap);
        Map<String, Long> device = new LinkedHashMap<>();
        for (SessionMemory.Buffer b : memory.partsAtCap(cap)) {
            device.merge(b.what(), b.bytes(), Long::sum);
        }
        // linear in the cap for the "a cap that fits" advice: the per-surfel bytes at the cap (the entry buffers
        // scale with the cap, so the baseline has none), the rest fixed; the total is the prediction itself
        long perSurfel = (peak - memory.withEntries(0).peakAtCap(0)) / Math.max(1, cap);
        MemoryNeeds.Pool devicePool = new MemoryNeeds.Pool("GPU memory", freeDeviceBytes,
                peak - perSurfel * cap, perSurfel, cap, device);

        long learnable = size.floatsPerSurfel();
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
