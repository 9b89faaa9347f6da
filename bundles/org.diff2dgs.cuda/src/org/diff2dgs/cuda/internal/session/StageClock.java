package org.diff2dgs.cuda.internal.session;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;

import java.util.Arrays;

import org.diff2dgs.cuda.internal.driver.CudaContext;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * Device time per training stage from CUDA events recorded on the stream at stage boundaries. Two sets of events
 * alternate between iterations: the set of the previous iteration is read after this iteration's first
 * synchronization (the stream has passed all of it by then), so timing adds no synchronization of its own.
 */
final class StageClock implements AutoCloseable {

    private final CudaContext cuda;
    private final CUevent[][] events;
    private final boolean[][] recorded;
    private final double[] seconds;
    private int current;

    StageClock(CudaContext cuda, int stages) {
        this.cuda = cuda;
        events = new CUevent[2][stages + 1];
        recorded = new boolean[2][stages + 1];
        for (CUevent[] set : events) {
            for (int i = 0; i < set.length; i++) {
                set[i] = new CUevent();
                cuEventCreate(set[i], CUevent_flags.CU_EVENT_DEFAULT);
            }
        }
        seconds = new double[stages];
    }

    /** Starts an iteration on the other event set. Read that set first ({@link #collectPrevious}). */
    void start() {
        current ^= 1;
        Arrays.fill(recorded[current], false);
    }

    /** Boundary {@code b}: stage b starts here and stage b - 1 ends. */
    void mark(int b) {
        cuEventRecord(events[current][b], cuda.stream());
        recorded[current][b] = true;
    }

    /** Adds the previous iteration's stage times; only after a synchronization that followed all its marks. */
    void collectPrevious() {
        collect(current ^ 1);
    }

    /** Adds every pending time; only after a full synchronization. */
    void collectAll() {
        collect(current ^ 1);
        collect(current);
    }

    private void collect(int set) {
        float[] ms = new float[1];
        for (int s = 0; s < seconds.length; s++) {
            if (recorded[set][s] && recorded[set][s + 1]) {
                cuEventElapsedTime(ms, events[set][s], events[set][s + 1]);
                seconds[s] += ms[0] / 1e3;
            }
        }
        Arrays.fill(recorded[set], false);
    }

    void addSeconds(int stage, double s) {
        seconds[stage] += s;
    }

    double seconds(int stage) {
        return seconds[stage];
    }

    @Override
    public void close() {
        for (CUevent[] set : events) {
            for (CUevent e : set) {
                cuEventDestroy(e);
            }
        }
    }
}
