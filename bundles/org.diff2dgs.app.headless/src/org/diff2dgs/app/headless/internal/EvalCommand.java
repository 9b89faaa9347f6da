package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Evaluates one finished run under the named protocols. */
@Command(mixinStandardHelpOptions = true, name = "eval", description = "Evaluate a trained run (writes <run>/metrics.json and prints the table).")
final class EvalCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<run>", description = "Run folder.")
    Path run;

    @Option(names = "--protocol", description = "Protocol (repeatable): any installed one (`d2dgs info` lists them; "
            + "built in: deform3dgs, diff2dgs-code, masked-mean, occluded, visible-truth). Default: deform3dgs, "
            + "masked-mean, occluded.")
    List<String> protocols = new ArrayList<>();

    @Option(names = "--metric", description = "Metric (repeatable); default: every available one.")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--backend", description = BackendChoice.DESCRIPTION)
    String backend;

    @Override
    public Integer call() {
        String table = root.cli.service(Pipeline.class).evaluate(run, protocols, metrics,
                BackendChoice.resolve(root.cli, backend), root.cli.progress());
        if (root.json) {
            root.cli.out().print(Json.toJson(Json.readTree(run.resolve("metrics.json"))));
        } else {
            root.cli.out().print(table);
        }
        return Cli.OK;
    }
}
