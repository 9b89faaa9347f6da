package org.diff2dgs.batch.api;

import java.util.List;

/**
 * Resources asked for each SLURM array task (one cell on one GPU). The defaults fit the published schedule on a
 * 640x512 clip with a wide margin; a cluster's limits may need others.
 *
 * @param time        wall time per cell (HH:MM:SS or D-HH:MM:SS)
 * @param memory      host memory per cell (SLURM units, e.g. 32G)
 * @param cpus        CPU cores per cell (data loading, metrics)
 * @param partition   partition, or null for the cluster default
 * @param account     account to charge, or null
 * @param maxParallel at most this many array tasks at once (the %N suffix), or 0 for no limit
 * @param directives  further #SBATCH arguments, verbatim (e.g. "--constraint=a100")
 */
public record SlurmOptions(String time, String memory, int cpus, String partition, String account, int maxParallel,
        List<String> directives) {

    public SlurmOptions {
        directives = List.copyOf(directives);
    }

    public static SlurmOptions defaults() {
        return new SlurmOptions("04:00:00", "32G", 8, null, null, 0, List.of());
    }

    public SlurmOptions withTime(String t) {
        return new SlurmOptions(t, memory, cpus, partition, account, maxParallel, directives);
    }

    public SlurmOptions withMemory(String m) {
        return new SlurmOptions(time, m, cpus, partition, account, maxParallel, directives);
    }

    public SlurmOptions withCpus(int c) {
        return new SlurmOptions(time, memory, c, partition, account, maxParallel, directives);
    }

    public SlurmOptions withPartition(String p) {
        return new SlurmOptions(time, memory, cpus, p, account, maxParallel, directives);
    }

    public SlurmOptions withAccount(String a) {
        return new SlurmOptions(time, memory, cpus, partition, a, maxParallel, directives);
    }

    public SlurmOptions withMaxParallel(int n) {
        return new SlurmOptions(time, memory, cpus, partition, account, n, directives);
    }
}
