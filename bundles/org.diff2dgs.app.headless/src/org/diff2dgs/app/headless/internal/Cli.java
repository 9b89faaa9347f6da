package org.diff2dgs.app.headless.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.MetricFailedException;
import org.diff2dgs.core.api.OutOfDeviceMemory;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.StageOutOfMemoryError;
import org.diff2dgs.core.api.UserInputException;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The `d2dgs` command line: builds the picocli tree and maps outcomes to exit codes (0 ok, 1 user error, 2 internal
 * error). Kept free of OSGi so tests can drive it with any {@link ServiceCatalog}.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int INTERNAL_ERROR = 2;
    /** Conventional exit code of a process ended by SIGINT; used when the user cancels. */
    public static final int CANCELLED = 130;

    private final ServiceCatalog catalog;
    private final PrintStream out;
    private final PrintStream err;
    private final AtomicBoolean cancelled;
    private final boolean terminal;
    private final UncaughtErrors threadErrors;
    private final java.util.List<org.osgi.util.tracker.ServiceTracker<?, ?>> trackers = new java.util.ArrayList<>();

    public Cli(ServiceCatalog catalog, PrintStream out, PrintStream err, AtomicBoolean cancelled, boolean terminal) {
        this(catalog, out, err, cancelled, terminal, new UncaughtErrors(err));
    }

    /** With the collector of errors in other threads (the JVM's default handler in the product). */
    public Cli(ServiceCatalog catalog, PrintStream out, PrintStream err, AtomicBoolean cancelled, boolean terminal,
            UncaughtErrors threadErrors) {
        this.catalog = catalog;
        this.out = out;
        this.err = err;
        this.cancelled = cancelled;
        this.terminal = terminal;
        this.threadErrors = threadErrors;
    }

    public int execute(String... args) {
        RootCommand root = new RootCommand(this);
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            err.println("d2dgs: " + e.getMessage());
            err.println("Try 'd2dgs " + (e.getCommandLine().getCommandName().equals("d2dgs") ? ""
                    : e.getCommandLine().getCommandName() + " ") + "--help'.");
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((Exception e, CommandLine c, CommandLine.ParseResult p) -> handle(e, root,
                args));
        try {
            int code;
            try {
                code = cl.execute(args);
            } catch (Throwable e) {
                // picocli hands only Exceptions to the handler; an Error (out of memory, stack overflow, a missing
                // class) would otherwise leave the application and end the process with exit code 0
                code = handle(e, root, args);
            }
            return withThreadErrors(code);
        } finally {
            trackers.forEach(org.osgi.util.tracker.ServiceTracker::close);
            trackers.clear();
        }
    }

    /** A command that ended well still fails when another thread died with an error meanwhile. */
    private int withThreadErrors(int code) {
        var failure = threadErrors.first();
        if (failure.isEmpty() || code != OK) {
            return code;
        }
        Throwable t = failure.get().error();
        err.println("d2dgs: the command finished, but thread '" + failure.get().thread() + "' failed: "
                + UncaughtErrors.describe(t));
        return t instanceof OutOfMemoryError ? USER_ERROR : INTERNAL_ERROR;
    }

    private int handle(Throwable e, RootCommand root, String[] args) {
        if (e instanceof CancelledException) {
            err.println("d2dgs: cancelled; the run folder keeps its last checkpoint (resume with the same command)");
            return CANCELLED;
        }
        UserInputException user = findUserError(e);
        if (user != null) {
            err.println("d2dgs: " + user.getMessage());
            if (root.debug) {
                e.printStackTrace(err);
            }
            return USER_ERROR;
        }
        MetricFailedException metric = find(e, MetricFailedException.class);
        if (metric != null) {
            // a broken metric is not the user's fault, but it is named so that its owner can be found
            err.println("d2dgs: error: " + metric.getMessage()
                    + (root.debug ? "" : " (run with --debug for the stack trace)"));
            if (root.debug) {
                e.printStackTrace(err);
            }
            return INTERNAL_ERROR;
        }
        OutOfMemoryError oom = find(e, OutOfMemoryError.class);
        if (oom != null) {
            String message = oom instanceof StageOutOfMemoryError s ? s.getMessage()
                    : StageOutOfMemoryError.advice("running 'd2dgs " + commandName(args) + "'");
            boolean trains = java.util.Set.of("run", "train", "batch").contains(commandName(args));
            err.println("d2dgs: " + message + (trains ? "; the run folder keeps its last complete checkpoint and the "
                    + "same command resumes from it" : ""));
            if (root.debug) {
                e.printStackTrace(err);
            }
            return USER_ERROR;
        }
        Throwable device = findDeviceMemory(e);
        if (device != null) {
            boolean trains = java.util.Set.of("run", "train", "batch").contains(commandName(args));
            err.println("d2dgs: " + device.getMessage() + "; " + OutOfDeviceMemory.ADVICE + (trains ? "; the run "
                    + "folder keeps its last complete checkpoint and the same command resumes from it" : ""));
            if (root.debug) {
                e.printStackTrace(err);
            }
            return USER_ERROR;
        }
        err.println("d2dgs: internal error: " + e + (root.debug ? "" : " (run with --debug for the stack trace)"));
        if (root.debug) {
            e.printStackTrace(err);
        }
        return INTERNAL_ERROR;
    }

    /** A backend's device out-of-memory error (OutOfDeviceMemory) in the cause chain, or null. */
    private static Throwable findDeviceMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfDeviceMemory) {
                return t;
            }
        }
        return null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String commandName(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return "";
    }

    private static UserInputException findUserError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserInputException u) {
                return u;
            }
        }
        return null;
    }

    ServiceCatalog catalog() {
        return catalog;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** A service of the running framework (pipeline, reconstructor, ...), waiting briefly for DS to provide it. */
    <T> T service(Class<T> type) {
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(Cli.class);
        if (b == null || b.getBundleContext() == null) {
            throw new IllegalStateException("d2dgs runs inside OSGi; no framework found for " + type.getName());
        }
        var tracker = new org.osgi.util.tracker.ServiceTracker<T, T>(b.getBundleContext(), type, null);
        tracker.open();
        try {
            T s = tracker.waitForService(20_000);
            if (s == null) {
                throw new IllegalStateException("service " + type.getName() + " is not available (bundle missing?)");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            // closed when the command ends: an unused delayed DS component would otherwise be deactivated mid-run
            trackers.add(tracker);
        }
    }

    ConsoleProgress progress() {
        return new ConsoleProgress(err, terminal, cancelled);
    }
}
