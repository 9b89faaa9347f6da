package org.diff2dgs.core.api;

import java.nio.file.Path;

/**
 * Writing an output failed: no space left, a quota, a read-only or vanished disk. A problem of the machine the user
 * can fix (exit code 1), reported with the file, what the write needed and what the file system has free.
 */
public class StorageException extends UserInputException {

    private static final long serialVersionUID = 1L;

    public StorageException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
