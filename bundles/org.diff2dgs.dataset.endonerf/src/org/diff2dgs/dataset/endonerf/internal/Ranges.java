package org.diff2dgs.dataset.endonerf.internal;

/** Formats sorted frame indices compactly for reports: 0, 2-8, 10-16. */
final class Ranges {

    private Ranges() {
    }

    static String format(int[] sorted) {
        if (sorted.length == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int start = sorted[0];
        int prev = start;
        for (int k = 1; k <= sorted.length; k++) {
            if (k < sorted.length && sorted[k] == prev + 1) {
                prev = sorted[k];
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(start);
            if (prev > start) {
                sb.append(prev == start + 1 ? ", " : "-").append(prev);
            }
            if (k < sorted.length) {
                start = sorted[k];
                prev = start;
            }
        }
        return sb.toString();
    }
}
