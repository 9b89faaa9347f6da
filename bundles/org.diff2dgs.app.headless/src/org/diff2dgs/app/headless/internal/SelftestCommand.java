package org.diff2dgs.app.headless.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.KernelCheckResult;
import org.diff2dgs.core.api.KernelParity;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.splat.api.GoldenParity;
import org.diff2dgs.splat.api.GoldenReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Checks a backend: its device kernels against their Java twins on random inputs (backends with device code, e.g.
 * cuda), and its rasterizer against a golden scene rendered by the original 2DGS CUDA rasterizer (outputs and
 * gradients) when --golden is given. Exit 1 when any check fails or cannot run.
 */
@Command(mixinStandardHelpOptions = true, name = "selftest", description = "Check a backend: device kernels against "
        + "their Java twins (backends with device code) and the rasterizer against a golden 2DGS scene (--golden); "
        + "exit 1 when a tolerance is exceeded.")
final class SelftestCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Option(names = "--golden", description = "Golden scene JSON (format of "
            + "tests/org.diff2dgs.splat.tests/data/2dgs-golden).")
    Path golden;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend to check (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--seed", defaultValue = "20261206", description = "Seed of the kernel checks' random inputs "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (golden != null && !Files.isRegularFile(golden)) {
            throw new UserInputException(golden, "golden file not found");
        }
        ComputeBackend b = root.cli.catalog().computeBackend(backend)
                .orElseThrow(() -> new UserInputException("unknown backend '" + backend + "'"));
        Optional<KernelParity> kernels = root.cli.catalog().kernelParity(backend);
        if (kernels.isEmpty() && golden == null) {
            throw new UserInputException("backend '" + backend + "' has no device kernels to check: give --golden "
                    + "FILE");
        }
        if (kernels.isEmpty() && !b.isAvailable()) {
            throw new UserInputException("backend '" + backend + "' is not available: " + b.unavailableReason());
        }
        if (kernels.isPresent() && kernels.get().unavailableReason() != null) {
            throw new UserInputException("backend '" + backend + "' cannot run its kernel checks here: "
                    + kernels.get().unavailableReason());
        }

        List<KernelCheckResult> checks = kernels.map(k -> k.check(seed, root.cli.progress())).orElse(List.of());
        GoldenReport report = null;
        String goldenSkipped = null;
        if (golden != null) {
            if (b.isAvailable()) {
                try (Rasterizer r = b.createRasterizer()) {
                    report = root.cli.service(GoldenParity.class).check(golden, r);
                } catch (UserInputException e) {
                    throw e;  // a file that is not a golden scene: the user's error, as for the CPU
                } catch (RuntimeException e) {
                    if (kernels.isEmpty()) {
                        throw e;
                    }
                    // the kernel rows are still worth showing: the golden check becomes a failure with its reason
                    goldenSkipped = "golden scene not checked: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            } else {
                goldenSkipped = "golden scene not checked: backend '" + backend + "' is not available: "
                        + b.unavailableReason();
            }
        }
        boolean pass = checks.stream().allMatch(KernelCheckResult::passed) && goldenSkipped == null
                && (report == null || report.pass());
        print(b, kernels, checks, report, goldenSkipped, pass);
        return pass ? Cli.OK : Cli.USER_ERROR;
    }

    private void print(ComputeBackend b, Optional<KernelParity> kernels, List<KernelCheckResult> checks,
            GoldenReport report, String goldenSkipped, boolean pass) {
        var out = root.cli.out();
        if (root.json) {
            if (kernels.isEmpty()) {
                out.print(Json.toJson(report));  // a CPU backend: the golden report as before
                return;
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("backend", b.name());
            j.put("device", kernels.get().device());
            j.put("seed", seed);
            j.put("kernelChecks", checks);
            j.put("golden", report);
            j.put("goldenSkipped", goldenSkipped);
            j.put("pass", pass);
            out.print(Json.toJson(j));
            return;
        }
        if (kernels.isPresent()) {
            out.println("backend " + b.name() + " kernels on " + kernels.get().device() + " (seed " + seed + ")");
            out.print(table(checks));
        }
        if (report != null) {
            out.println("backend " + b.name() + " (" + b.device() + ") against " + golden);
            out.print(report.table());
        }
        if (goldenSkipped != null) {
            out.println(goldenSkipped);
        }
        out.println(pass ? "PASS" : "FAIL");
    }

    /**
     * check | max rel error | tolerance | result, one row per kernel check; the detail below a failed row and below a
     * passed one whose error came within a factor {@link #DETAIL_MARGIN} of its tolerance (where the margin is thin,
     * the reader needs to know which plane or value it was).
     */
    static final double DETAIL_MARGIN = 10;

    static String table(List<KernelCheckResult> checks) {
        int w = "check".length();
        for (KernelCheckResult c : checks) {
            w = Math.max(w, c.name().length());
        }
        StringBuilder s = new StringBuilder();
        String row = "%-" + w + "s  %13s  %9s  %s%n";
        s.append(String.format(Locale.ROOT, row, "check", "max rel error", "tolerance", "result"));
        for (KernelCheckResult c : checks) {
            s.append(String.format(Locale.ROOT, row, c.name(), Double.isFinite(c.maxRelError())
                    ? String.format(Locale.ROOT, "%.3e", c.maxRelError()) : "-",
                    String.format(Locale.ROOT, "%.0e", c.tolerance()), c.passed() ? "PASS" : "FAIL"));
            boolean close = c.maxRelError() > c.tolerance() / DETAIL_MARGIN;
            if ((!c.passed() || close) && c.detail() != null && !c.detail().isBlank()) {
                s.append("    ").append(c.detail()).append(System.lineSeparator());
            }
        }
        return s.toString();
    }
}
