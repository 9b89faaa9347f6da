package org.diff2dgs.inpaint.diffusion.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.inpaint.diffusion.internal.ModelLocator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * The method as the product wires it (runs inside OSGi with the whole headless feature; skipped by the plain-JUnit
 * quick test): the `diffusion` component is in the ServiceCatalog and reaches its prior through the catalog. With a
 * `propagate` inpainter installed it runs on the tiny graphs with the real prior; without one it says so.
 */
class RegistryWiringTest {

    @TempDir
    Path dir;

    @Test
    void diffusionIsRegisteredAndFindsItsPriorThroughTheCatalog() throws Exception {
        Bundle bundle = FrameworkUtil.getBundle(RegistryWiringTest.class);
        Assumptions.assumeTrue(bundle != null, "not running inside OSGi");
        BundleContext bc = bundle.getBundleContext();
        Optional<Inpainter> diffusion = Optional.empty();
        ServiceCatalog catalog = null;
        for (long end = System.currentTimeMillis() + 20_000; System.currentTimeMillis() < end;) {
            ServiceReference<ServiceCatalog> ref = bc.getServiceReference(ServiceCatalog.class);
            catalog = ref == null ? null : bc.getService(ref);
            diffusion = catalog == null ? Optional.empty() : catalog.inpainter("diffusion");
            if (diffusion.isPresent()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(diffusion.isPresent(), "the diffusion inpainter is not in the ServiceCatalog");
        Path models = dir.resolve("models");
        new TinyDiffusionOnnx(64, 48, 4, 4, 2, 5).writeAll(models);
        String previous = System.getProperty(ModelLocator.PROPERTY);
        System.setProperty(ModelLocator.PROPERTY, models.toString());
        try {
            Inpainter method = diffusion.get();
            if (catalog.inpainter("propagate").isEmpty()) {
                String reason = method.unavailableReason();
                assertTrue(reason != null && reason.contains("propagate"), String.valueOf(reason));
                return;
            }
            assertNull(method.unavailableReason());
            Path out = dir.resolve("out");
            InpaintResult result = method.inpaint(TestClips.clip(6, 64, 48, 2),
                    new InpaintOptions(1, 2, true, 1, 7, Map.of()), out, Progress.NONE);
            assertEquals("diffusion", result.method());
            assertTrue(Files.isRegularFile(out.resolve("inpainting.json")));
            try (var s = Files.list(dir)) {
                assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no hidden leftovers");
            }
        } finally {
            if (previous == null) {
                System.clearProperty(ModelLocator.PROPERTY);
            } else {
                System.setProperty(ModelLocator.PROPERTY, previous);
            }
        }
    }
}
