package org.diff2dgs.splat.api;

import java.util.List;
import java.util.Locale;

/**
 * Result of comparing a rasterizer with a golden scene: one row per output or gradient array.
 *
 * @param file the golden file
 * @param rows the comparisons, forward outputs first
 */
public record GoldenReport(String file, List<Row> rows) {

    /**
     * One comparison.
     *
     * @param name          output or gradient name
     * @param maxAbsError   largest absolute difference (for radii: largest difference in pixels)
     * @param relError      ||ours - reference|| / ||reference|| (for radii: number of surfels that differ)
     * @param tolerance     the bound that decides {@code pass}
     * @param toleranceKind what the tolerance bounds: "abs" (maxAbsError), "rel" (relError) or "count"
     * @param pass          whether the bound holds
     * @param note          what was compared, and any known deviation of the original
     */
    public record Row(String name, double maxAbsError, double relError, double tolerance, String toleranceKind,
            boolean pass, String note) {
    }

    public GoldenReport {
        rows = List.copyOf(rows);
    }

    public boolean pass() {
        return rows.stream().allMatch(Row::pass);
    }

    public Row row(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row named " + name));
    }

    /** Plain-text table for the console, one row per comparison (the verdict is {@link #pass()}). */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("golden parity: ").append(file).append('\n');
        sb.append(String.format(Locale.ROOT, "%-20s %12s %12s %10s  %-4s  %s%n", "output", "max abs err", "rel err",
                "tolerance", "ok", "note"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-20s %12.3e %12.3e %6s %.0e  %-4s  %s%n", r.name(), r.maxAbsError(),
                    r.relError(), r.toleranceKind(), r.tolerance(), r.pass() ? "ok" : "FAIL", r.note()));
        }
        return sb.toString();
    }
}
