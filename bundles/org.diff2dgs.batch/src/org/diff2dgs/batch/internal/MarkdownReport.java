package org.diff2dgs.batch.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.diff2dgs.batch.api.CellResult;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.Method;
import org.diff2dgs.batch.api.Results;
import org.diff2dgs.batch.api.SummaryRow;

/**
 * results.md: tables laid out like the papers' (rows = methods, columns = metrics then training time and render FPS,
 * mean ± std over scenes and seeds, the best of each column in bold), one per dataset group and protocol, followed by
 * where the numbers came from, 3D snapshots of the surfels and what did not finish.
 */
final class MarkdownReport {

    private MarkdownReport() {
    }

    /** {@code snapshots}: the section of 3D snapshots (SnapshotGallery), after the tables, before the failures. */
    static String render(Experiment e, Results r, List<String> charts, String snapshots) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(escape(e.name())).append("\n\n");
        long done = r.cells().stream().filter(CellResult::done).count();
        sb.append(String.format(Locale.ROOT, "%d cells (%d scenes x %d methods x %d seeds): %d done, %d failed, "
                + "%d not finished. Preset `%s`; experiment file `%s`.%n%n", r.cells().size(), e.scenes().size(),
                e.methods().size(), e.seeds().size(), done, r.failed(), r.unfinished(), e.preset(),
                e.file().getFileName()));
        provenance(sb, r);

