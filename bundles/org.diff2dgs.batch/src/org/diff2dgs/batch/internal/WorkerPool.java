package org.diff2dgs.batch.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.diff2dgs.batch.api.Cell;

/**
 * Runs cells in child processes of the d2dgs launcher, {@code workers} at a time, one process per cell
 * ({@code d2dgs batch <file> --cell <id>}). Worker i always gets the same GPU through CUDA_VISIBLE_DEVICES: the i-th
 * of the devices this process may use (a SLURM or docker allocation), else device i. A process per cell keeps a
 * crashed or leaking cell from taking the others down; its output goes to {@code <out>/logs/cell-<id>.log}.
 */
final class WorkerPool {

    /** Seconds a cancelled child gets to write its checkpoint and exit after SIGTERM. */
    private static final long STOP_GRACE_SECONDS = 90;

    /** What the pool reports; called from the worker threads. */
    interface Events {
        void started(Cell cell, int worker, String device, int position, Path log);

        void finished(Cell cell, int worker, int exitCode, double seconds, int position, Path log);

        boolean cancelled();
    }

    private final List<String> launcher;
    private final Path experimentFile;
    private final Path logs;
    private final int workers;
    private final List<String> devices;

    WorkerPool(List<String> launcher, Path experimentFile, Path logs, int workers, String visibleDevices) {
        if (workers < 1) {
            throw new org.diff2dgs.core.api.UserInputException("--workers must be at least 1, got " + workers);
        }
        this.launcher = List.copyOf(launcher);
        this.experimentFile = experimentFile;
        this.logs = logs;
        this.workers = workers;
        this.devices = devices(visibleDevices, workers);
    }

    /** The device each worker sees. */
    static List<String> devices(String visible, int workers) {
        List<String> given = new ArrayList<>();
        if (visible != null) {
            for (String d : visible.split(",")) {
                if (!d.isBlank()) {
                    given.add(d.trim());
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            out.add(given.isEmpty() ? Integer.toString(i) : given.get(i % given.size()));
        }
        return out;
    }

    List<String> devices() {
        return devices;
    }

    void run(List<Cell> cells, Events events) throws InterruptedException {
        ConcurrentLinkedQueue<Cell> queue = new ConcurrentLinkedQueue<>(cells);
        AtomicInteger position = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int w = 0; w < Math.min(workers, cells.size()); w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("batch-worker-" + w).start(() -> {
                try {
                    for (Cell c = queue.poll(); c != null && !events.cancelled(); c = queue.poll()) {
                        runOne(c, worker, position.incrementAndGet(), events);
                    }
                } catch (Throwable e) {
                    // a dead worker leaves its cells unrun: the batch must fail, not report what it got so far
                    failed.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Throwable e = failed.get();
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException("a batch worker thread failed: " + e, e);
        }
    }

    private void runOne(Cell cell, int worker, int position, Events events) {
        Path log = logs.resolve("cell-" + cell.id() + ".log");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("batch", experimentFile.toString(), "--cell", Integer.toString(cell.id())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("CUDA_VISIBLE_DEVICES", devices.get(worker));
        long t0 = System.nanoTime();
        int code;
        try {
            Files.createDirectories(logs);
            events.started(cell, worker, devices.get(worker), position, log);
            Process p = pb.start();
            code = waitFor(p, events);
        } catch (IOException e) {
            appendToLog(log, "d2dgs batch: cannot start the worker process " + command + ": " + e.getMessage());
            code = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -2;
        }
        events.finished(cell, worker, code, (System.nanoTime() - t0) / 1e9, position, log);
    }

    /** Waits for the child; on cancellation asks it to stop (SIGTERM: it checkpoints and exits) before killing it. */
    private static int waitFor(Process p, Events events) throws InterruptedException {
        while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
            if (events.cancelled()) {
                p.destroy();
                if (!p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                }
                break;
            }
        }
        return p.exitValue();
    }

    private static void appendToLog(Path log, String line) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the failure is reported through the exit code anyway
        }
    }
}
