package org.diff2dgs.train.internal.tests;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.model.Sequence;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/** Services of the running test framework, as DS provides them, and a tiny synthetic clip made with them. */
final class Osgi {

    private Osgi() {
    }

    static BundleContext context() {
        var bundle = FrameworkUtil.getBundle(Osgi.class);
        return bundle == null ? null : bundle.getBundleContext();
    }

    /** The service of a type, waiting up to 20 s for DS to register it. */
    static <T> T service(Class<T> type) {
        BundleContext bc = context();
        if (bc == null) {
            throw new AssertionError("not running inside OSGi: run this test with ./mvnw verify");
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            ServiceReference<T> ref = bc.getServiceReference(type);
            T s = ref == null ? null : bc.getService(ref);
            if (s != null) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(type.getName() + " not registered");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A service the catalog finds by name, waiting up to 20 s for DS to bind it. */
    static <T> T named(Supplier<Optional<T>> lookup, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Optional<T> s = lookup.get();
            if (s.isPresent()) {
                return s.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not registered");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The built-in tissue scene at a tiny size, read back like a dataset. */
    static Sequence tinyClip(Path folder, long seed, int frames, int width, int height) {
        ServiceCatalog catalog = service(ServiceCatalog.class);
        named(() -> catalog.sceneGenerator("tissue"), "scene generator tissue").write(folder, new SceneSpec(seed, frames, width, height,
                Map.of()), Progress.NONE);
        DatasetReader reader = named(() -> catalog.datasetReader("endonerf"), "dataset reader endonerf");
        return reader.read(folder, ReadOptions.defaults(), Progress.NONE);
    }
}
