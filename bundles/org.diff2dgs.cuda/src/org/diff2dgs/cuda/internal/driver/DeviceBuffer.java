package org.diff2dgs.cuda.internal.driver;

import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * One device allocation of a {@link CudaContext}. Uploads are queued on the context stream (the driver stages
 * pageable host memory before returning, so the array may be reused at once); downloads wait for the stream first,
 * so they see every kernel queued before them. Sizes are checked: a copy never runs past either side.
 */
public final class DeviceBuffer implements AutoCloseable {

    private final CudaContext context;
    private final CUdeviceptr pointer;
    private final long bytes;
    private final String what;
    /** The buffer this one is a part of (null: an allocation of its own). */
    private final DeviceBuffer whole;
    private boolean closed;

    DeviceBuffer(CudaContext context, CUdeviceptr pointer, long bytes, String what) {
        this(context, pointer, bytes, what, null);
    }

    private DeviceBuffer(CudaContext context, CUdeviceptr pointer, long bytes, String what, DeviceBuffer whole) {
        this.context = context;
        this.pointer = pointer;
        this.bytes = bytes;
        this.what = what;
        this.whole = whole;
    }

    /**
     * A part of this buffer, {@code bytes} long from {@code offset}: copies and kernels use it like a buffer of its
     * own; closing it frees nothing (the memory goes when this buffer is closed), and it cannot be used after that.
     */
    public DeviceBuffer slice(long offset, long bytes, String what) {
        ensureOpen();
        if (offset < 0 || bytes < 0 || offset + bytes > this.bytes) {
            throw new IllegalArgumentException("slice " + what + " of " + bytes + " bytes at " + offset
                    + " outside device buffer '" + this.what + "' of " + this.bytes + " bytes");
        }
        return new DeviceBuffer(context, pointer.withByteOffset(offset), bytes, what, this);
    }

    public long bytes() {
        return bytes;
    }

    /** Capacity in 4-byte elements (float or int). */
    public long floats() {
        return bytes / Float.BYTES;
    }

    /** Capacity in 4-byte elements (float or int). */
    public long ints() {
        return bytes / Integer.BYTES;
    }

    /** What the buffer holds, as named at allocation (used in messages). */
    public String what() {
        return what;
    }

    public CUdeviceptr pointer() {
        ensureOpen();
        return pointer;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Uploads the whole array; its size must equal the buffer's. */
    public void copyFrom(float[] host) {
        exactly(host.length, Float.BYTES);
        upload(Pointer.to(host), (long) host.length * Float.BYTES);
    }

    public void copyFrom(int[] host) {
        exactly(host.length, Integer.BYTES);
        upload(Pointer.to(host), (long) host.length * Integer.BYTES);
    }

    /** Uploads the first {@code count} elements of the array to the start of the buffer. */
    public void copyFrom(float[] host, int count) {
        atMost(count, host.length, Float.BYTES);
        upload(Pointer.to(host), (long) count * Float.BYTES);
    }

    public void copyFrom(int[] host, int count) {
        atMost(count, host.length, Integer.BYTES);
        upload(Pointer.to(host), (long) count * Integer.BYTES);
    }

    /** Downloads the whole buffer; the array's size must equal the buffer's. Waits for the queued work. */
    public void copyTo(float[] host) {
        exactly(host.length, Float.BYTES);
        download(Pointer.to(host), (long) host.length * Float.BYTES);
    }

    public void copyTo(int[] host) {
        exactly(host.length, Integer.BYTES);
        download(Pointer.to(host), (long) host.length * Integer.BYTES);
    }

    /** Downloads the first {@code count} elements of the buffer. */
    public void copyTo(float[] host, int count) {
        atMost(count, host.length, Float.BYTES);
        download(Pointer.to(host), (long) count * Float.BYTES);
    }

    public void copyTo(int[] host, int count) {
        atMost(count, host.length, Integer.BYTES);
        download(Pointer.to(host), (long) count * Integer.BYTES);
    }

    /** Sets every byte to 0, queued on the context stream. */
    public void zero() {
        ensureOpen();
        if (bytes == 0) {
            return;
        }
        context.bind();
        Cu.check("cuMemsetD8Async(" + what + ")", () -> cuMemsetD8Async(pointer, (byte) 0, bytes, context.stream()));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (whole != null) {
            return;
        }
        if (bytes > 0 && !context.isClosed()) {
            context.bind();
            // freeing waits for the device to finish with it; a failure here would only hide the first error
            Cu.result(() -> cuMemFree(pointer));
        }
        context.released(this);
    }

    private void upload(Pointer host, long n) {
        ensureOpen();
        if (n == 0) {
            return;
        }
        context.bind();
        Cu.check("cuMemcpyHtoDAsync(" + what + ", " + n + " bytes)",
                () -> cuMemcpyHtoDAsync(pointer, host, n, context.stream()));
    }

    private void download(Pointer host, long n) {
        ensureOpen();
        if (n == 0) {
            return;
        }
        context.synchronize();
        Cu.check("cuMemcpyDtoHAsync(" + what + ", " + n + " bytes)",
                () -> cuMemcpyDtoHAsync(host, pointer, n, context.stream()));
        context.synchronize();
    }

    private void exactly(int length, int elementBytes) {
        if ((long) length * elementBytes != bytes) {
            throw new IllegalArgumentException("device buffer '" + what + "' holds " + bytes + " bytes, the host array "
                    + length + " elements of " + elementBytes + " bytes");
        }
    }

    private void atMost(int count, int length, int elementBytes) {
        if (count < 0 || count > length || (long) count * elementBytes > bytes) {
            throw new IllegalArgumentException("copy of " + count + " elements: device buffer '" + what + "' holds "
                    + bytes + " bytes, the host array " + length + " elements");
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("device buffer '" + what + "' was already freed");
        }
        if (whole != null) {
            whole.ensureOpen();
        }
        context.ensureOpen();
    }
}
