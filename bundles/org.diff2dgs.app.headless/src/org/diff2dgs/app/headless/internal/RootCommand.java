package org.diff2dgs.app.headless.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Top of the command tree; global options live here and subcommands reach them through @ParentCommand. */
@Command(name = "d2dgs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Diff2DGS Workbench: reconstruct surgical scenes that instruments occlude.",
        subcommands = {InfoCommand.class, SynthCommand.class, ValidateCommand.class, InpaintCommand.class,
                RunCommand.class, TrainCommand.class, RenderCommand.class, SnapshotCommand.class, EvalCommand.class,
                BatchCommand.class, SelftestCommand.class, BenchCommand.class, ConfigCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 user error (bad input or options), 2 internal error, 130 cancelled."})
final class RootCommand implements Runnable {

    final Cli cli;

    @Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Machine-readable JSON on stdout instead of tables.")
    boolean json;

    RootCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "a subcommand is required");
    }
}
