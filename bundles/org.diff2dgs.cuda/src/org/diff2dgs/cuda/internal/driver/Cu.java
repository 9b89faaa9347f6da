package org.diff2dgs.cuda.internal.driver;

import java.util.function.IntSupplier;

import jcuda.driver.JCudaDriver;

/**
 * Every driver call goes through here, so that both ways JCuda reports a failure (a CUresult, or its own
 * jcuda.CudaException once exceptions are enabled) end as our {@link CudaException} with the result's name.
 */
final class Cu {

    private static volatile String loadFailure;
    private static volatile boolean loaded;

    private Cu() {
    }

    /**
     * Loads JCuda's native driver library (which links libcuda.so.1). A missing library is a LinkageError thrown from
     * JCudaDriver's static initializer, and NoClassDefFoundError on every later touch: both become the same reason.
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        if (loadFailure != null) {
            throw new CudaUnavailableException(loadFailure);
        }
        try {
            // JCuda calls that fail throw instead of returning a code nobody reads (for code that calls JCuda directly)
            JCudaDriver.setExceptionsEnabled(true);
            loaded = true;
        } catch (LinkageError e) {
            loadFailure = DriverErrors.forNativeLoad(e);
            throw new CudaUnavailableException(loadFailure, null, e);
        }
    }

    /** The call's CUresult (0 = success), whichever way JCuda reported it. */
    static int result(IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (jcuda.CudaException e) {
            int code = DriverErrors.code(e.getMessage());
            return code == 0 ? -1 : code;
        }
    }

    /** Runs a call that must succeed; a failure is a {@link CudaException} naming the call. */
    static void check(String what, IntSupplier call) {
        int r = result(call);
        if (r != 0) {
            throw new CudaException(DriverErrors.forCall(what, r), DriverErrors.name(r), null);
        }
    }
}
