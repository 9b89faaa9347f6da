package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Checks a dataset folder and reports a summary or every problem found (exit 1 when there are problems). */
@Command(name = "validate", description = "Check a dataset folder: summary, or every problem with its file.")
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<folder>", description = "Dataset folder.")
    Path folder;

    @Mixin
    ReadOptionsMixin read;

    @picocli.CommandLine.Option(names = "--per-frame", description = "Also list every frame (mask coverage, depth).")
    boolean perFrame;

    @Override
    public Integer call() {
        DatasetReader reader = DatasetResolver.resolve(root.cli.catalog(), folder, read.format);
        ConsoleProgress progress = root.cli.progress();
        ValidationReport report = reader.validate(folder, read.toReadOptions(), progress);
        progress.done();
        var out = root.cli.out();
        if (root.json) {
            out.print(Json.toJson(report));
        } else {
            out.println(folder + " (" + report.format() + ")");
            for (Map.Entry<String, String> e : report.summary().entrySet()) {
                out.printf("  %-22s %s%n", e.getKey(), e.getValue());
            }
            if (perFrame) {
                report.perFrame().forEach(l -> out.println("  " + l));
            }
            if (report.ok()) {
                out.println("OK: no problems found");
            } else {
                out.println(report.problems().size() + " problem(s):");
                report.problems().forEach(p -> out.println("  - " + p));
            }
        }
        return report.ok() ? Cli.OK : Cli.USER_ERROR;
    }
}
