package org.diff2dgs.cuda.internal.driver;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.IntStream;

import jcuda.Pointer;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * Many host arrays into one device allocation, back to back, through pinned host memory: a training clip's frames
 * (96 frames x colour, depth and mask at 640x512 are 630 MB) become three allocations instead of 288, and the copies
 * run at the DMA rate of page-locked memory instead of through the driver's staging of pageable Java arrays. The
 * staging area has two halves: while the device copies one, the host fills the other (an event per half says when
 * it may be overwritten).
 */
public final class PackedUpload {

    /** Bytes of each staging half: large enough that a copy's fixed cost is small, small enough to pin at once. */
    public static final int DEFAULT_HALF_BYTES = 16 << 20;

    private PackedUpload() {
    }

    /** {@link #upload(CudaContext, List, String, int)} with {@link #DEFAULT_HALF_BYTES}. */
    public static DeviceBuffer upload(CudaContext cuda, List<float[]> arrays, String what) {
        return upload(cuda, arrays, what, DEFAULT_HALF_BYTES);
    }

    /**
     * One new device buffer holding the arrays in order (array i starts at the sum of the earlier lengths, in floats);
     * returns when the copies are done, so the arrays may change at once.
     *
     * @param halfBytes bytes of each staging half (a multiple of 4)
     */
    public static DeviceBuffer upload(CudaContext cuda, List<float[]> arrays, String what, int halfBytes) {
        if (halfBytes < 4 || halfBytes % 4 != 0) {
            throw new IllegalArgumentException("staging half of " + halfBytes + " bytes, expected a positive multiple "
                    + "of 4");
        }
        long total = 0;
        for (float[] a : arrays) {
            total += (long) a.length * Float.BYTES;
        }
        DeviceBuffer target = cuda.allocate(total, what);
        if (total == 0) {
            return target;
        }
        try {
            int half = (int) Math.min(halfBytes, roundUp4(total));
            copy(cuda, arrays, target, half);
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    private static long roundUp4(long n) {
        return (n + 3) & ~3L;
    }

    private static void copy(CudaContext cuda, List<float[]> arrays, DeviceBuffer target, int half) {
        cuda.bind();
        Pointer pinned = new Pointer();
        Cu.check("cuMemAllocHost(" + 2L * half + " bytes of upload staging)",
                () -> cuMemAllocHost(pinned, 2L * half));
        CUevent[] done = {new CUevent(), new CUevent()};
        boolean[] pending = new boolean[2];
        int created = 0;
        try {
            for (; created < 2; created++) {
                CUevent e = done[created];
                Cu.check("cuEventCreate", () -> cuEventCreate(e, CUevent_flags.CU_EVENT_DISABLE_TIMING));
            }
            FloatBuffer[] halves = new FloatBuffer[2];
            for (int h = 0; h < 2; h++) {
                halves[h] = pinned.getByteBuffer((long) h * half, half).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            int side = 0;
            long deviceOffset = 0;
            int fill = 0;
            for (float[] a : arrays) {
                int from = 0;
                while (from < a.length) {
                    if (fill == 0 && pending[side]) {
                        // the device may still be reading this half
                        CUevent e = done[side];
                        Cu.check("cuEventSynchronize(upload staging)", () -> cuEventSynchronize(e));
                        pending[side] = false;
                    }
                    int n = Math.min(a.length - from, half / Float.BYTES - fill);
                    fill(halves[side], fill, a, from, n);
                    fill += n;
                    from += n;
                    if (fill == half / Float.BYTES) {
                        deviceOffset = send(cuda, pinned, side, half, fill, target, deviceOffset, done, pending);
                        fill = 0;
                        side ^= 1;
                    }
                }
            }
            if (fill > 0) {
                send(cuda, pinned, side, half, fill, target, deviceOffset, done, pending);
            }
            cuda.synchronize();
        } finally {
            // nothing may still read the pinned memory when it is freed
            Cu.result(() -> jcuda.driver.JCudaDriver.cuStreamSynchronize(cuda.stream()));
            for (int i = 0; i < created; i++) {
                CUevent e = done[i];
                Cu.result(() -> cuEventDestroy(e));
            }
            Cu.result(() -> cuMemFreeHost(pinned));
        }
    }

    /** Pieces of a half filled by one thread: one core copies about 10 GB/s, the DMA of pinned memory twice that. */
    private static final int PIECE = 1 << 18;

    /** {@code buffer[at ...] = a[from ... from + n)}, large copies by several threads (absolute puts: disjoint). */
    private static void fill(FloatBuffer buffer, int at, float[] a, int from, int n) {
        if (n < 2 * PIECE) {
            buffer.put(at, a, from, n);
            return;
        }
        int pieces = (n + PIECE - 1) / PIECE;
        IntStream.range(0, pieces).parallel().forEach(p -> {
            int o = p * PIECE;
            buffer.put(at + o, a, from + o, Math.min(PIECE, n - o));
        });
    }

    /** Queues the copy of one filled half and records its event; returns the next device offset. */
    private static long send(CudaContext cuda, Pointer pinned, int side, int half, int floats, DeviceBuffer target,
            long deviceOffset, CUevent[] done, boolean[] pending) {
        long bytes = (long) floats * Float.BYTES;
        Pointer source = pinned.withByteOffset((long) side * half);
        Cu.check("cuMemcpyHtoDAsync(" + target.what() + ", " + bytes + " bytes at " + deviceOffset + ")",
                () -> cuMemcpyHtoDAsync(target.pointer().withByteOffset(deviceOffset), source, bytes, cuda.stream()));
        CUevent e = done[side];
        Cu.check("cuEventRecord(upload staging)", () -> cuEventRecord(e, cuda.stream()));
        pending[side] = true;
        return deviceOffset + bytes;
    }
}
