package org.diff2dgs.pipeline.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.diff2dgs.core.api.ComputeBackend;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * What every result records about where it came from: source revision, Java, OS, cores, backend and device, and the
 * versions of our bundles and the libraries that compute numbers.
 */
final class Environment {

    private Environment() {
    }

    /** {@code backendReason}: why an automatic choice settled on this backend, or null. */
    static Map<String, Object> describe(ComputeBackend backend, String backendReason) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("revision", revision());
        env.put("java", Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        env.put("backend", backend.name());
        env.put("device", backend.device());
        if (backendReason != null) {
            env.put("backendReason", backendReason);
        }
        env.put("bundles", bundleVersions());
        return env;
    }

    /** The source revision stamped into org.diff2dgs.core at build time (see its pom), or "unknown". */
    static String revision() {
        try (InputStream in = org.diff2dgs.core.api.ServiceCatalog.class
                .getResourceAsStream("/build-revision.txt")) {
            if (in != null) {
                String r = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!r.isEmpty()) {
                    return r;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    private static Map<String, String> bundleVersions() {
        Map<String, String> v = new TreeMap<>();
        Bundle self = FrameworkUtil.getBundle(Environment.class);
        if (self == null || self.getBundleContext() == null) {
            return v;
        }
        for (Bundle b : self.getBundleContext().getBundles()) {
            String n = b.getSymbolicName();
            if (n != null && (n.startsWith("org.diff2dgs") || n.startsWith("ai.djl") || n.startsWith("com.microsoft")
                    || n.startsWith("org.jcuda") || n.equals("org.eclipse.osgi"))) {
                v.put(n, b.getVersion().toString());
            }
        }
        return v;
    }
}
