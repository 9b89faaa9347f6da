package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides the mask and camera conventions of a clip, forced, declared or detected, and says why. EndoNeRF masks are white where
 * instruments are; the common StereoMIS conversion writes white where tissue is. Mixing them up costs ~10 dB PSNR, so
 * every decision is reported and an ambiguous one is warned about.
 */
final class Conventions {

    static final String WHITE_IS_INSTRUMENT = "white-is-instrument";
    static final String WHITE_IS_TISSUE = "white-is-tissue";
    static final String ENDONERF = "endonerf";
    static final String STEREOMIS = "stereomis";

    /** Mean white coverage within this distance of 50% does not tell the polarity. */
    static final double AMBIGUOUS_BAND = 0.10;

    /** What was decided, how, and what the user should know. */
    record Decision(String camera, String cameraReason, String mask, String maskReason, List<String> warnings) {
    }

    /** What the clip shows about its origin. */
    record Evidence(double meanWhiteCoverage, boolean principalPointOffCentre, boolean cameraMoves) {
    }

    private Conventions() {
    }

    static String normalizeMask(String forced, Path folder, Problems problems) {
        if (forced == null || forced.isBlank()) {
            return null;
        }
        String f = forced.trim().toLowerCase(Locale.ROOT);
        if (f.equals(WHITE_IS_INSTRUMENT) || f.equals(WHITE_IS_TISSUE)) {
            return f;
        }
        problems.add(folder, "unknown mask convention '" + forced + "', expected " + WHITE_IS_INSTRUMENT + " or "
                + WHITE_IS_TISSUE);
        return null;
    }

    static String normalizeCamera(String forced, Path folder, Problems problems) {
        if (forced == null || forced.isBlank()) {
            return null;
        }
        String f = forced.trim().toLowerCase(Locale.ROOT);
        if (f.equals(ENDONERF) || f.equals(STEREOMIS)) {
            return f;
        }
        problems.add(folder, "unknown camera convention '" + forced + "', expected " + ENDONERF + " or " + STEREOMIS);
        return null;
    }

    /**
     * @param givenMask    mask convention the user forced or the clip declares, else null
     * @param maskSource   how {@code givenMask} was given ("forced", "declared in scene.json")
     * @param givenCamera  camera convention forced or declared, else null
     * @param cameraSource how {@code givenCamera} was given
     */
    static Decision decide(String givenMask, String maskSource, String givenCamera, String cameraSource, Evidence e) {
        List<String> warnings = new ArrayList<>();
        double c = e.meanWhiteCoverage();
        String byCoverage = null;
        boolean ambiguous = Double.isFinite(c) && Math.abs(c - 0.5) < AMBIGUOUS_BAND;
        if (Double.isFinite(c) && !ambiguous) {
            // instruments cover the minority of the view
            byCoverage = c < 0.5 ? WHITE_IS_INSTRUMENT : WHITE_IS_TISSUE;
        }
        if (ambiguous) {
            warnings.add(String.format(Locale.ROOT, "masks are white on %.1f%% of pixels on average: too close to 50%% "
                    + "to tell whether white is instrument or tissue; check the masks or force the mask convention",
                    100 * c));
        }

        String camera;
        String cameraReason;
        if (givenCamera != null) {
            camera = givenCamera;
            cameraReason = cameraSource;
        } else {
            List<String> signs = new ArrayList<>();
            if (e.principalPointOffCentre()) {
                signs.add("principal point off the image centre in intrinsics.json");
            }
            if (e.cameraMoves()) {
                signs.add("the camera moves in poses_bounds.npy");
            }
            String maskHint = givenMask != null ? givenMask : byCoverage;
            if (WHITE_IS_TISSUE.equals(maskHint)) {
                signs.add("masks are white on tissue");
            }
            camera = signs.isEmpty() ? ENDONERF : STEREOMIS;
            cameraReason = signs.isEmpty()
                    ? "detected: static camera, centred principal point, masks white on instruments"
                    : "detected: " + String.join("; ", signs);
        }

        String mask;
        String maskReason;
        if (givenMask != null) {
            mask = givenMask;
            maskReason = maskSource;
        } else if (byCoverage != null) {
            mask = byCoverage;
            maskReason = String.format(Locale.ROOT, "detected: white covers %.1f%% of pixels on average, instruments "
                    + "are the minority", 100 * c);
        } else {
            mask = STEREOMIS.equals(camera) ? WHITE_IS_TISSUE : WHITE_IS_INSTRUMENT;
            maskReason = "default of the " + camera + " camera convention (coverage "
                    + (Double.isFinite(c) ? String.format(Locale.ROOT, "%.1f%%", 100 * c) : "unknown")
                    + " does not tell)";
            if (!ambiguous) {
                warnings.add("mask convention not detected from coverage; using " + mask + ", the " + camera
                        + " default");
            }
        }
        return new Decision(camera, cameraReason, mask, maskReason, warnings);
    }
}
