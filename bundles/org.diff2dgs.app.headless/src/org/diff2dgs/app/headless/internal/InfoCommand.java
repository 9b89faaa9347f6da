package org.diff2dgs.app.headless.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Lists what this installation has: bundles, services by kind, backends and their devices. */
@Command(mixinStandardHelpOptions = true, name = "info", description = "List installed bundles, services, compute backends and devices.")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    record ServiceEntry(String kind, String name, String description, String bundle) {
    }

    record BackendEntry(String name, String device, boolean available, String reason, int priority) {
    }

    record BundleEntry(long id, String name, String version, String state) {
    }

    /**
     * @param snapshots3d "available", or "unavailable: " and why (no viewer bundle, no offscreen OpenGL)
     */
    record Info(String version, String java, int cores, long maxHeapMiB, List<BackendEntry> backends,
            String snapshots3d, List<ServiceEntry> services, List<BundleEntry> bundles) {
    }

    @Override
    public Integer call() {
        ServiceCatalog c = root.cli.catalog();
        List<ServiceEntry> services = new ArrayList<>();
        c.datasetReaders().forEach(r -> services.add(entry("dataset-reader", r.format(), r.description(), r)));
        c.sceneGenerators().forEach(g -> services.add(entry("scene-generator", g.name(), g.description(), g)));
        c.deformationModels().forEach(m -> services.add(entry("deformation-model", m.name(), m.description(), m)));
        c.metrics().forEach(m -> services.add(entry("metric", m.name(),
                m.description() + (m.unavailableReason() == null ? "" : " [unavailable: " + m.unavailableReason() + "]"),
                m)));
        c.evaluationProtocols().forEach(p -> services.add(entry("evaluation-protocol", p.name(), p.description(), p)));
        List<BackendEntry> backends = new ArrayList<>();
        for (ComputeBackend b : c.computeBackends()) {
            services.add(entry("compute-backend", b.name(), b.device(), b));
            backends.add(new BackendEntry(b.name(), b.device(), b.isAvailable(), b.unavailableReason(), b.priority()));
        }
        Info info = new Info(new VersionProvider().getVersion()[0], Runtime.version().toString(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, backends,
                snapshots3d(), services, bundles());
        if (root.json) {
            root.cli.out().print(Json.toJson(info));
        } else {
            print(info);
        }
        return Cli.OK;
    }

    private String snapshots3d() {
        String why = root.cli.service(Pipeline.class).snapshotsUnavailableReason();
        return why == null ? "available" : "unavailable: " + why;
    }

    private static ServiceEntry entry(String kind, String name, String description, Object service) {
        Bundle b = FrameworkUtil.getBundle(service.getClass());
        // the table shows the first line; --json keeps the whole description (options, units)
        return new ServiceEntry(kind, name, description, b == null ? "(classpath)" : b.getSymbolicName());
    }

    private static List<BundleEntry> bundles() {
        Bundle self = FrameworkUtil.getBundle(InfoCommand.class);
        List<BundleEntry> list = new ArrayList<>();
        if (self == null) {
            return list;
        }
        for (Bundle b : self.getBundleContext().getBundles()) {
            list.add(new BundleEntry(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(), state(b)));
        }
        return list;
    }

    private static String state(Bundle b) {
        Map<Integer, String> names = new LinkedHashMap<>();
        names.put(Bundle.ACTIVE, "active");
        names.put(Bundle.RESOLVED, "resolved");
        names.put(Bundle.INSTALLED, "installed");
        names.put(Bundle.STARTING, "starting");
        names.put(Bundle.STOPPING, "stopping");
        return names.getOrDefault(b.getState(), "unknown");
    }

    private void print(Info info) {
        var out = root.cli.out();
        out.println(info.version() + " on Java " + info.java() + ", " + info.cores() + " cores, max heap "
                + info.maxHeapMiB() + " MiB");
        out.println();
        out.println("Compute backends (first available is the default):");
        for (BackendEntry b : info.backends()) {
            out.printf("  %-8s %-9s %s%s%n", b.name(), b.available() ? "available" : "missing", b.device(),
                    b.reason() == null ? "" : " (" + b.reason() + ")");
        }
        out.println();
        out.println("3D snapshots (d2dgs snapshot, renders/3d/ of runs): " + info.snapshots3d());
        out.println();
        out.println("Services:");
        for (ServiceEntry s : info.services()) {
            out.printf("  %-18s %-16s %s  [%s]%n", s.kind(), s.name(), s.description().lines().findFirst().orElse(""),
                    s.bundle());
        }
        out.println();
        out.println("Bundles (" + info.bundles().size() + "):");
        for (BundleEntry b : info.bundles()) {
            out.printf("  %4d %-9s %s %s%n", b.id(), b.state(), b.name(), b.version());
        }
    }
}
