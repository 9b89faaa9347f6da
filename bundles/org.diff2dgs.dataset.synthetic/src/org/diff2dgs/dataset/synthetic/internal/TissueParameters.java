package org.diff2dgs.dataset.synthetic.internal;

/**
 * Every fixed constant of the tissue scene, in one place so scene.json can record them all. Lengths are millimetres
 * in the scene frame (the OpenCV camera frame of frame 0: x right, y down, z forward); periods are in frames so a
 * longer clip extends a shorter one with the same seed.
 */
record TissueParameters(Camera camera, Surface surface, Breathing breathing, Push push, Texture texture,
        Lighting lighting, Instruments instruments, Sensor sensor) {

    static TissueParameters defaults() {
        return new TissueParameters(Camera.defaults(), Surface.defaults(), Breathing.defaults(), Push.defaults(),
                Texture.defaults(), Lighting.defaults(), Instruments.defaults(), Sensor.defaults());
    }

    /**
     * @param focalAt640     focal length in pixels for a 640 pixel wide image (the EndoNeRF calibration); scaled
     *                       with the width so every resolution sees the same field of view
     * @param depthScale     stored 16-bit depth value per millimetre
     * @param travelMm       amplitude of the moving camera's translation per axis
     * @param turnDegrees    amplitude of the moving camera's rotation per axis
     * @param travelPeriods  periods (frames) of the moving camera's x, y, z translation
     */
    record Camera(double focalAt640, double depthScale, double travelMm, double turnDegrees, double[] travelPeriods) {
        static Camera defaults() {
            return new Camera(569.468, 200, 5, 2.5, new double[] {97, 71, 131});
        }
    }

    /**
     * The tissue at rest is a height field z = h(x, y): a convex organ surface tilted towards the camera at the
     * bottom of the image, with large folds, a crease between two lobes and smaller bumps.
     */
    record Surface(double baseDepth, double tiltY, double curvatureRadius, double foldAmplitude, double foldScale,
            double bumpAmplitude, double bumpScale, double creaseDepth, double creaseWidth, double gridSpacing) {
        static Surface defaults() {
            return new Surface(72, -0.2, 170, 9, 40, 2.0, 12, 4.5, 5, 0.25);
        }
    }

    /** Breathing: a smooth periodic bulge towards the camera with a slight lateral stretch of the tissue. */
    record Breathing(double periodFrames, double amplitude, double width, double stretch) {
        static Breathing defaults() {
            return new Breathing(40, 2.0, 55, 0.012);
        }
    }

    /** The first instrument's jaws press a Gaussian dent into the tissue that follows the tip and grows as it presses. */
    record Push(double periodFrames, double amplitude, double sigma, double sigmaGrowth, double drag) {
        static Push defaults() {
            return new Push(56, 3.0, 5.5, 3.0, 0.3);
        }
    }

    /**
     * Material appearance. Vessel covers are the share of the tissue area each vessel layer covers (sum of width
     * times length over the area); widths in millimetres.
     *
     * @param texelsPerPixel texture resolution relative to the image at the base depth
     */
    record Texture(double texelsPerPixel, double lobeScale, double superficialCover, double deepCover,
            double capillaryCover, double superficialWidthMin, double superficialWidthMax, double deepWidthMin,
            double deepWidthMax, double capillaryWidthMin, double capillaryWidthMax, double minWidth,
            double branchPerMm, double fineBumpMm, double wrinkleBumpMm) {
        static Texture defaults() {
            return new Texture(1.3, 45, 0.065, 0.035, 0.005, 0.25, 0.9, 0.8, 2.0, 0.05, 0.1, 0.02, 0.12, 0.025, 0.06);
        }
    }

    /**
     * Light at the endoscope tip, slightly off the optical axis (so instrument shadows show beside the instrument),
     * inverse-square falloff, wrapped Lambert for subsurface scattering, two Blinn-Phong lobes (a broad sheen and a
     * sharp wet glint), a vignette and display gamma.
     *
     * @param fillShare share of the direct light that comes from fibres the instruments do not shadow
     */
    record Lighting(double[] offsetMm, double radiusMm, double fillShare, double referenceDistance, double exposure,
            double ambient,
            double wrap, double sheen, double sheenExponent, double glint, double glintExponent, double vignetting,
            double gamma) {
        static Lighting defaults() {
            return new Lighting(new double[] {3.0, -3.5, 0}, 2.0, 0.25, 70, 1.3, 0.05, 0.3, 0.02, 30, 2.0, 700, 0.35,
                    2.2);
        }
    }

    /**
     * Laparoscopic graspers: a dark insulated shaft pivoting about its trocar, a metal collar and two jaws that open
     * and close. The tip follows a smooth Lissajous path.
     */
    record Instruments(double shaftRadius, double collarLength, double jawLength, double jawWidth,
            double jawThickness, double maxOpeningRadians, double openPeriodFrames, double elevationDegrees,
            double pathAmplitudeX, double pathAmplitudeY, double[] pathPeriods, double hoverMm) {
        static Instruments defaults() {
            return new Instruments(3.4, 8, 12, 4.4, 1.7, 0.45, 37, 45, 10, 6, new double[] {83, 61, 67, 89}, 4);
        }
    }

    /**
     * @param baselineMm          stereo baseline used for occlusion bands in the depth map
     * @param holeRadiusPixels    mean radius of a depth hole blob at 640 pixels width
     * @param depthReferenceMm    depth at which the depth noise sigma equals the "depthNoise" option
     * @param blurNeighbourWeight weight of each neighbour in the separable 3-tap lens blur
     */
    record Sensor(double baselineMm, double holeRadiusPixels, double depthReferenceMm, double blurNeighbourWeight) {
        static Sensor defaults() {
            return new Sensor(5, 9, 70, 0.2);
        }
    }
}
