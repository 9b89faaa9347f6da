package org.diff2dgs.batch.api;

import java.util.List;
import java.util.Map;

/**
 * Everything a batch report shows, built from the cell folders only (so a merge of separately run cells and an
 * in-process batch give equal results).
 *
 * @param experiment           experiment name
 * @param cells                every cell of the grid, by id
 * @param records              one per cell x protocol x metric (see {@link ResultRecord})
 * @param summary              per dataset group, protocol, method and metric over scenes and seeds
 * @param protocolDescriptions what each protocol compares, from the cells' metrics.json
 */
public record Results(String experiment, List<CellResult> cells, List<ResultRecord> records,
        List<SummaryRow> summary, Map<String, String> protocolDescriptions) {

    public Results {
        cells = List.copyOf(cells);
        records = List.copyOf(records);
        summary = List.copyOf(summary);
        protocolDescriptions = Map.copyOf(protocolDescriptions);
    }

    public long failed() {
        return cells.stream().filter(c -> c.status().equals("failed")).count();
    }

    /** Cells neither done nor failed. */
    public long unfinished() {
        return cells.stream().filter(c -> !c.done() && !c.status().equals("failed")).count();
    }
}
