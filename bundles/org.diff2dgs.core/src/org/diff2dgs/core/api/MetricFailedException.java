package org.diff2dgs.core.api;

/**
 * A metric threw while measuring a frame. This fails the evaluation (and the run): a number silently missing from a
 * table reads like a metric that does not apply, so only a metric that is unavailable (e.g. LPIPS without its model
 * file) or lacks the data its protocol needs is skipped. The headless app prints the message and exits with code 2.
 */
public class MetricFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String metric;
    private final String protocol;
    private final String frame;

    public MetricFailedException(String metric, String protocol, String frame, Throwable cause) {
        super("metric '" + metric + "' failed on frame " + frame + " under protocol " + protocol + ": "
                + (cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage()), cause);
        this.metric = metric;
        this.protocol = protocol;
        this.frame = frame;
    }

    public String metric() {
        return metric;
    }

    public String protocol() {
        return protocol;
    }

    public String frame() {
        return frame;
    }
}
