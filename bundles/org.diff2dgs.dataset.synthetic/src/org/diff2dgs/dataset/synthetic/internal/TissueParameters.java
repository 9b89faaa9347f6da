package org.diff2dgs.dataset.synthetic.internal;

/**
 * Every fixed constant of the tissue scene, in one place so scene.json can record them all. Lengths are millimetres
 * in the scene frame (the OpenCV camera frame of frame 0: x right, y down, z forward); periods are in frames so a
 * longer clip extends a shorter one with the same seed.
 */
record TissueParameters(Camera camera, Surface surface, Breathing breathing, Push push, Texture texture,
        Vessels vessels, Lighting lighting, Instruments instruments, InstrumentLook instrumentLook, Sensor sensor) {

    static TissueParameters defaults() {
        return new TissueParameters(Camera.defaults(), Surface.defaults(), Breathing.defaults(), Push.defaults(),
                Texture.defaults(), Vessels.defaults(), Lighting.defaults(), Instruments.defaults(),
                InstrumentLook.defaults(), Sensor.defaults());
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

    /** The first instrument presses a Gaussian dent into the tissue; it follows the tip and grows as it presses. */
    record Push(double periodFrames, double amplitude, double sigma, double sigmaGrowth, double drag) {
        static Push defaults() {
            return new Push(56, 3.0, 5.5, 3.0, 0.3);
        }
    }

    /**
     * Tissue appearance apart from the vessels: pale serosa over dark red parenchyma lobes (linear RGB albedo) and the
     * fine relief that breaks the wet highlights into glints.
     *
     * @param texelsPerPixel texture resolution relative to the image at the base depth
     */
    record Texture(double texelsPerPixel, double lobeScale, double[] serosa, double[] parenchyma, double fineBumpMm,
            double wrinkleBumpMm) {
        static Texture defaults() {
            return new Texture(1.3, 45, new double[] {0.62, 0.30, 0.33}, new double[] {0.24, 0.03, 0.055}, 0.025,
                    0.06);
        }
    }

    /**
     * Vessel layers; arrays are indexed deep, superficial, capillary. A cover is the share of the tissue area a layer
     * covers (sum of width times length over the area); widths in millimetres. Absorptions are per RGB channel at
     * full coverage (Beer-Lambert): blood absorbs green and blue far more than red.
     *
     * @param lengthPerWidth how far a vessel runs per millimetre of its starting width before it has tapered away
     * @param wander         how strongly a vessel's direction wanders per square root of millimetre
     */
    record Vessels(double[] cover, double[] widthMin, double[] widthMax, double minWidth, double deepMinWidth,
            double branchPerMm, double capillaryBranchFactor, double[] lengthPerWidth, double[] wander,
            double[] deepAbsorption, double[] superficialAbsorption, double[] capillaryAbsorption) {
        static Vessels defaults() {
            return new Vessels(new double[] {0.035, 0.065, 0.005}, new double[] {0.8, 0.25, 0.05},
                    new double[] {2.0, 0.9, 0.1}, 0.02, 0.35, 0.12, 2.5, new double[] {35, 60, 120},
                    new double[] {0.1, 0.18, 0.6}, new double[] {0.75, 0.95, 0.45}, new double[] {1.0, 4.5, 3.5},
                    new double[] {0.5, 3.0, 2.5});
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
            double wrap, double sheen, int sheenExponent, double glint, int glintExponent, double vignetting,
            double gamma) {
        static Lighting defaults() {
            return new Lighting(new double[] {3.0, -3.5, 0}, 2.0, 0.25, 70, 1.3, 0.05, 0.3, 0.02, 30, 2.0, 700, 0.35,
                    2.2);
        }
    }

    /**
     * Laparoscopic graspers: a dark insulated shaft pivoting about its trocar, a metal collar and two jaws that open
     * and close. The tip follows a smooth Lissajous path (periods: first x, first y, second x, second y); the second
     * instrument hovers, the jaws roll slowly about the shaft.
     *
     * @param trocarDistance how far the trocar lies from the working area along the shaft
     */
    record Instruments(double shaftRadius, double collarLength, double jawLength, double jawWidth,
            double jawThickness, double maxOpeningRadians, double openPeriodFrames, double elevationDegrees,
            double trocarDistance, double pathAmplitudeX, double pathAmplitudeY, double[] pathPeriods,
            double hoverMm, double hoverPeriodFrames, double rollRadians, double rollPeriodFrames) {
        static Instruments defaults() {
            return new Instruments(3.4, 8, 12, 4.4, 1.7, 0.45, 37, 45, 200, 10, 6, new double[] {83, 61, 67, 89}, 4,
                    47, 0.5, 113);
        }
    }

    /**
     * Instrument materials: linear albedo, Blinn-Phong strength and integer exponent of the insulated shaft and of
     * the steel collar and jaws, the tint of lit tissue mirrored in the metal, and the pitch of the jaws' ridges.
     */
    record InstrumentLook(double[] shaftAlbedo, double shaftShine, int shaftExponent, double shaftMetal,
            double[] steelAlbedo, double steelShine, int steelExponent, double[] tissueReflection,
            double ridgePitchMm) {
        static InstrumentLook defaults() {
            return new InstrumentLook(new double[] {0.012, 0.014, 0.018}, 0.35, 10, 0.15,
                    new double[] {0.07, 0.07, 0.068}, 2.0, 20, new double[] {0.09, 0.035, 0.035}, 0.6);
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
