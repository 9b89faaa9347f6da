package org.diff2dgs.core.io;

import java.util.Comparator;

/**
 * Orders file names the way people number frames: runs of ASCII digits compare by value, so "frame2" comes before
 * "frame10" and "frame-000002" matches "frame-2"; text compares case-insensitively. Names that are equal under these
 * rules (e.g. "f01" and "f1") fall back to plain string order, so the order is total and consistent with equals.
 */
public final class NaturalOrder implements Comparator<String> {

    /** The shared instance: it holds no state. */
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            boolean da = isDigit(a.charAt(i));
            boolean db = isDigit(b.charAt(j));
            if (da && db) {
                int ei = runEnd(a, i);
                int ej = runEnd(b, j);
                int c = compareNumbers(a, i, ei, b, j, ej);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else if (da || db) {
                // a digit run against text: every non-digit lies wholly below '0' or above '9', so comparing the
                // first characters keeps the order transitive
                return Character.compare(Character.toLowerCase(a.charAt(i)), Character.toLowerCase(b.charAt(j)));
            } else {
                int c = Character.compare(Character.toLowerCase(a.charAt(i)), Character.toLowerCase(b.charAt(j)));
                if (c != 0) {
                    return c;
                }
                i++;
                j++;
            }
        }
        int c = Boolean.compare(i < a.length(), j < b.length());
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private static int runEnd(String s, int from) {
        int k = from;
        while (k < s.length() && isDigit(s.charAt(k))) {
            k++;
        }
        return k;
    }

    /** Compares two digit runs by value without parsing, so runs longer than a long still work. */
    private static int compareNumbers(String a, int i, int ei, String b, int j, int ej) {
        while (i < ei - 1 && a.charAt(i) == '0') {
            i++;
        }
        while (j < ej - 1 && b.charAt(j) == '0') {
            j++;
        }
        int c = Integer.compare(ei - i, ej - j);
        if (c != 0) {
            return c;
        }
        for (; i < ei; i++, j++) {
            c = Character.compare(a.charAt(i), b.charAt(j));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
