package org.diff2dgs.batch.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;

/**
 * A parsed and validated experiment file: scenes x methods x seeds, each cell one staged run.
 *
 * @param file      the experiment file (absolute)
 * @param name      experiment name (default: the file name without extension)
 * @param out       output folder (absolute; default next to the file)
 * @param preset    training schedule the methods start from: "cpu" or "published"
 * @param options   training overrides common to every method, applied before the method's own
 * @param protocols evaluation protocols; empty for the pipeline's defaults
 * @param metrics   metric names; empty for every installed metric
 * @param backend   compute backend, or null or "auto" for the best available (training falls back to "cpu" when
 *                  the GPU's training backend refuses a cell)
 * @param seeds     training seeds; every scene x method runs once per seed
 * @param scenes    the scenes, in file order
 * @param methods   the methods, in file order (the rows of the tables)
 * @param slurm     SLURM resources from the file (command-line options override them)
 * @param charts    metrics to chart per scene (empty: every metric), or null for no charts at all
 */
public record Experiment(Path file, String name, Path out, String preset, Map<String, Object> options,
        List<String> protocols, List<String> metrics, String backend, List<Long> seeds, List<ExperimentScene> scenes,
        List<Method> methods, SlurmOptions slurm, List<String> charts) {

    public Experiment {
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        protocols = List.copyOf(protocols);
        metrics = List.copyOf(metrics);
        seeds = List.copyOf(seeds);
        scenes = List.copyOf(scenes);
        methods = List.copyOf(methods);
        charts = charts == null ? null : List.copyOf(charts);
    }

    /** Every cell, scenes outermost, then methods, then seeds; the id is the position in this list. */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>(scenes.size() * methods.size() * seeds.size());
        for (ExperimentScene s : scenes) {
            for (Method m : methods) {
                for (long seed : seeds) {
                    Path folder = out.resolve("cells").resolve(s.name()).resolve(m.name()).resolve("seed-" + seed);
                    cells.add(new Cell(cells.size(), s, m, seed, folder));
                }
            }
        }
        return cells;
    }

    /** The cell with this id ("3") or label ("scene/method/seed-1"). */
    public Cell cell(String idOrLabel) {
        List<Cell> all = cells();
        String key = idOrLabel.trim();
        if (key.matches("\\d+")) {
            int id;
            try {
                id = Integer.parseInt(key);
            } catch (NumberFormatException e) {
                id = -1;
            }
            if (id >= 0 && id < all.size()) {
                return all.get(id);
            }
            throw new UserInputException(file, "no cell " + key + ": the experiment has cells 0 to "
                    + (all.size() - 1));
        }
        return all.stream().filter(c -> c.label().equals(key)).findFirst()
                .orElseThrow(() -> new UserInputException(file, "no cell '" + key
                        + "'; give a number 0-" + (all.size() - 1) + " or scene/method/seed-N (see --dry-run)"));
    }
}
