package org.diff2dgs.dataset.synthetic.internal;

import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.model.Intrinsics;

/**
 * Everything about a synthetic clip that is fixed for all frames (camera, tissue at rest, its texture, how the
 * instruments are held), and the state of the scene at any frame. Built once per clip; {@link #frame} is a pure
 * function of the frame index, so frames can be rendered in any order and in parallel.
 */
final class TissueScene {

    /** Texture size cap (texels) so a huge output size cannot exhaust memory; the default needs about 2 million. */
    private static final double MAX_TEXELS = 24e6;

    private final SceneSpec spec;
    private final SceneOptions options;
    private final TissueParameters params;
    private final Intrinsics intrinsics;
    private final CameraPath cameraPath;
    private final RestSurface rest;
    private final TissueTexture texture;
    private final InstrumentRig[] rigs;
    private final double breathX;
    private final double breathY;

    /** One frame's geometry. */
    record FrameState(int index, RigidPose camera, DeformedSurface surface, InstrumentShape[] instruments) {
    }

    TissueScene(SceneSpec spec, SceneOptions options, TissueParameters params) {
        this.spec = spec;
        this.options = options;
        this.params = params;
        long seed = spec.seed();
        double focal = params.camera().focalAt640() * spec.width() / 640.0;
        intrinsics = Intrinsics.centred(focal, spec.width(), spec.height());
        cameraPath = new CameraPath(options.movingCamera(), params.camera(), seed);
        Bounds area = visibleArea();
        rest = new RestSurface(area, params.surface(), seed);
        double texel = params.surface().baseDepth() / focal / params.texture().texelsPerPixel();
        texel = Math.max(texel, Math.sqrt(area.width() * area.height() / MAX_TEXELS));
        texture = new TissueTexture(area, texel, params.texture(), params.vessels(), seed);
        rigs = new InstrumentRig[options.instruments()];
        for (int i = 0; i < rigs.length; i++) {
            rigs[i] = new InstrumentRig(i, params.instruments(), rest, seed);
        }
        breathX = 20 * (Hash.uniform(Hash.key(seed, 51, 0, 0)) - 0.5);
        breathY = 20 * (Hash.uniform(Hash.key(seed, 51, 1, 0)) - 0.5);
    }

    /**
     * The part of the scene's x-y plane any frame can see: the image corners' rays between the nearest and farthest
     * depth the tissue can have, over all camera poses, plus a margin for the tissue's own motion.
     */
    private Bounds visibleArea() {
        double near = params.surface().baseDepth() - 30;
        double far = params.surface().baseDepth() + 55;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        double[] d = new double[3];
        for (int f = 0; f < spec.frames(); f++) {
            RigidPose pose = cameraPath.at(f);
            for (int corner = 0; corner < 4; corner++) {
                double px = (corner & 1) == 0 ? 0 : spec.width();
                double py = (corner & 2) == 0 ? 0 : spec.height();
                pose.rotate((px - intrinsics.cx()) / intrinsics.fx(), (py - intrinsics.cy()) / intrinsics.fy(), 1, d);
                for (double z : new double[] {near, far}) {
                    double s = (z - pose.centre()[2]) / d[2];
                    double x = pose.centre()[0] + s * d[0];
                    double y = pose.centre()[1] + s * d[1];
                    xMin = Math.min(xMin, x);
                    xMax = Math.max(xMax, x);
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
            if (!options.movingCamera()) {
                break;
            }
        }
        double margin = 8;
        return new Bounds(xMin - margin, xMax + margin, yMin - margin, yMax + margin);
    }

    FrameState frame(int index) {
        double motion = options.motion();
        double phase = 2 * Math.PI * index / params.breathing().periodFrames();
        double lift = motion * params.breathing().amplitude() * StrictMath.sin(phase);
        double stretch = motion * params.breathing().stretch() * StrictMath.sin(phase);
        TissueParameters.Push push = params.push();
        double press = 0.5 - 0.5 * StrictMath.cos(2 * Math.PI * index / push.periodFrames());
        double[] tip = new double[2];
        rigs[0].tip(index, tip);
        DeformedSurface surface = new DeformedSurface(rest, lift, breathX, breathY, params.breathing().width(),
                stretch, tip[0], tip[1], motion * push.amplitude() * press, push.sigma() + push.sigmaGrowth() * press,
                push.drag());
        InstrumentShape[] shapes = new InstrumentShape[rigs.length];
        for (int i = 0; i < rigs.length; i++) {
            shapes[i] = rigs[i].shape(index, surface, press);
        }
        return new FrameState(index, cameraPath.at(index), surface, shapes);
    }

    /** Camera-to-scene pose of a frame. */
    RigidPose camera(int index) {
        return cameraPath.at(index);
    }

    SceneSpec spec() {
        return spec;
    }

    SceneOptions options() {
        return options;
    }

    TissueParameters params() {
        return params;
    }

    Intrinsics intrinsics() {
        return intrinsics;
    }

    TissueTexture texture() {
        return texture;
    }

    Bounds area() {
        return rest.bounds();
    }
}
