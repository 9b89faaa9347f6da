package org.diff2dgs.core.api;

/**
 * Progress and cancellation for long work. The headless app draws a bar on stderr; the workbench adapts an
 * IProgressMonitor. Implementations must be thread-safe for {@link #worked} and {@link #isCancelled}.
 */
public interface Progress {

    /** Starts a task of {@code totalWork} units (<= 0: unknown). */
    void begin(String task, long totalWork);

    /** Reports {@code units} more units done, with an optional short status (loss, PSNR, ...). */
    void worked(long units, String status);

    /** Work checks this between units and throws {@link CancelledException} when it returns true. */
    boolean isCancelled();

    void done();

    /**
     * A one-line message for the user that is not progress: an estimate, a size, a warning, a fallback taken. The
     * headless app prints it on stderr; the default drops it.
     */
    default void note(String message) {
    }

    /** Throws when cancelled: call at safe points of long loops. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    /** A progress that shows nothing and is never cancelled. */
    Progress NONE = new Progress() {
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
    };
}
