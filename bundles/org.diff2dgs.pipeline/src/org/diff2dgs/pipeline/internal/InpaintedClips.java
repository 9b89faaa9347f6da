package org.diff2dgs.pipeline.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.Sequence;

/** Reads a run's inpainted clip back (it is in the dataset layout, so the reader that recognizes it reads it). */
final class InpaintedClips {

    private InpaintedClips() {
    }

    static Sequence read(ServiceCatalog catalog, Path folder, ReadOptions read, Progress progress) {
        if (!Files.isDirectory(folder)) {
            throw new UserInputException(folder, "the inpainted clip is missing; rerun with --force inpaint");
        }
        var reader = catalog.recognize(folder)
                .orElseThrow(() -> new UserInputException(folder, "no dataset reader recognizes the inpainted clip"));
        return reader.read(folder, read == null ? ReadOptions.defaults() : read, progress);
    }
}
