package org.diff2dgs.train.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.diff2dgs.core.api.Progress;

/**
 * Writes the Trainer's checkpoints on one background thread: the session's tensors are copied to the host at the
 * checkpoint's iteration (that part must wait), but encoding and writing hundreds of MB (the Adam moments of every
 * deformation coefficient) overlap with the next iterations instead of stopping them. At most one write is in flight:
 * the next checkpoint, and the end of training, wait for it, and its failure is thrown there, on the training
 * thread. Checkpoints stay atomic (CheckpointStore writes a partial folder and renames it), so a run killed while one
 * is being written resumes from the previous one. The store's notes are kept and passed to the real progress on the
 * training thread ({@link #flushNotes}), which need not be thread-safe for notes.
 */
final class BackgroundCheckpoints implements AutoCloseable {

    private final Progress progress;
    private final Queue<String> notes = new ConcurrentLinkedQueue<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "d2dgs checkpoint writer");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pending;

    BackgroundCheckpoints(Progress progress) {
        this.progress = progress;
    }

    /** A progress for the store used by the writer: its notes wait for {@link #flushNotes}; the rest is dropped. */
    Progress notesOnly() {
        return new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long units, String status) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public void done() {
            }

            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
    }

    /** Waits for the write in flight (throwing its failure), then starts {@code write}. */
    void submit(Runnable write) {
        await();
        pending = writer.submit(write);
    }

    /** Waits for the write in flight, if any; its failure is thrown here as it was thrown on the writer. */
    void await() {
        Future<?> f = pending;
        pending = null;
        if (f != null) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a checkpoint was being written", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            } finally {
                flushNotes();
            }
        }
        flushNotes();
    }

    /** Passes the writer's notes on (training thread only). */
    void flushNotes() {
        for (String n = notes.poll(); n != null; n = notes.poll()) {
            progress.note(n);
        }
    }

    /** Waits for the write in flight and stops the thread. */
    @Override
    public void close() {
        try {
            await();
        } finally {
            writer.shutdown();
        }
    }
}
