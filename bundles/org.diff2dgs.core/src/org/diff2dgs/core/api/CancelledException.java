package org.diff2dgs.core.api;

/** Work was cancelled by the user; what was already written stays consistent (atomic outputs). */
public class CancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled");
    }
}
