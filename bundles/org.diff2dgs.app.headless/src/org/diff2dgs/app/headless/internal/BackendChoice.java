package org.diff2dgs.app.headless.internal;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.ServiceCatalog;

/**
 * The --backend option of run, train, render and eval: cuda, cpu, or auto (the highest-priority available backend,
 * also what no option means). A named backend that cannot run here is a user error before any work starts; auto says
 * on stderr which backend it took and why better ones were passed over.
 */
final class BackendChoice {

    static final String DESCRIPTION = "Compute backend: cuda, cpu or auto (auto, the default: the best available; "
            + "cuda fails when no GPU can be used; under auto, a run the GPU cannot train trains on the CPU and says "
            + "why).";

    private BackendChoice() {
    }

    /** The backend for {@code option} (null: auto, said nowhere), printing the choice when auto was asked. */
    static ComputeBackend choose(Cli cli, String option) {
        ServiceCatalog catalog = cli.catalog();
        ComputeBackend chosen = catalog.chooseComputeBackend(option);
        if (ServiceCatalog.AUTO_BACKEND.equals(option)) {
            cli.err().println("d2dgs: " + catalog.describeAutoChoice(chosen));
        }
        return chosen;
    }

    /** The name to hand to the pipeline: auto resolved to the backend it took; null (no option) stays null. */
    static String resolve(Cli cli, String option) {
        ComputeBackend chosen = choose(cli, option);
        return option == null ? null : chosen.name();
    }
}
