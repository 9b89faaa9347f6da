package org.diff2dgs.dataset.synthetic.internal;

import java.util.stream.IntStream;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Intrinsics;

/**
 * Ray-casts one frame: per pixel the tissue (always, for the ground truth) and the instruments (for the observed
 * image), shaded with a point-like light at the endoscope tip. Rows are rendered in parallel; every random number is
 * a hash of (seed, frame, pixel), so the result does not depend on the schedule.
 */
final class FrameRenderer {

    private static final int GAMMA_STEPS = 8192;

    private final TissueScene scene;
    private final TissueParameters.Lighting light;
    private final StereoDepth stereo;
    private final double sheenCutoff;
    private final double glintCutoff;
    /** Display gamma tabulated on [0, 1]: six powers per pixel otherwise dominate the frame time. */
    private final double[] gammaTable = new double[GAMMA_STEPS + 2];

    FrameRenderer(TissueScene scene) {
        this.scene = scene;
        this.light = scene.params().lighting();
        this.stereo = new StereoDepth(scene);
        sheenCutoff = StrictMath.pow(1e-6, 1.0 / light.sheenExponent());
        glintCutoff = StrictMath.pow(1e-6, 1.0 / light.glintExponent());
        for (int i = 0; i <= GAMMA_STEPS + 1; i++) {
            gammaTable[i] = StrictMath.pow(Math.min(1.0, (double) i / GAMMA_STEPS), 1 / light.gamma());
        }
    }

