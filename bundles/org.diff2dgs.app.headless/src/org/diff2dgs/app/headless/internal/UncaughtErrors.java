package org.diff2dgs.app.headless.internal;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.diff2dgs.core.api.StageOutOfMemoryError;

/**
 * Collects what ends a thread other than the command's own: an error in a worker or pool thread must make the
 * process fail, never let it exit with 0 because the main thread did not see it. Installed as the JVM's default
 * handler by the headless application; {@link Cli} checks it when the command returns.
 */
public final class UncaughtErrors implements Thread.UncaughtExceptionHandler {

    /** A thread that died, and why. */
    public record Failure(String thread, Throwable error) {
    }

    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final PrintStream err;

    public UncaughtErrors(PrintStream err) {
        this.err = err;
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        failures.add(new Failure(t.getName(), e));
        // say it now: the main thread may go on for a while before it returns
        err.println("d2dgs: thread '" + t.getName() + "' failed: " + describe(e));
        err.flush();
    }

    /** The first failure recorded, if any. */
    public Optional<Failure> first() {
        return Optional.ofNullable(failures.peek());
    }

    static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError oom) {
            return oom instanceof StageOutOfMemoryError ? oom.getMessage()
                    : StageOutOfMemoryError.advice("running a worker thread");
        }
        return e.toString();
    }
}
