package org.diff2dgs.batch.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;

/**
 * The d2dgs launch script that worker processes and SLURM tasks run: the one beside the running product (Equinox's
 * install area), or the one named by D2DGS_LAUNCHER (tests, or a product installed elsewhere on a cluster).
 */
public final class Launcher {

    static final String ENV = "D2DGS_LAUNCHER";
    static final String INSTALL_AREA = "osgi.install.area";

    private Launcher() {
    }

    static List<String> command() {
        return List.of(find(System.getenv(), System.getProperty(INSTALL_AREA)).toString());
    }

    public static Path find(Map<String, String> env, String installArea) {
        String override = env.get(ENV);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new UserInputException(p, "not found (" + ENV + " names the d2dgs launcher for worker processes)");
            }
            return p;
        }
        if (installArea == null || installArea.isBlank()) {
            throw new UserInputException("cannot find the d2dgs launcher for worker processes: not running from an "
                    + "installed product (no " + INSTALL_AREA + "); set " + ENV + " to the d2dgs script");
        }
        Path dir = toPath(installArea);
        Path script = dir.resolve("d2dgs");
        if (!Files.isRegularFile(script)) {
            throw new UserInputException(script, "the d2dgs launcher is not in the product folder; set " + ENV
                    + " to the d2dgs script");
        }
        return script;
    }

    /** Equinox gives the install area as a file: URL, sometimes with unencoded spaces. */
    static Path toPath(String area) {
        if (area.startsWith("file:")) {
            try {
                return Path.of(new URI(area.replace(" ", "%20")));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return Path.of(area.substring("file:".length()));
            }
        }
        return Path.of(area);
    }
}
