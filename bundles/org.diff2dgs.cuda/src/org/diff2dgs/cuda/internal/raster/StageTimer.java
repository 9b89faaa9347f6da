package org.diff2dgs.cuda.internal.raster;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;

/**
 * Per-stage GPU time with CUDA events on the rasterizer's stream: {@link #mark} records an event after the work
 * queued so far, and the time between consecutive marks is the stage's. Events are created once and reused. When
 * disabled, marking does nothing, so the training path pays nothing for it.
 */
final class StageTimer implements AutoCloseable {

    private final CUstream stream;
    private final List<CUevent> events = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private boolean enabled;

    StageTimer(CUstream stream) {
        this.stream = stream;
    }

    void enable(boolean on) {
        enabled = on;
    }

    boolean enabled() {
        return enabled;
    }

    /** Starts a new measurement: the first event marks the start. */
    void start() {
        names.clear();
        if (enabled) {
            record("start");
        }
    }

    /** Records the end of stage {@code name}. */
    void mark(String name) {
        if (enabled) {
            record(name);
        }
    }

    private void record(String name) {
        int i = names.size();
        if (i == events.size()) {
            CUevent e = new CUevent();
            check("cuEventCreate", cuEventCreate(e, CUevent_flags.CU_EVENT_DEFAULT));
            events.add(e);
        }
        check("cuEventRecord", cuEventRecord(events.get(i), stream));
        names.add(name);
    }

    /** Milliseconds per stage since {@link #start}, summed per name (waits for the last event). */
    Map<String, Double> read() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (names.size() < 2) {
            return out;
        }
        check("cuEventSynchronize", cuEventSynchronize(events.get(names.size() - 1)));
        float[] ms = new float[1];
        for (int i = 1; i < names.size(); i++) {
            check("cuEventElapsedTime", cuEventElapsedTime(ms, events.get(i - 1), events.get(i)));
            out.merge(names.get(i), (double) ms[0], Double::sum);
        }
        return out;
    }

    private static void check(String call, int result) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + CUresult.stringFor(result));
        }
    }

    @Override
    public void close() {
        for (CUevent e : events) {
            cuEventDestroy(e);
        }
        events.clear();
    }
}
