package org.diff2dgs.core.api;

import java.nio.file.Path;

/** A dataset file is missing, corrupt or inconsistent. The only exception a {@link DatasetReader} lets escape. */
public class DatasetException extends UserInputException {

    private static final long serialVersionUID = 1L;

    public DatasetException(Path file, String message) {
        super(file, message);
    }

    public DatasetException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
