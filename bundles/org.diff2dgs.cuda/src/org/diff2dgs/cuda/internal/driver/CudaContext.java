package org.diff2dgs.cuda.internal.driver;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * The CUDA device 0 as this program uses it: the driver's primary context, every kernel module of the fatbin (loaded
 * once per process and shared by all contexts, {@link ModuleSet}), one stream of its own on which all copies and
 * launches queue in order, and the device memory we allocated (tracked, so that the
 * peak is known and close() frees what is left). Driver API only (JCuda's runtime/NVRTC bindings need CUDA 12
 * libraries that a CUDA 13 machine lacks).
 *
 * <p>A context is used from one thread at a time; any thread may use it (the primary context is made current on
 * first use from each thread).
 */
public final class CudaContext implements AutoCloseable {

    private final CUdevice device;
    private final CUcontext context;
    private final CUstream stream;
    private final String deviceName;
    private final long totalBytes;
    private final int[] computeCapability;
    private final int driverVersion;
    private final String fatbinSource;
    /** The kernel modules, shared with every other context of this process ({@link ModuleSet}). */
    private ModuleSet moduleSet;
    private final Map<String, Kernel> kernels = new ConcurrentHashMap<>();
    private final Set<DeviceBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ThreadLocal<Boolean> boundHere = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private long allocatedBytes;
    private long peakAllocatedBytes;
    private volatile boolean closed;

    private CudaContext(CUdevice device, CUcontext context, CUstream stream, String deviceName, long totalBytes,
            int[] computeCapability, int driverVersion, String fatbinSource) {
        this.device = device;
        this.context = context;
        this.stream = stream;
        this.deviceName = deviceName;
        this.totalBytes = totalBytes;
        this.computeCapability = computeCapability;
        this.driverVersion = driverVersion;
        this.fatbinSource = fatbinSource;
    }

    /** Opens device 0 with the kernels of {@link FatbinSource#fromSystem()}. */
    public static CudaContext open() {
        return open(FatbinSource.fromSystem());
    }

