package org.diff2dgs.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.diff2dgs.core.api.StorageException;

/** Free space where a file or folder is (or will be): its nearest existing ancestor's file system. */
public final class DiskSpace {

    private DiskSpace() {
    }

    /** Usable bytes for this user on the file system of {@code p}, or -1 when it cannot be told. */
    public static long usableBytes(Path p) {
        for (Path q = p.toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.exists(q)) {
                try {
                    return Files.getFileStore(q).getUsableSpace();
                } catch (IOException | SecurityException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * A file that cannot be created or written (read-only, no space, a file in the way): "what: the system's reason
     * (12 GB free there)", the user's to fix.
     */
    public static StorageException failure(Path file, String what, IOException e) {
        return new StorageException(file, what + ": " + e.getMessage() + " (" + describeFree(file) + " there)", e);
    }

    /** "12 GB free" or "free space unknown", for messages. */
    public static String describeFree(Path p) {
        long free = usableBytes(p);
        return free < 0 ? "free space unknown" : ByteSize.format(free) + " free";
    }
}
