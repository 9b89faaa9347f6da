package org.diff2dgs.core.api;

import java.util.List;

/** A benchmark's rows, with the backend and device they were measured on. */
public record BenchReport(String backend, String device, List<BenchRow> rows) {

    public BenchReport {
        rows = List.copyOf(rows);
    }
}
