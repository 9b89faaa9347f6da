package org.diff2dgs.inpaint.diffusion.internal;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where the diffusion graphs are expected, in order: the setting {@value #SETTING} of the run, the system property
 * {@value #PROPERTY}, the environment variable {@value #ENVIRONMENT}, then
 * {@code <user.home>/.diff2dgs/models/diffusion/}. The weights are not ours to ship: the user exports them once with
 * {@value #EXPORT_SCRIPT} and points us at the folder.
 */
public final class ModelLocator {

    public static final String SETTING = "modelDir";
    public static final String PROPERTY = "d2dgs.diffusion.models";
    public static final String ENVIRONMENT = "D2DGS_DIFFUSION_MODELS";
    public static final String EXPORT_SCRIPT = "releng/scripts/export_diffusion_onnx.py";

    /** The folder, and which of the places named it (for messages). */
    public record Location(Path folder, String source) {
    }

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;
    private final Path userHome;

    public ModelLocator(UnaryOperator<String> properties, UnaryOperator<String> environment, Path userHome) {
        this.properties = properties;
        this.environment = environment;
        this.userHome = userHome;
    }

    /** Reads this JVM's system properties and environment at each {@link #locate}, so late settings count. */
    public static ModelLocator fromSystem() {
        return new ModelLocator(System::getProperty, System::getenv, Path.of(System.getProperty("user.home")));
    }

    public static Path defaultFolder(Path userHome) {
        return userHome.resolve(".diff2dgs").resolve("models").resolve("diffusion");
    }

    /** @param setting the run's {@value #SETTING}, or null */
    public Location locate(String setting) {
        if (setting != null && !setting.isBlank()) {
            return new Location(Path.of(setting.trim()).toAbsolutePath(), "setting " + SETTING);
        }
        String property = properties.apply(PROPERTY);
        if (property != null && !property.isBlank()) {
            return new Location(Path.of(property.trim()).toAbsolutePath(), "system property " + PROPERTY);
        }
        String variable = environment.apply(ENVIRONMENT);
        if (variable != null && !variable.isBlank()) {
            return new Location(Path.of(variable.trim()).toAbsolutePath(), "environment variable " + ENVIRONMENT);
        }
        return new Location(defaultFolder(userHome), "default location");
    }

    /** How to point us at a folder, for messages. */
    public String howToPoint() {
        return "give the folder with the setting " + SETTING + ", the system property " + PROPERTY
                + " or the environment variable " + ENVIRONMENT + ", or put the files in " + defaultFolder(userHome)
                + "; export them once with " + EXPORT_SCRIPT + " where the DiffuEraser weights and diffusers are";
    }
}
