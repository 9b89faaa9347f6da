package org.diff2dgs.metrics.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.metrics.api.MetricRegistry;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Follows every {@link Metric} service through a dynamic multiple reference: a lab bundle started at run time adds its
 * metrics here (greedy, so also after this component is active), and stopping it removes them.
 */
@Component(service = MetricRegistry.class)
public final class MetricRegistryComponent implements MetricRegistry {

    /** In registration order, which decides between two metrics of the same name. */
    private final List<Metric> registered = new CopyOnWriteArrayList<>();

    @Override
    public List<Metric> metrics() {
        return registered.stream().sorted(Comparator.comparing(Metric::name)).toList();
    }

    @Override
    public Optional<Metric> byName(String name) {
        return registered.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeMetric")
    public void addMetric(Metric metric) {
        registered.add(metric);
    }

    public void removeMetric(Metric metric) {
        registered.remove(metric);
    }
}
