package org.diff2dgs.ui.internal.support;

import java.util.function.BiConsumer;

import org.diff2dgs.core.api.Progress;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * The services' progress reported to an Eclipse job's monitor (and so the job's cancel button stops the work at the
 * next safe point), and mirrored to a view's own progress bar through a listener.
 */
public final class MonitorProgress implements Progress {

    /** Work units are longs, monitors count ints: scale big totals down. */
    private static final long MONITOR_UNITS = 10_000;

    private final IProgressMonitor monitor;
    private final BiConsumer<Double, String> listener;
    private long total;
    private long done;
    private String task = "";

    /**
     * @param listener gets (fraction done or NaN when unknown, task and status text) after each report; may be null
     */
    public MonitorProgress(IProgressMonitor monitor, BiConsumer<Double, String> listener) {
        this.monitor = monitor;
        this.listener = listener;
    }

    @Override
    public synchronized void begin(String taskName, long totalWork) {
        task = taskName;
        total = totalWork;
        done = 0;
        monitor.beginTask(taskName, totalWork > 0 ? (int) MONITOR_UNITS : IProgressMonitor.UNKNOWN);
        notify("");
    }

    @Override
    public synchronized void worked(long units, String status) {
        long before = done;
        done += units;
        if (total > 0) {
            int a = (int) (before * MONITOR_UNITS / total);
            int b = (int) (Math.min(done, total) * MONITOR_UNITS / total);
            if (b > a) {
                monitor.worked(b - a);
            }
        }
        if (status != null && !status.isEmpty()) {
            monitor.subTask(status);
        }
        notify(status);
    }

    @Override
    public boolean isCancelled() {
        return monitor.isCanceled();
    }

    @Override
    public synchronized void done() {
        monitor.done();
    }

    private void notify(String status) {
        if (listener != null) {
            double fraction = total > 0 ? Math.min(1.0, done / (double) total) : Double.NaN;
            listener.accept(fraction, task + (status == null || status.isEmpty() ? "" : ": " + status));
        }
    }
}
