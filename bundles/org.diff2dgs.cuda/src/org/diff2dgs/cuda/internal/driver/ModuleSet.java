package org.diff2dgs.cuda.internal.driver;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * The kernel modules of one fatbin source in device 0's primary context, loaded once per process. Every
 * {@link CudaContext} works in the primary context, so module handles are valid in all of them; before this, the
 * device probe, the memory check and the training session each read the 2.7 MB of fatbin from the bundle and loaded
 * every module again (and unloaded it on close). The set holds a retain of the primary context of its own, so it
 * stays loaded when the last context closes and the next one (the session after the probe) finds it;
 * {@link #releaseIdle()} unloads it when nothing uses it (bundle deactivation). A context of another fatbin source
 * (the -D folder changed) gets a fresh set, and an unused older one is unloaded.
 */
final class ModuleSet {

    /** The set a new context of the same source reuses (guarded by the class). */
    private static ModuleSet cached;
    private static int imagesLoaded;

    private final String source;
    private final CUdevice device;
    private final CUcontext context;
    private final Map<String, CUmodule> modules;
    private int users;
    private boolean unloaded;

    private ModuleSet(String source, CUdevice device, CUcontext context, Map<String, CUmodule> modules) {
        this.source = source;
        this.device = device;
        this.context = context;
        this.modules = Collections.unmodifiableMap(modules);
    }

    /**
     * The modules of {@code fatbins} for a context being opened (its primary context current on this thread).
     *
     * @throws CudaUnavailableException when a module does not load (driver too old for the fatbin, fatbin missing)
     */
    static synchronized ModuleSet acquire(FatbinSource fatbins, CUdevice device, CUcontext context, int cc,
            int driverVersion) {
        String source = fatbins.describe();
        if (cached != null && cached.source.equals(source) && !cached.unloaded) {
            cached.users++;
            return cached;
        }
        ModuleSet loaded = load(fatbins, device, context, cc, driverVersion);
        if (cached != null && cached.users == 0) {
            cached.unload();
        }
        cached = loaded;
        loaded.users = 1;
        return loaded;
    }

    private static ModuleSet load(FatbinSource fatbins, CUdevice device, CUcontext context, int cc,
            int driverVersion) {
        Map<String, CUmodule> modules = new LinkedHashMap<>();
        CUcontext own = new CUcontext();
        Cu.check("cuDevicePrimaryCtxRetain", () -> cuDevicePrimaryCtxRetain(own, device));
        try {
            for (String stem : fatbins.modules()) {
                byte[] image = fatbins.module(stem);
                CUmodule module = new CUmodule();
                imagesLoaded++;
                int r = Cu.result(() -> cuModuleLoadData(module, image));
                if (r != CUresult.CUDA_SUCCESS) {
                    throw new CudaUnavailableException(DriverErrors.forModuleLoad(r, stem, cc, driverVersion),
                            DriverErrors.name(r), null);
                }
                modules.put(stem, module);
            }
        } catch (RuntimeException e) {
            for (CUmodule m : modules.values()) {
                Cu.result(() -> cuModuleUnload(m));
            }
            Cu.result(() -> cuDevicePrimaryCtxRelease(device));
            throw e;
        }
        return new ModuleSet(fatbins.describe(), device, context, modules);
    }

    static synchronized int imagesLoaded() {
        return imagesLoaded;
    }

    static synchronized void releaseIdle() {
        if (cached != null && cached.users == 0) {
            cached.unload();
            cached = null;
        }
    }

    Map<String, CUmodule> modules() {
        return modules;
    }

    /** A context closes: the set stays loaded for the next one unless a newer source replaced it. */
    void release() {
        synchronized (ModuleSet.class) {
            users--;
            if (users == 0 && this != cached) {
                unload();
            }
        }
    }

    private void unload() {
        if (unloaded) {
            return;
        }
        unloaded = true;
        // the thread that unloads may be another than the one that loaded
        Cu.result(() -> cuCtxSetCurrent(context));
        for (CUmodule m : modules.values()) {
            Cu.result(() -> cuModuleUnload(m));
        }
        Cu.result(() -> cuDevicePrimaryCtxRelease(device));
    }
}
