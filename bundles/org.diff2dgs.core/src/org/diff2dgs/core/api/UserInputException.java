package org.diff2dgs.core.api;

import java.nio.file.Path;

/**
 * A problem with what the user gave us (a file, an option, a value), as opposed to a bug. The headless app prints its
 * message as one line and exits with code 1; the workbench shows it in a dialog.
 */
public class UserInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public UserInputException(String message) {
        this(null, message, null);
    }

    public UserInputException(Path file, String message) {
        this(file, message, null);
    }

    public UserInputException(Path file, String message, Throwable cause) {
        super(file == null ? message : file + ": " + message, cause);
        this.file = file;
    }

    /** The file the problem is in, or null when it is not about one file. */
    public Path file() {
        return file;
    }
}
