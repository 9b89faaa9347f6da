package org.diff2dgs.app.headless.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.diff2dgs.core.api.Progress;

/**
 * A progress bar on stderr with rate and time left. On a terminal it redraws one line; when stderr is a file or pipe
 * (CI, batch logs) it prints a plain line at most every few seconds so logs stay readable.
 */
final class ConsoleProgress implements Progress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LOG_NANOS = 5_000_000_000L;
    private static final int BAR = 28;

    private final PrintStream err;
    private final boolean terminal;
    private final AtomicBoolean cancelled;
    private final AtomicLong done = new AtomicLong();
    private volatile String task = "";
    private volatile long total;
    private volatile long start;
    private long lastDraw;
    private volatile String status = "";
    /** Rate and time left count from the first report, so work resumed from a checkpoint is not counted as done now. */
    private long rateBaseUnits = -1;
    private long rateBaseTime;

    ConsoleProgress(PrintStream err, boolean terminal, AtomicBoolean cancelled) {
        this.err = err;
        this.terminal = terminal;
        this.cancelled = cancelled;
    }

    @Override
    public void begin(String taskName, long totalWork) {
        finishLine();
        task = taskName;
        total = totalWork;
        done.set(0);
        status = "";
        start = System.nanoTime();
        lastDraw = 0;
        rateBaseUnits = -1;
        if (!terminal) {
            err.println(taskName + (totalWork > 0 ? " (" + totalWork + " steps)" : ""));
        }
    }

    @Override
    public void worked(long units, String newStatus) {
        long d = done.addAndGet(units);
        if (newStatus != null) {
            status = newStatus;
        }
        long now = System.nanoTime();
        synchronized (this) {
            if (rateBaseUnits < 0) {
                rateBaseUnits = d;
                rateBaseTime = now;
            }
            long gap = terminal ? REDRAW_NANOS : LOG_NANOS;
            if (now - lastDraw < gap && d < total) {
                return;
            }
            lastDraw = now;
            draw(d, now);
        }
    }

    private void draw(long d, long now) {
        double seconds = (now - start) / 1e9;
        StringBuilder line = new StringBuilder();
        if (total > 0) {
            double f = Math.min(1, (double) d / total);
            int filled = (int) Math.round(f * BAR);
            line.append(task).append(" [").append("#".repeat(filled)).append(" ".repeat(BAR - filled)).append("] ");
            line.append(String.format(Locale.ROOT, "%3.0f%% %d/%d", 100 * f, d, total));
            double rateSeconds = (now - rateBaseTime) / 1e9;
            long rateUnits = d - Math.max(0, rateBaseUnits);
            if (rateBaseUnits >= 0 && rateUnits > 0 && rateSeconds > 0) {
                double rate = rateUnits / rateSeconds;
                line.append(String.format(Locale.ROOT, " %.1f/s", rate));
                line.append(" left ").append(duration((total - d) / rate));
            }
        } else {
            line.append(task).append(' ').append(d).append(" done, ").append(duration(seconds));
        }
        if (!status.isEmpty()) {
            line.append("  ").append(status);
        }
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }

    @Override
    public void note(String message) {
        synchronized (this) {
            if (terminal && start != 0) {
                // clear the bar; the next report draws it again below the note
                err.print("\r\u001b[K");
                lastDraw = 0;
            }
            err.println("d2dgs: " + message);
            err.flush();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public void done() {
        synchronized (this) {
            long d = done.get();
            // the last worked() already drew the finished bar when the total was reached
            if (total <= 0 || d < total) {
                draw(d, System.nanoTime());
            }
        }
        finishLine();
    }

    private void finishLine() {
        if (terminal && start != 0) {
            err.println();
            start = 0;
        }
    }
}
