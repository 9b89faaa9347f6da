package org.diff2dgs.inpaint.internal;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.CancelledException;

/** Waiting for pool tasks (failures unwrapped) and splitting index ranges over the pool. */
final class Parallel {

    private Parallel() {
    }

    static void await(List<? extends Future<?>> jobs) {
        RuntimeException first = null;
        for (Future<?> f : jobs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (first == null) {
                    first = c instanceof RuntimeException r ? r
                            : c instanceof Error err ? new IllegalStateException(err.toString(), err)
                                    : new IllegalStateException(c.getMessage(), c);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs body(i) for i in [0, n) in {@code chunks} contiguous blocks on the pool. */
    static void forRange(java.util.concurrent.ExecutorService pool, int n, int chunks, IntConsumer body) {
        int k = Math.max(1, Math.min(chunks, n / 256 + 1));
        List<Future<?>> jobs = IntStream.range(0, k).<Future<?>>mapToObj(c -> pool.submit(() -> {
            int from = (int) ((long) n * c / k);
            int to = (int) ((long) n * (c + 1) / k);
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        })).toList();
        await(jobs);
    }
}