        Set<String> datasets = new LinkedHashSet<>();
        Set<String> protocols = new LinkedHashSet<>();
        for (SummaryRow s : r.summary()) {
            datasets.add(s.dataset());
            if (!s.protocol().equals(Summaries.SPEED)) {
                protocols.add(s.protocol());
            }
        }
        for (String dataset : datasets) {
            for (String protocol : protocols) {
                table(sb, e, r, dataset, protocol);
            }
        }
        if (protocols.isEmpty()) {
            sb.append("No cell has finished yet.\n\n");
        }
        sb.append(snapshots);
        failures(sb, r);
        if (!charts.isEmpty()) {
            sb.append("## Charts\n\n");
            for (String c : charts) {
                sb.append("- [").append(c).append("](").append(c).append(")\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, Experiment e, Results r, String dataset, String protocol) {
        List<String> metrics = new ArrayList<>();
        Map<String, Boolean> higher = new LinkedHashMap<>();
        for (SummaryRow s : r.summary()) {
            if (s.dataset().equals(dataset) && s.protocol().equals(protocol) && !metrics.contains(s.metric())) {
                metrics.add(s.metric());
                higher.put(s.metric(), s.higherIsBetter());
            }
        }
        if (metrics.isEmpty()) {
            return;
        }
        metrics.sort(Summaries.metricOrder());
        List<String[]> columns = new ArrayList<>();
        for (String m : metrics) {
            columns.add(new String[] {protocol, m});
        }
        columns.add(new String[] {Summaries.SPEED, Summaries.TRAIN_PSNR});
        columns.add(new String[] {Summaries.SPEED, Summaries.SURFELS});
        columns.add(new String[] {Summaries.SPEED, Summaries.TRAINING_SECONDS});
        columns.add(new String[] {Summaries.SPEED, Summaries.RENDER_FPS});
        higher.put(Summaries.TRAIN_PSNR, true);
        higher.put(Summaries.SURFELS, false);
        higher.put(Summaries.TRAINING_SECONDS, false);
        higher.put(Summaries.RENDER_FPS, true);

        sb.append("## ").append(escape(dataset)).append(" / ").append(escape(protocol)).append("\n\n");
        String description = r.protocolDescriptions().get(protocol);
        if (description != null && !description.isEmpty()) {
            sb.append("Protocol `").append(protocol).append("`: ").append(escape(description)).append("\n\n");
        }
        sb.append("| Method |");
        for (String[] c : columns) {
            sb.append(' ').append(header(c[1])).append(higher.get(c[1]) ? " ↑" : " ↓").append(" |");
        }
        sb.append(" Cells |\n|:---|");
        sb.append("---:|".repeat(columns.size() + 1)).append('\n');

        Map<String, Map<String, SummaryRow>> byMethod = new LinkedHashMap<>();
        for (SummaryRow s : r.summary()) {
            if (s.dataset().equals(dataset) && (s.protocol().equals(protocol) || s.protocol().equals(Summaries.SPEED))) {
                byMethod.computeIfAbsent(s.method(), k -> new TreeMap<>()).put(s.metric(), s);
            }
        }
        Map<String, Double> best = new LinkedHashMap<>();
        for (String[] c : columns) {
            boolean up = higher.get(c[1]);
            for (Map<String, SummaryRow> row : byMethod.values()) {
                SummaryRow s = row.get(c[1]);
                if (s != null && !Double.isNaN(s.mean())) {
                    best.merge(c[1], s.mean(), (a, b) -> up ? Math.max(a, b) : Math.min(a, b));
                }
            }
        }
        for (Method m : e.methods()) {
            Map<String, SummaryRow> row = byMethod.get(m.name());
            if (row == null) {
                continue;
            }
            sb.append("| ").append(escape(m.name())).append(" |");
            int cells = 0;
            for (String[] c : columns) {
                SummaryRow s = row.get(c[1]);
                if (s == null || Double.isNaN(s.mean())) {
                    sb.append(" – |");
                    continue;
                }
                cells = Math.max(cells, s.count());
                // one cell has no spread to show; "± 0.00" would claim a measured one
                String v = format(s.mean(), s.count() > 1 ? s.std() : Double.NaN);
                // ties as the reader sees them: equal after rounding to the printed digits
                boolean isBest = best.containsKey(c[1]) && byMethod.size() > 1
                        && format(s.mean(), Double.NaN).equals(format(best.get(c[1]), Double.NaN));
                sb.append(' ').append(isBest ? "**" + v + "**" : v).append(" |");
            }
            sb.append(' ').append(cells).append(" |\n");
        }
        sb.append("\nMean ± std over scenes and seeds (population std of the cells' means; a cell's mean is over its "
                + "test frames). Best per column in bold. Training time in seconds, render speed in frames per second "
                + "at full resolution.\n\n");
    }

    private static void provenance(StringBuilder sb, Results r) {
        Map<String, Integer> revisions = new TreeMap<>();
        Map<String, Integer> devices = new TreeMap<>();
        for (CellResult c : r.cells()) {
            if (c.done()) {
                revisions.merge(String.valueOf(c.environment().getOrDefault("revision", "unknown")), 1, Integer::sum);
                devices.merge(c.environment().getOrDefault("backend", "?") + ": "
                        + c.environment().getOrDefault("device", "?"), 1, Integer::sum);
            }
        }
        if (!revisions.isEmpty()) {
            sb.append("Revision: ").append(counted(revisions)).append(". Device: ").append(counted(devices))
                    .append(".\n\n");
        }
    }

    private static String counted(Map<String, Integer> m) {
        if (m.size() == 1) {
            return "`" + escape(m.keySet().iterator().next()) + "`";
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, n) -> parts.add("`" + escape(k) + "` (" + n + " cells)"));
        return String.join(", ", parts);
    }

    private static void failures(StringBuilder sb, Results r) {
        List<CellResult> open = r.cells().stream().filter(c -> !c.done()).toList();
        if (open.isEmpty()) {
            return;
        }
        sb.append("## Cells not in the tables\n\n| Cell | Status | Message |\n|---:|:---|:---|\n");
        for (CellResult c : open) {
            sb.append("| ").append(c.id()).append(" `").append(escape(c.label())).append("` | ").append(c.status())
                    .append(" | ").append(escape(c.message())).append(" |\n");
        }
        sb.append('\n');
    }

    static String header(String metric) {
        return switch (metric) {
            case "psnr" -> "PSNR";
            case "ssim" -> "SSIM";
            case "lpips" -> "LPIPS";
            case Summaries.TRAINING_SECONDS -> "Train (s)";
            case Summaries.RENDER_FPS -> "FPS";
            case Summaries.TRAIN_PSNR -> "Train PSNR";
            case Summaries.SURFELS -> "Surfels";
            default -> metric;
        };
    }

    /** About four significant digits, the same decimals for mean and std. */
    static String format(double mean, double std) {
        if (Double.isInfinite(mean)) {
            return mean > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(mean);
        int decimals = a == 0 ? 4 : (int) Math.max(0, Math.min(4, 3 - Math.floor(Math.log10(a))));
        String m = String.format(Locale.ROOT, "%." + decimals + "f", mean);
        return Double.isNaN(std) ? m : m + " ± " + String.format(Locale.ROOT, "%." + decimals + "f", std);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
