package org.diff2dgs.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A failure injected into {@link AtomicFiles} for tests of what a full disk or a failing device does to a run: every
 * write of a file under {@code folder} fails with an IOException once it has written {@code afterBytes}. Off unless a
 * test sets it; the check costs one volatile read per file.
 */
public final class WriteFaults {

    /** Where and when writes fail. */
    public record Fault(Path folder, long afterBytes, String message) {
    }

    private static volatile Fault fault;

    private WriteFaults() {
    }

    public static void failWritesUnder(Path folder, long afterBytes, String message) {
        fault = new Fault(folder.toAbsolutePath().normalize(), afterBytes, message);
    }

    public static void clear() {
        fault = null;
    }

    /** Called by the writer after {@code written} bytes of {@code target}. */
    static void check(Path target, long written) throws IOException {
        Fault f = fault;
        if (f != null && written > f.afterBytes() && target.toAbsolutePath().normalize().startsWith(f.folder())) {
            throw new IOException(f.message());
        }
    }

    static boolean active() {
        return fault != null;
    }
}