    /**
     * Starts the driver, takes device 0's primary context and loads every module.
     *
     * @throws CudaUnavailableException with the reason (no driver library, no device, driver too old for the
     *                                  fatbin, fatbin missing)
     */
    public static CudaContext open(FatbinSource fatbins) {
        Cu.load();
        int[] version = {0};
        try {
            Cu.result(() -> cuDriverGetVersion(version));
            int r = Cu.result(() -> cuInit(0));
            if (r != CUresult.CUDA_SUCCESS) {
                throw new CudaUnavailableException(DriverErrors.forInit(r, version[0]), DriverErrors.name(r), null);
            }
            int[] count = {0};
            r = Cu.result(() -> cuDeviceGetCount(count));
            if (r != CUresult.CUDA_SUCCESS || count[0] < 1) {
                throw new CudaUnavailableException("no CUDA device found (cuDeviceGetCount: "
                        + (r != 0 ? DriverErrors.name(r) : "0 devices") + ")");
            }
        } catch (LinkageError e) {
            // a driver library that lacks an entry point JCuda binds (a very old libcuda): not a crash, a reason
            throw new CudaUnavailableException(DriverErrors.forNativeLoad(e), null, e);
        }
        CUdevice device = new CUdevice();
        unavailableUnless("cuDeviceGet(0)", Cu.result(() -> cuDeviceGet(device, 0)));
        byte[] name = new byte[256];
        Cu.result(() -> cuDeviceGetName(name, name.length, device));
        long[] total = {0};
        Cu.result(() -> cuDeviceTotalMem(total, device));
        int[] major = {0};
        int[] minor = {0};
        Cu.result(() -> cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                device));
        Cu.result(() -> cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                device));

        CUcontext ctx = new CUcontext();
        unavailableUnless("cuDevicePrimaryCtxRetain", Cu.result(() -> cuDevicePrimaryCtxRetain(ctx, device)));
        CUstream stream = new CUstream();
        try {
            unavailableUnless("cuCtxSetCurrent", Cu.result(() -> cuCtxSetCurrent(ctx)));
            // blocking with respect to the legacy default stream: nothing queued elsewhere can overtake our work
            unavailableUnless("cuStreamCreate", Cu.result(() -> cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT)));
        } catch (RuntimeException e) {
            Cu.result(() -> cuDevicePrimaryCtxRelease(device));
            throw e;
        }
        CudaContext cuda = new CudaContext(device, ctx, stream, cString(name), total[0],
                new int[] {major[0], minor[0]}, version[0], fatbins.describe());
        cuda.boundHere.set(Boolean.TRUE);
        try {
            cuda.moduleSet = ModuleSet.acquire(fatbins, device, ctx, major[0] * 10 + minor[0], version[0]);
        } catch (RuntimeException e) {
            cuda.close();
            throw e;
        }
        return cuda;
    }

    /**
     * How many module images this process has handed to the driver (cuModuleLoadData calls): a second context of the
     * same kernels adds none.
     */
    public static int moduleImagesLoaded() {
        return ModuleSet.imagesLoaded();
    }

    /**
     * Unloads the process's kernel modules when no context uses them (they are otherwise kept for the next context,
     * see {@link ModuleSet}); for the bundle's deactivation.
     */
    public static void releaseIdleModules() {
        ModuleSet.releaseIdle();
    }

    private static void unavailableUnless(String call, int result) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaUnavailableException("CUDA device 0 could not be opened (" + call + ": "
                    + DriverErrors.name(result) + ")", DriverErrors.name(result), null);
        }
    }

    public String deviceName() {
        return deviceName;
    }

    public long totalBytes() {
        return totalBytes;
    }

    /** Free device memory now, as the driver counts it (all processes). */
    public long freeBytes() {
        ensureOpen();
        bind();
        long[] free = {0};
        long[] total = {0};
        Cu.check("cuMemGetInfo", () -> cuMemGetInfo(free, total));
        return free[0];
    }

    /** {major, minor}. */
    public int[] computeCapability() {
        return computeCapability.clone();
    }

    /** The driver's CUDA version, e.g. 13000 for 13.0. */
    public int driverVersion() {
        return driverVersion;
    }

    /** Where the kernel modules were read from. */
    public String fatbinSource() {
        return fatbinSource;
    }

    /** Loaded module stems, in load order. */
    public List<String> moduleNames() {
        return new ArrayList<>(moduleSet.modules().keySet());
    }

    /** Bytes of device memory held by our live buffers. */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** The most bytes our buffers held at once since open or the last {@link #resetPeak()}. */
    public synchronized long peakAllocatedBytes() {
        return peakAllocatedBytes;
    }

    public synchronized void resetPeak() {
        peakAllocatedBytes = allocatedBytes;
    }

    /**
     * Allocates device memory. A zero-byte buffer holds no allocation (a null pointer), so empty tensors need no
     * special case.
     *
     * @param what what the memory is for, e.g. "surfel positions" (in the out-of-memory message)
     * @throws CudaOutOfMemoryException with the size asked and what the device has free
     */
    public DeviceBuffer allocate(long bytes, String what) {
        if (bytes < 0) {
            throw new IllegalArgumentException("allocation of " + what + ": negative size " + bytes);
        }
        ensureOpen();
        CUdeviceptr p = new CUdeviceptr();
        if (bytes > 0) {
            bind();
            int r = Cu.result(() -> cuMemAlloc(p, bytes));
            if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
                long[] free = {-1};
                long[] total = {totalBytes};
                if (Cu.result(() -> cuMemGetInfo(free, total)) != 0) {
                    free[0] = -1;
                }
                throw new CudaOutOfMemoryException(what, bytes, free[0], total[0]);
            }
            if (r != CUresult.CUDA_SUCCESS) {
                throw new CudaException(DriverErrors.forCall("cuMemAlloc(" + what + ", " + bytes + " bytes)", r),
                        DriverErrors.name(r), null);
            }
        }
        DeviceBuffer b = new DeviceBuffer(this, p, bytes, what);
        synchronized (this) {
            live.add(b);
            allocatedBytes += bytes;
            peakAllocatedBytes = Math.max(peakAllocatedBytes, allocatedBytes);
        }
        return b;
    }

    public DeviceBuffer upload(float[] host, String what) {
        DeviceBuffer b = allocate((long) host.length * Float.BYTES, what);
        b.copyFrom(host);
        return b;
    }

    public DeviceBuffer upload(int[] host, String what) {
        DeviceBuffer b = allocate((long) host.length * Integer.BYTES, what);
        b.copyFrom(host);
        return b;
    }

    /** The {@code extern "C"} kernel of that name, from whichever module has it. */
    public Kernel kernel(String name) {
        ensureOpen();
        Kernel k = kernels.get(name);
        if (k != null) {
            return k;
        }
        bind();
        Map<String, CUmodule> modules = moduleSet.modules();
        for (Map.Entry<String, CUmodule> m : modules.entrySet()) {
            CUfunction f = new CUfunction();
            int r = Cu.result(() -> cuModuleGetFunction(f, m.getValue(), name));
            if (r == CUresult.CUDA_SUCCESS) {
                k = new Kernel(this, f, name, m.getKey());
                kernels.put(name, k);
                return k;
            }
            if (r != CUresult.CUDA_ERROR_NOT_FOUND) {
                throw new CudaException(DriverErrors.forCall("cuModuleGetFunction(" + name + ")", r),
                        DriverErrors.name(r), null);
            }
        }
        throw new CudaException("kernel " + name + " is in none of the modules " + modules.keySet() + " ("
                + fatbinSource + ")");
    }

    /** Waits until everything queued on the stream has run; an error of any kernel before becomes a CudaException. */
    public void synchronize() {
        ensureOpen();
        bind();
        int r = Cu.result(() -> cuStreamSynchronize(stream));
        if (r != CUresult.CUDA_SUCCESS) {
            String n = DriverErrors.name(r);
            throw new CudaException("CUDA error while running kernels on " + deviceName + ": " + n
                    + (DriverErrors.isSticky(r) ? " (the CUDA context cannot be used any more; restart the program)"
                            : ""), n, null);
        }
    }

    public CUstream stream() {
        return stream;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Makes the primary context current on the calling thread (once per thread). */
    void bind() {
        if (!boundHere.get()) {
            Cu.check("cuCtxSetCurrent", () -> cuCtxSetCurrent(context));
            boundHere.set(Boolean.TRUE);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA context was closed");
        }
    }

    synchronized void released(DeviceBuffer b) {
        if (live.remove(b)) {
            allocatedBytes -= b.bytes();
        }
    }

    /** Waits for queued work, frees the buffers still held, unloads the modules and releases the context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        bind();
        Cu.result(() -> cuStreamSynchronize(stream));
        List<DeviceBuffer> left;
        synchronized (this) {
            left = new ArrayList<>(live);
        }
        for (DeviceBuffer b : left) {
            b.close();
        }
        if (moduleSet != null) {
            moduleSet.release();
            moduleSet = null;
        }
        kernels.clear();
        Cu.result(() -> cuStreamDestroy(stream));
        closed = true;
        Cu.result(() -> cuDevicePrimaryCtxRelease(device));
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8).strip();
    }
}
