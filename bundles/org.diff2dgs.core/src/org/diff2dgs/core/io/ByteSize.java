package org.diff2dgs.core.io;

import java.util.Locale;

/** Byte counts as people read them in messages and tables (binary units: 1 GB = 2^30 bytes). */
public final class ByteSize {

    private ByteSize() {
    }

    /** e.g. "812 bytes", "14 kB", "1.6 MB", "300 MB", "1.5 GB": one decimal below ten units. */
    public static String format(long b) {
        String[] units = {"kB", "MB", "GB", "TB"};
        if (b < 1024) {
            return b + " bytes";
        }
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
