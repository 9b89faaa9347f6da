package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

import org.diff2dgs.core.model.Split;

/**
 * Named train/test splits. "deform3dgs" is the default because the tables everyone compares with (Deform3DGS,
 * EndoGaussian) use it.
 */
public final class SplitRules {

    public static final String DEFORM3DGS = "deform3dgs";
    public static final String ENDONERF = "endonerf";
    public static final String ALL = "all";

    private SplitRules() {
    }

    /** Canonical rule name for a user's choice (null = default), or null after reporting an unknown name. */
    static String canonical(String requested, Path folder, Problems problems) {
        if (requested == null || requested.isBlank()) {
            return DEFORM3DGS;
        }
        String r = requested.trim().toLowerCase(Locale.ROOT);
        return switch (r) {
            case DEFORM3DGS, "every-8th-from-1", "endogaussian" -> DEFORM3DGS;
            case ENDONERF, "endonerf-original" -> ENDONERF;
            case ALL -> ALL;
            default -> {
                problems.add(folder, "unknown split rule '" + requested + "', expected " + DEFORM3DGS + " (test = "
                        + "frames 1, 9, 17, ...), " + ENDONERF + " (train on all, test arange(N)[1:-1:8]) or " + ALL);
                yield null;
            }
        };
    }

    public static Split split(String rule, int n) {
        return switch (rule) {
            // Deform3DGS / EndoGaussian: test = {i : (i - 1) mod 8 == 0}, train = the rest
            case DEFORM3DGS -> new Split(rule, IntStream.range(0, n).filter(i -> (i - 1) % 8 != 0).toArray(),
                    IntStream.range(0, n).filter(i -> (i - 1) % 8 == 0).toArray());
            // original EndoNeRF: train on every frame, test on arange(N)[1:-1:8]
            case ENDONERF -> new Split(rule, IntStream.range(0, n).toArray(),
                    IntStream.iterate(1, i -> i < n - 1, i -> i + 8).toArray());
            case ALL -> new Split(rule, IntStream.range(0, n).toArray(), IntStream.range(0, n).toArray());
            default -> throw new IllegalArgumentException("unknown split rule " + rule);
        };
    }
}
