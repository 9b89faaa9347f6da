package org.diff2dgs.core.io;

import java.util.Locale;

/** Byte counts as people read them in messages and tables (binary units: 1 GB = 2^30 bytes). */
public final class ByteSize {

    private ByteSize() {
    }

    /** e.g. "812 bytes", "14 kB", "300 MB", "1.5 GB". */
    public static String format(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.0f MB", b / (double) (1L << 20));
        }
        if (b >= 1L << 10) {
            return String.format(Locale.ROOT, "%.0f kB", b / (double) (1L << 10));
        }
        return b + " bytes";
    }
}
