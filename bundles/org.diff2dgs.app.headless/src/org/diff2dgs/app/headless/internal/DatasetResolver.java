package org.diff2dgs.app.headless.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;

/** Picks the dataset reader for a folder: the one the user named, else the one that recognizes it best. */
final class DatasetResolver {

    private DatasetResolver() {
    }

    static DatasetReader resolve(ServiceCatalog catalog, Path folder, String format) {
        if (!Files.exists(folder)) {
            throw new UserInputException(folder, "dataset folder not found");
        }
        if (!Files.isDirectory(folder)) {
            throw new UserInputException(folder, "not a folder (a dataset is a folder with images/, depth/, masks/ ...)");
        }
        List<DatasetReader> readers = catalog.datasetReaders();
        String names = readers.stream().map(DatasetReader::format).collect(Collectors.joining(", "));
        if (format != null) {
            return catalog.datasetReader(format).orElseThrow(
                    () -> new UserInputException("unknown dataset format '" + format + "' (installed: " + names + ")"));
        }
        return catalog.recognize(folder).orElseThrow(() -> new UserInputException(folder,
                        "no dataset reader recognizes this folder (installed readers: " + names
                                + "); expected e.g. the EndoNeRF layout images/, depth/, masks/, poses_bounds.npy"));
    }
}
