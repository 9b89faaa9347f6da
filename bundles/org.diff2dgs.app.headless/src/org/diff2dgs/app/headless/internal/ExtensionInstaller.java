package org.diff2dgs.app.headless.internal;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Lets a lab add bundles (dataset readers, metrics, ...) without rebuilding the product: every jar in the product's
 * {@code extensions/} folder and in the folders of {@code D2DGS_EXTENSIONS} (path-separated) is installed and started.
 * Their DS components then appear in the service catalog like ours. (The p2 site in releng/ is the other way.)
 */
final class ExtensionInstaller {

    private final BundleContext context;
    private final PrintStream err;

    ExtensionInstaller(BundleContext context, PrintStream err) {
        this.context = context;
        this.err = err;
    }

    int installAll() {
        List<Path> folders = new ArrayList<>();
        String install = context.getProperty("osgi.install.area");
        if (install != null && install.startsWith("file:")) {
            folders.add(Path.of(install.substring(5)).resolve("extensions"));
        }
        String env = System.getenv("D2DGS_EXTENSIONS");
        if (env != null && !env.isBlank()) {
            for (String p : env.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    folders.add(Path.of(p));
                }
            }
        }
        List<Bundle> started = new ArrayList<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
                for (Path jar : jars) {
                    try {
                        started.add(context.installBundle(jar.toUri().toString()));
                    } catch (BundleException e) {
                        err.println("d2dgs: warning: extension " + jar + " not installed: " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                err.println("d2dgs: warning: cannot list extensions in " + folder + ": " + e.getMessage());
            }
        }
        for (Bundle b : started) {
            try {
                if (b.getHeaders().get("Fragment-Host") == null) {
                    b.start();
                }
            } catch (BundleException e) {
                err.println("d2dgs: warning: extension " + b.getSymbolicName() + " did not start: " + e.getMessage());
            }
        }
        return started.size();
    }
}
