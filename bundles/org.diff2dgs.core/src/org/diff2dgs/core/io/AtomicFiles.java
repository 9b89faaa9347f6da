package org.diff2dgs.core.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.diff2dgs.core.api.StorageException;

/**
 * Every output of the workbench is written to a temporary file beside its target and renamed into place, so a killed
 * run never leaves a half-written checkpoint, image or table behind.
 */
public final class AtomicFiles {

    /** Writes the content of one output stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        CountingStream counted = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (OutputStream out = new java.io.BufferedOutputStream(counted = new CountingStream(
                    Files.newOutputStream(tmp), target), 1 << 16)) {
                writer.write(out);
            }
            shareable(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            long written = counted == null ? 0 : counted.count;
            throw new StorageException(target, "cannot write: " + e.getMessage() + " (" + ByteSize.format(written)
                    + " written before the failure, " + DiskSpace.describeFree(dir) + " there)", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more than a leftover temporary file
                }
            }
        }
    }

    /** Counts what reaches the file, so a failure can say how far it got; consults injected faults in tests. */
    private static final class CountingStream extends FilterOutputStream {
        private final Path target;
        private final boolean faults = WriteFaults.active();
        long count;

        CountingStream(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
            if (faults) {
                WriteFaults.check(target, count);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
            if (faults) {
                WriteFaults.check(target, count);
            }
        }
    }

    /**
     * Temporary files are created owner-only; outputs are meant to be shared like any file the user writes
     * (rw-r--r--).
     */
    public static void shareable(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    public static void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }
}
