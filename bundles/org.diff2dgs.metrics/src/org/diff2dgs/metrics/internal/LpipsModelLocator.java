package org.diff2dgs.metrics.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where the LPIPS ONNX file is expected, in order: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENVIRONMENT}, then {@code <user.home>/.diff2dgs/models/lpips_alex.onnx}. The weights are not ours to ship,
 * so the user exports them once (releng/scripts/export_lpips_onnx.py) and points us at the file.
 */
public final class LpipsModelLocator {

    public static final String PROPERTY = "d2dgs.lpips.model";
    public static final String ENVIRONMENT = "D2DGS_LPIPS_MODEL";
    public static final String EXPORT_SCRIPT = "releng/scripts/export_lpips_onnx.py";

    /** The file, and which of the three places named it (for messages). */
    public record Location(Path file, String source) {

        public boolean exists() {
            return Files.isRegularFile(file) && Files.isReadable(file);
        }
    }

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;
    private final Path userHome;

    public LpipsModelLocator(UnaryOperator<String> properties, UnaryOperator<String> environment, Path userHome) {
        this.properties = properties;
        this.environment = environment;
        this.userHome = userHome;
    }

    /** Reads this JVM's system properties and environment at each {@link #locate()}, so late settings count. */
    public static LpipsModelLocator fromSystem() {
        return new LpipsModelLocator(System::getProperty, System::getenv, Path.of(System.getProperty("user.home")));
    }

    public static Path defaultFile(Path userHome) {
        return userHome.resolve(".diff2dgs").resolve("models").resolve("lpips_alex.onnx");
    }

    public Location locate() {
        String property = properties.apply(PROPERTY);
        if (property != null && !property.isBlank()) {
            return new Location(Path.of(property.trim()).toAbsolutePath(), "system property " + PROPERTY);
        }
        String variable = environment.apply(ENVIRONMENT);
        if (variable != null && !variable.isBlank()) {
            return new Location(Path.of(variable.trim()).toAbsolutePath(), "environment variable " + ENVIRONMENT);
        }
        return new Location(defaultFile(userHome), "default location");
    }

    /** What to tell a user whose model file is not at {@code location}. */
    public String missingMessage(Location location) {
        return "LPIPS needs an ONNX model file, and there is none at " + location.file() + " (" + location.source()
                + "). Give its path in the system property " + PROPERTY + " or the environment variable " + ENVIRONMENT
                + ", or put it at " + defaultFile(userHome) + ". Export it once with " + EXPORT_SCRIPT
                + " where PyTorch and the lpips package are installed.";
    }
}
