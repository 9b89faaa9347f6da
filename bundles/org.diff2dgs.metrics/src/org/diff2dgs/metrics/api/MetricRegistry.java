package org.diff2dgs.metrics.api;

import java.util.List;
import java.util.Optional;

import org.diff2dgs.core.api.Metric;

/**
 * Every {@link Metric} service registered right now: the built-in ones of this bundle and those of lab bundles, which
 * appear and disappear while the application runs.
 */
public interface MetricRegistry {

    /** All metrics, sorted by name. */
    List<Metric> metrics();

    /** The metric with this name; when two bundles register the same name, the one registered first. */
    Optional<Metric> byName(String name);
}
