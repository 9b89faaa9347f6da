package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchReport;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.core.api.Benchmark;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.AtomicFiles;
import org.diff2dgs.core.io.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Times a backend on the machine it runs on: kernels, the rasterizer at the issue's sizes, training speed, peak
 * device memory. Rows for pieces the backend does not have yet are printed with the reason, not left out.
 */
@Command(mixinStandardHelpOptions = true, name = "bench", description = "Time a backend on this machine: kernels, "
        + "rasterizer forward and forward+backward at 50k/100k/300k/1M surfels (640x512, SH 3), training speed, "
        + "peak GPU memory.")
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Option(names = "--backend", description = "Backend to time (default: the first one whose benchmark can run "
            + "here, GPU first).")
    String backend;

    @Option(names = "--surfels", split = ",", description = "Rasterizer sizes in surfels (default: "
            + "50000,100000,300000,1000000).")
    List<Integer> surfels = new ArrayList<>(BenchOptions.ISSUE_SIZES);

    @Option(names = "--size", defaultValue = "640x512", description = "Image size WxH (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--sh-degree", defaultValue = "3", description = "SH degree of the colours (default: "
            + "${DEFAULT-VALUE}).")
    int shDegree;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs first (default: ${DEFAULT-VALUE}); "
            + "the rasterizer rows also warm up for at least 0.5 s per configuration.")
    int warmup;

    @Option(names = "--repeats", defaultValue = "10", description = "Timed runs; the median is reported (default: "
            + "${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", defaultValue = "6666", description = "Seed of the random inputs (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-training", description = "Skip the training rows.")
    boolean noTraining;

    @Option(names = "--json-out", description = "Also write the report as JSON to this file (the table still goes to "
            + "stdout).")
    Path jsonOut;

    @Override
    public Integer call() {
        int[] wh = SynthCommand.parseSize(size);
        BenchOptions options;
        try {
            options = new BenchOptions(surfels, wh[0], wh[1], shDegree, warmup, repeats, seed, !noTraining);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        Benchmark bench = choose();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        BenchReport report = bench.run(options, root.cli.progress());
        String json = Json.toJson(json(report, options, started));
        if (jsonOut != null) {
            AtomicFiles.writeString(jsonOut, json);
        }
        if (root.json) {
            root.cli.out().print(json);
        } else {
            root.cli.out().println("d2dgs bench: backend " + report.backend() + " on " + report.device() + ", "
                    + started);
            root.cli.out().print(table(report.rows()));
        }
        return Cli.OK;
    }

    private Benchmark choose() {
        List<Benchmark> all = root.cli.catalog().benchmarks();
        if (backend != null) {
            Benchmark b = all.stream().filter(x -> x.backend().equals(backend)).findFirst()
                    .orElseThrow(() -> new UserInputException("backend '" + backend + "' has no benchmark (installed: "
                            + all.stream().map(Benchmark::backend).toList() + ")"));
            if (b.unavailableReason() != null) {
                throw new UserInputException("backend '" + backend + "' cannot be benchmarked here: "
                        + b.unavailableReason());
            }
            return b;
        }
        // a GPU first: the CPU, when it has a benchmark, is the fallback
        List<Benchmark> order = new ArrayList<>(all);
        order.sort((a, b) -> Boolean.compare(a.backend().equals("cpu"), b.backend().equals("cpu")));
        StringBuilder reasons = new StringBuilder();
        for (Benchmark b : order) {
            String reason = b.unavailableReason();
            if (reason == null) {
                return b;
            }
            reasons.append(reasons.isEmpty() ? "" : "; ").append(b.backend()).append(": ").append(reason);
        }
        throw new UserInputException("no benchmark can run here" + (reasons.isEmpty() ? " (none installed)"
                : " (" + reasons + ")"));
    }

    private static Map<String, Object> json(BenchReport report, BenchOptions options, String started) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("date", started);
        j.put("backend", report.backend());
        j.put("device", report.device());
        j.put("options", options);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BenchRow r : report.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("section", r.section());
            row.put("name", r.name());
            row.put("value", r.measured() ? r.value() : null);  // JSON has no NaN: not measured is null
            row.put("unit", r.unit());
            row.put("note", r.note());
            rows.add(row);
        }
        j.put("rows", rows);
        return j;
    }

    /** section | what | value | unit | note. */
    static String table(List<BenchRow> rows) {
        int ws = "section".length();
        int wn = "what".length();
        for (BenchRow r : rows) {
            ws = Math.max(ws, r.section().length());
            wn = Math.max(wn, r.name().length());
        }
        String f = "%-" + ws + "s  %-" + wn + "s  %10s  %-8s  %s%n";
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, f, "section", "what", "value", "unit", "note"));
        for (BenchRow r : rows) {
            s.append(String.format(Locale.ROOT, f, r.section(), r.name(), r.measured() ? number(r.value()) : "-",
                    r.unit(), r.note() == null ? "" : r.note()));
        }
        return s.toString();
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1000 ? "%.0f" : a >= 10 ? "%.2f" : a >= 0.01 ? "%.4f" : "%.3e", v);
    }
}
