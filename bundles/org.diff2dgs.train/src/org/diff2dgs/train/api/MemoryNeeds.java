package org.diff2dgs.train.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.diff2dgs.core.io.ByteSize;

/**
 * The memory a training session needs at the surfel cap, in each place it keeps tensors, stated by its
 * {@link TrainingBackend} before anything is loaded or allocated. A CPU session keeps everything on the Java heap; a
 * GPU session keeps frames, surfels, optimizer state and render buffers in device memory and on the heap only the
 * frames as loaded, the {@link TrainingSession#state()} copies at checkpoints and the final scene. Training checks
 * both before it starts and refuses, naming which one is short.
 *
 * @param host   the Java heap (its limit is the JVM's, which the caller knows: {@link Pool#limitBytes()} is -1)
 * @param device device memory, or null for a backend that uses none
 */
public record MemoryNeeds(Pool host, Pool device) {

    /**
     * {@code -Dd2dgs.memoryCheck=off} (in D2DGS_VMARGS) trains even when a statement exceeds what there is: neither the
     * check before training nor a backend's own check when its session opens refuses then.
     */
    public static final String CHECK_PROPERTY = "d2dgs.memoryCheck";

    /** False when {@link #CHECK_PROPERTY} is "off". */
    public static boolean checked() {
        return !"off".equals(System.getProperty(CHECK_PROPERTY));
    }

    public MemoryNeeds {
        if (host == null) {
            throw new IllegalArgumentException("every session needs some Java heap: host must not be null");
        }
    }

    /**
     * One place's needs: {@code fixedBytes + bytesPerSurfel * surfels}, at the cap {@code surfelCap}.
     *
     * @param place          what to call it in messages: "Java heap", "GPU memory"
     * @param limitBytes     what the place offers (for a device: its free memory now), -1 when the caller knows
     *                       (the Java heap) or nobody does
     * @param fixedBytes     needs independent of the surfel count: frames, render buffers, runtime, shared tensors
     * @param bytesPerSurfel needs per surfel: tensors, gradients, optimizer moments, statistics, render records
     * @param surfelCap      the run's surfel cap
     * @param parts          bytes at the cap by part, in the order to print ("frames", "surfels with optimizer
     *                       state", ...); they add up to {@link #total()}
     */
    public record Pool(String place, long limitBytes, long fixedBytes, long bytesPerSurfel, int surfelCap,
            Map<String, Long> parts) {

        public Pool {
            parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts));
        }

        /** Bytes at the surfel cap. */
        public long total() {
            return fixedBytes + bytesPerSurfel * surfelCap;
        }

        /** The largest surfel cap whose session fits in {@code limit} bytes (0 when not even the fixed part fits). */
        public int surfelsThatFit(long limit) {
            long left = limit - fixedBytes;
            return left <= 0 || bytesPerSurfel <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, left / bytesPerSurfel);
        }

        /** "about 1.2 GB of Java heap at the surfel cap of 500000 (frames 300 MB, ...)". */
        public String describe() {
            return "about " + ByteSize.format(total()) + " of " + place + " at the surfel cap of " + surfelCap + " ("
                    + parts.entrySet().stream().map(e -> e.getKey() + " " + ByteSize.format(e.getValue()))
                            .collect(Collectors.joining(", "))
                    + ")";
        }
    }
}