    FrameImages render(int index) {
        TissueScene.FrameState state = scene.frame(index);
        Intrinsics k = scene.intrinsics();
        int w = k.width();
        int h = k.height();
        int n = w * h;
        float[] seenLinear = new float[3 * n];
        float[] truthLinear = new float[3 * n];
        float[] depth = new float[n];
        float[] truthDepth = new float[n];
        float[] mask = new float[n];
        float[] luminance = new float[n];
        double[] rowMin = new double[h];
        double[] rowMax = new double[h];
        float[] surface = scene.options().correspondence() ? new float[2 * n] : null;
        IntStream.range(0, h).parallel().forEach(y -> renderRow(state, y, seenLinear, truthLinear, depth, truthDepth,
                mask, surface, rowMin, rowMax));
        float[] observed = new float[3 * n];
        float[] truth = new float[3 * n];
        IntStream.range(0, h).parallel().forEach(y -> {
            develop(y, truthLinear, truth, -1, null);
            develop(y, seenLinear, observed, index, luminance);
        });
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int y = 0; y < h; y++) {
            min = Math.min(min, rowMin[y]);
            max = Math.max(max, rowMax[y]);
        }
        float[] measured = stereo.measure(index, depth, mask, luminance);
        return new FrameImages(new FloatImage(w, h, 3, observed), new FloatImage(w, h, 3, truth),
                new FloatImage(w, h, 1, measured), new FloatImage(w, h, 1, truthDepth), new FloatImage(w, h, 1, mask),
                surface == null ? null : new FloatImage(w, h, 2, surface), min, max);
    }

    /**
     * Renders linear, vignetted radiance of one row (observed and ground truth), depth, mask and, where
     * {@code surface} is not null, the material coordinates of the tissue each pixel's centre ray meets.
     */
    private void renderRow(TissueScene.FrameState state, int y, float[] observed, float[] truth, float[] depth,
            float[] truthDepth, float[] mask, float[] surface, double[] rowMin, double[] rowMax) {
        Intrinsics k = scene.intrinsics();
        int w = k.width();
        int n = w * k.height();
        SceneOptions options = scene.options();
        RigidPose pose = state.camera();
        double[] c = pose.centre();
        double[] lamp = new double[3];
        pose.rotate(light.offsetMm()[0], light.offsetMm()[1], light.offsetMm()[2], lamp);
        for (int i = 0; i < 3; i++) {
            lamp[i] += c[i];
        }
        double[] d = new double[3];
        double[] surf = new double[3];
        double[] material = new double[2];
        double[] tex = new double[TissueTexture.CHANNELS];
        double[] hit = new double[InstrumentShape.HIT_SLOTS];
        double[] nearest = new double[InstrumentShape.HIT_SLOTS];
        double[] tmp = new double[3];
        double[] ambientPart = new double[3];
        double[] directPart = new double[3];
        double[] seen = new double[3];
        double cornerRadius2 = k.cx() * k.cx() + k.cy() * k.cy();
        // the ray's z component in the scene frame is near 1 (the camera turns by a few degrees only)
        double guess = scene.params().surface().baseDepth() - c[2];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int x = 0; x < w; x++) {
            int p = y * w + x;
            double rx = (x + 0.5 - k.cx()) / k.fx();
            double ry = (y + 0.5 - k.cy()) / k.fy();
            pose.rotate(rx, ry, 1, d);
            double s = state.surface().intersect(c[0], c[1], c[2], d[0], d[1], d[2], guess, tmp);
            guess = s;
            double px = c[0] + s * d[0];
            double py = c[1] + s * d[1];
            double pz = c[2] + s * d[2];
            state.surface().sample(px, py, surf);
            state.surface().material(px, py, material);
            if (surface != null) {
                surface[p] = (float) material[0];
                surface[n + p] = (float) material[1];
            }
            scene.texture().sample(material[0], material[1], tex);
            // the bump height rises towards the camera (-z), so it subtracts from the surface slope
            double nx = surf[1] - tex[3];
            double ny = surf[2] - tex[4];
            double nz = -1;
            double inv = 1 / Math.sqrt(nx * nx + ny * ny + nz * nz);
            shadeTissue(px, py, pz, nx * inv, ny * inv, nz * inv, c, lamp, tex, ambientPart, directPart);
            double visibility = 1;
            if (options.shadows()) {
                for (InstrumentShape shape : state.instruments()) {
                    visibility *= shape.lightVisibility(px, py, pz, lamp[0], lamp[1], lamp[2], light.radiusMm(), tmp);
                }
                // light fibres on the other side of the lens still reach into the shadow
                visibility = light.fillShare() + (1 - light.fillShare()) * visibility;
            }
            double instrumentDepth = Double.POSITIVE_INFINITY;
            for (InstrumentShape shape : state.instruments()) {
                double si = shape.intersect(c[0], c[1], c[2], d[0], d[1], d[2], hit);
                if (si < instrumentDepth) {
                    instrumentDepth = si;
                    System.arraycopy(hit, 0, nearest, 0, hit.length);
                }
            }
            boolean instrument = instrumentDepth < s;
            if (instrument) {
                shadeInstrument(c[0] + instrumentDepth * d[0], c[1] + instrumentDepth * d[1],
                        c[2] + instrumentDepth * d[2], nearest, c, lamp, seen);
            } else {
                for (int ch = 0; ch < 3; ch++) {
                    seen[ch] = ambientPart[ch] + visibility * directPart[ch];
                }
            }
            double r2 = (x + 0.5 - k.cx()) * (x + 0.5 - k.cx()) + (y + 0.5 - k.cy()) * (y + 0.5 - k.cy());
            double vignette = 1 - light.vignetting() * r2 / cornerRadius2;
            for (int ch = 0; ch < 3; ch++) {
                truth[ch * n + p] = (float) ((ambientPart[ch] + directPart[ch]) * vignette);
                observed[ch * n + p] = (float) (seen[ch] * vignette);
            }
            truthDepth[p] = (float) s;
            double visible = instrument ? instrumentDepth : s;
            depth[p] = (float) visible;
            mask[p] = instrument ? 1f : 0f;
            lo = Math.min(lo, Math.min(s, visible));
            hi = Math.max(hi, Math.max(s, visible));
        }
        rowMin[y] = lo;
        rowMax[y] = hi;
    }

    /**
     * The camera's own part, per row: the lens blurs the linear image slightly (a separable 3-tap kernel, about 0.6
     * pixel sigma; real endoscope optics are never pixel-sharp), then display mapping and, for the observed image,
     * signal-dependent sensor noise. {@code frame} < 0 means no noise; {@code luminance} (may be null) receives the
     * noise-free display luminance for finding saturated pixels.
     */
    private void develop(int y, float[] linear, float[] out, int frame, float[] luminance) {
        Intrinsics k = scene.intrinsics();
        int w = k.width();
        int h = k.height();
        int n = w * h;
        double side = scene.params().sensor().blurNeighbourWeight();
        double centre = 1 - 2 * side;
        double noise = frame < 0 ? 0 : scene.options().sensorNoise();
        long seed = scene.spec().seed();
        int up = Math.max(y - 1, 0) * w;
        int row = y * w;
        int down = Math.min(y + 1, h - 1) * w;
        for (int x = 0; x < w; x++) {
            int left = Math.max(x - 1, 0);
            int right = Math.min(x + 1, w - 1);
            double lum = 0;
            for (int ch = 0; ch < 3; ch++) {
                int b = ch * n;
                double above = side * linear[b + up + left] + centre * linear[b + up + x]
                        + side * linear[b + up + right];
                double here = side * linear[b + row + left] + centre * linear[b + row + x]
                        + side * linear[b + row + right];
                double below = side * linear[b + down + left] + centre * linear[b + down + x]
                        + side * linear[b + down + right];
                double v = display(side * above + centre * here + side * below);
                lum += (ch == 0 ? 0.299 : ch == 1 ? 0.587 : 0.114) * v;
                if (noise > 0) {
                    double sigma = noise * Math.sqrt(0.3 + 0.7 * v);
                    v += sigma * Hash.roughGaussian(Hash.key(seed, 1000 + frame, row + x, ch));
                }
                out[b + row + x] = (float) Math.min(Math.max(v, 0), 1);
            }
            if (luminance != null) {
                luminance[row + x] = (float) lum;
            }
        }
    }

    /**
     * Tissue radiance split into what does not depend on the instruments' shadow (ambient inter-reflection) and the
     * direct light that a shadow blocks. Wrapped Lambert for the light scattered under the surface plus two
     * Blinn-Phong lobes for the wet film; irradiance falls with the squared distance from the lamp.
     */
    private void shadeTissue(double px, double py, double pz, double nx, double ny, double nz, double[] eye,
            double[] lamp, double[] tex, double[] ambientPart, double[] directPart) {
        double lx = lamp[0] - px;
        double ly = lamp[1] - py;
        double lz = lamp[2] - pz;
        double dist2 = lx * lx + ly * ly + lz * lz;
        double invL = 1 / Math.sqrt(dist2);
        lx *= invL;
        ly *= invL;
        lz *= invL;
        double vx = eye[0] - px;
        double vy = eye[1] - py;
        double vz = eye[2] - pz;
        double invV = 1 / Math.sqrt(vx * vx + vy * vy + vz * vz);
        vx *= invV;
        vy *= invV;
        vz *= invV;
        double irradiance = light.exposure() * light.referenceDistance() * light.referenceDistance() / dist2;
        double ndl = nx * lx + ny * ly + nz * lz;
        double diffuse = Math.max(0, (ndl + light.wrap()) / (1 + light.wrap()));
        double hx = lx + vx;
        double hy = ly + vy;
        double hz = lz + vz;
        double invH = 1 / Math.sqrt(hx * hx + hy * hy + hz * hz);
        double ndh = Math.max(0, (nx * hx + ny * hy + nz * hz) * invH);
        double specular = 0;
        if (ndl > 0 && ndh > sheenCutoff) {
            // the lobes are negligible (below 1e-6) under their cut-offs: skip the costly powers there
            double lobes = light.sheen() * PortableMath.pow(ndh, light.sheenExponent());
            if (ndh > glintCutoff) {
                lobes += light.glint() * PortableMath.pow(ndh, light.glintExponent());
            }
            specular = scene.options().specular() * tex[5] * lobes;
        }
        for (int ch = 0; ch < 3; ch++) {
            ambientPart[ch] = light.ambient() * tex[ch];
            directPart[ch] = irradiance * (tex[ch] * diffuse + specular);
        }
    }

    private void shadeInstrument(double px, double py, double pz, double[] hit, double[] eye, double[] lamp,
            double[] out) {
        int part = (int) hit[3];
        TissueParameters.InstrumentLook look = scene.params().instrumentLook();
        boolean shaft = part == InstrumentShape.SHAFT;
        double[] albedo = shaft ? look.shaftAlbedo() : look.steelAlbedo();
        // the insulated shaft has a broad satin sheen, the steel a tighter highlight
        double shine = shaft ? look.shaftShine() : look.steelShine();
        int exponent = shaft ? look.shaftExponent() : look.steelExponent();
        double metal = shaft ? look.shaftMetal() : 1;
        // jaws are serrated: fine ridges across the grip
        double ridges = part == InstrumentShape.JAW
                ? 0.65 + 0.35 * (0.5 + 0.5 * StrictMath.cos(2 * Math.PI * hit[4] / look.ridgePitchMm())) : 1;
        double lx = lamp[0] - px;
        double ly = lamp[1] - py;
        double lz = lamp[2] - pz;
        double dist2 = lx * lx + ly * ly + lz * lz;
        double invL = 1 / Math.sqrt(dist2);
        lx *= invL;
        ly *= invL;
        lz *= invL;
        double vx = eye[0] - px;
        double vy = eye[1] - py;
        double vz = eye[2] - pz;
        double invV = 1 / Math.sqrt(vx * vx + vy * vy + vz * vz);
        vx *= invV;
        vy *= invV;
        vz *= invV;
        double ndl = Math.max(0, hit[0] * lx + hit[1] * ly + hit[2] * lz);
        double hx = lx + vx;
        double hy = ly + vy;
        double hz = lz + vz;
        double invH = 1 / Math.sqrt(hx * hx + hy * hy + hz * hz);
        double ndh = Math.max(0, (hit[0] * hx + hit[1] * hy + hit[2] * hz) * invH);
        double irradiance = light.exposure() * light.referenceDistance() * light.referenceDistance() / dist2;
        double specular = ndl > 0 ? scene.options().specular() * shine * PortableMath.pow(ndh, exponent) : 0;
        // metal mirrors the lit tissue behind it (+z) and the dark cavity towards the camera
        double mirror = metal * (0.3 + 1.5 * Math.max(0, hit[2]));
        for (int ch = 0; ch < 3; ch++) {
            out[ch] = irradiance * (albedo[ch] * ridges * ndl + specular) + mirror * look.tissueReflection()[ch]
                    + light.ambient() * albedo[ch];
        }
    }

    /** Linear radiance to display value: a soft shoulder so bright tissue keeps detail, then display gamma. */
    private double display(double linear) {
        double v = linear <= 0.8 ? Math.max(linear, 0) : 0.8 + 0.2 * (1 - PortableMath.exp(-(linear - 0.8) / 0.2));
        double g = v * GAMMA_STEPS;
        int i = (int) g;
        return gammaTable[i] + (g - i) * (gammaTable[i + 1] - gammaTable[i]);
    }
}
