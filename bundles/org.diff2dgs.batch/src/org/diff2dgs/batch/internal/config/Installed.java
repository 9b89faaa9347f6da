package org.diff2dgs.batch.internal.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * The names an experiment file may use, as installed now: validation checks against these so a typo fails before
 * hours of training instead of in the middle. Implemented from the service catalog; tests give fixed sets.
 */
public interface Installed {

    Set<String> protocols();

    Set<String> metrics();

    Set<String> deformationModels();

    Set<String> formats();

    Set<String> backends();

    Set<String> sceneGenerators();

    /** Stage-1 inpainting methods (Inpainter names). */
    Set<String> inpainters();

    /** Whether some installed dataset reader recognizes the folder (cheap probe, never throws). */
    boolean recognizes(Path folder);
}
