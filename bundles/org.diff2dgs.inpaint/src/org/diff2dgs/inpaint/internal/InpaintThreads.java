package org.diff2dgs.inpaint.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A pool of daemon worker threads for one inpainting call (no pool outlives the call). */
final class InpaintThreads {

    private InpaintThreads() {
    }

    static ExecutorService pool(String method, int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "inpaint-" + method + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
