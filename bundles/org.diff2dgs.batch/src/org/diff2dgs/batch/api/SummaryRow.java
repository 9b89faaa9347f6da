package org.diff2dgs.batch.api;

/**
 * One entry of the paper-style tables: a method's metric under a protocol on a dataset group, over scenes and seeds.
 *
 * @param dataset        dataset group label
 * @param protocol       evaluation protocol ("speed" for training time, render FPS and surfel count)
 * @param method         method name
 * @param metric         metric name
 * @param higherIsBetter direction of the metric
 * @param mean           mean of the cells' means (each cell: mean over its test frames)
 * @param std            population standard deviation of the cells' means
 * @param count          cells that entered mean and std
 */
public record SummaryRow(String dataset, String protocol, String method, String metric, boolean higherIsBetter,
        double mean, double std, int count) {
}
