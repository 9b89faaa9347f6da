package org.diff2dgs.core.api;

/**
 * Choices a user may force when reading a clip; null means "detect and report".
 *
 * @param maskConvention   "white-is-instrument", "white-is-tissue" or null to detect by coverage
 * @param cameraConvention "endonerf", "stereomis" or null to detect
 * @param split            split rule name (e.g. "every-8th-from-1", "endonerf-original", "all") or null for default
 * @param depthScale       factor applied to stored depth values, or NaN for the reader's default
 * @param maxFrames        read at most this many frames (0 = all)
 * @param loadImages       false reads only headers and file lists (for quick validation and probing)
 * @param inpainted        true: the frames were inpainted elsewhere (instrument pixels restored); false: they were
 *                         not, even if the folder says so; null: the reader decides (stage 1 writes
 *                         {@code inpainting.json} at the root of a folder it inpainted)
 */
public record ReadOptions(String maskConvention, String cameraConvention, String split, double depthScale,
        int maxFrames, boolean loadImages, Boolean inpainted) {

    public ReadOptions(String maskConvention, String cameraConvention, String split, double depthScale,
            int maxFrames, boolean loadImages) {
        this(maskConvention, cameraConvention, split, depthScale, maxFrames, loadImages, null);
    }

    public static ReadOptions defaults() {
        return new ReadOptions(null, null, null, Double.NaN, 0, true, null);
    }

    public ReadOptions withSplit(String rule) {
        return new ReadOptions(maskConvention, cameraConvention, rule, depthScale, maxFrames, loadImages, inpainted);
    }

    public ReadOptions withMaskConvention(String convention) {
        return new ReadOptions(convention, cameraConvention, split, depthScale, maxFrames, loadImages, inpainted);
    }

    public ReadOptions withCameraConvention(String convention) {
        return new ReadOptions(maskConvention, convention, split, depthScale, maxFrames, loadImages, inpainted);
    }

    public ReadOptions withInpainted(Boolean value) {
        return new ReadOptions(maskConvention, cameraConvention, split, depthScale, maxFrames, loadImages, value);
    }
}
