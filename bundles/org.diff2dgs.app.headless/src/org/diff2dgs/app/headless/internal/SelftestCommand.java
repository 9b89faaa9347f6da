package org.diff2dgs.app.headless.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.splat.api.GoldenParity;
import org.diff2dgs.splat.api.GoldenReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Checks a rasterizer backend against a golden scene rendered by the original 2DGS CUDA rasterizer (outputs and
 * gradients), so further golden files are checked without code changes.
 */
@Command(mixinStandardHelpOptions = true, name = "selftest", description = "Compare a backend's rasterizer with a golden 2DGS scene (forward and "
        + "gradients); exit 1 when a tolerance is exceeded.")
final class SelftestCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Option(names = "--golden", required = true, description = "Golden scene JSON (format of "
            + "tests/org.diff2dgs.splat.tests/data/2dgs-golden).")
    Path golden;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend to check (default: ${DEFAULT-VALUE}).")
    String backend;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(golden)) {
            throw new UserInputException(golden, "golden file not found");
        }
        ComputeBackend b = root.cli.catalog().computeBackend(backend)
                .orElseThrow(() -> new UserInputException("unknown backend '" + backend + "'"));
        if (!b.isAvailable()) {
            throw new UserInputException("backend '" + backend + "' is not available: " + b.unavailableReason());
        }
        GoldenReport report;
        try (Rasterizer r = b.createRasterizer()) {
            report = root.cli.service(GoldenParity.class).check(golden, r);
        }
        if (root.json) {
            root.cli.out().print(Json.toJson(report));
        } else {
            root.cli.out().println("backend " + b.name() + " (" + b.device() + ") against " + golden);
            root.cli.out().print(report.table());
            root.cli.out().println(report.pass() ? "PASS" : "FAIL");
        }
        return report.pass() ? Cli.OK : Cli.USER_ERROR;
    }
}
