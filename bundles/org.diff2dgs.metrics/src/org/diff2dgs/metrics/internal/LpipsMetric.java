package org.diff2dgs.metrics.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.FloatImage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Learned perceptual image patch similarity (Zhang et al. 2018) with a user-supplied ONNX export of the AlexNet or VGG
 * variant (see {@link LpipsModelLocator}). Colour in [0,1] is mapped to [-1,1], the range the network was trained on.
 * LPIPS has no per-pixel form, so a region is applied by multiplying both images by the region mask before that
 * mapping: pixels outside the region become black in both and add (almost) nothing to the distance. The network
 * is loaded on first use and kept until the component is deactivated, or until the configured file changes.
 */
@Component(service = Metric.class)
public final class LpipsMetric implements Metric, AutoCloseable {

    public static final String NAME = "lpips";

    private final LpipsModelLocator locator;
    private OnnxLpipsNetwork network;
    /** File and modification time of the last load that failed, so a bad file is not reloaded for every frame. */
    private String failedVersion;
    private UserInputException failure;

    public LpipsMetric() {
        this(LpipsModelLocator.fromSystem());
    }

    public LpipsMetric(LpipsModelLocator locator) {
        this.locator = locator;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Learned perceptual distance (LPIPS) of an ONNX network, inputs in [-1,1], region applied as a mask";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public boolean needsDepth() {
        return false;
    }

    @Override
    public synchronized String unavailableReason() {
        LpipsModelLocator.Location location = locator.locate();
        if (!location.exists()) {
            return locator.missingMessage(location);
        }
        try {
            network(location);
            return null;
        } catch (UserInputException e) {
            return e.getMessage();
        } catch (LinkageError e) {
            // DJL or ONNX Runtime missing from the installation (their imports are optional), or its native library
            return "LPIPS needs the DJL and ONNX Runtime libraries, which could not be loaded: " + e;
        }
    }

    @Override
    public double compute(MetricSample sample) {
        SampleChecks.colour(NAME, sample);
        FloatImage rendered = sample.rendered();
        if (rendered.channels() != 3) {
            throw new IllegalArgumentException(NAME + ": needs 3-channel colour images, got " + rendered);
        }
        float[] region = sample.region() == null ? null : sample.region().data();
        int plane = rendered.pixels();
        if (region != null && !anyInside(region)) {
            return Double.NaN;
        }
        float[] a = networkInput(rendered.data(), region, plane);
        float[] b = networkInput(sample.target().data(), region, plane);
        OnnxLpipsNetwork net;
        synchronized (this) {
            LpipsModelLocator.Location location = locator.locate();
            if (!location.exists()) {
                throw new UserInputException(location.file(), locator.missingMessage(location));
            }
            net = network(location);
        }
        return net.distance(a, b, rendered.width(), rendered.height());
    }

    /** Planar [3,H,W] colour, masked by the region, mapped from [0,1] to [-1,1]. */
    static float[] networkInput(float[] colour, float[] region, int plane) {
        float[] out = new float[colour.length];
        for (int c = 0; c < colour.length / plane; c++) {
            for (int p = 0, i = c * plane; p < plane; p++, i++) {
                float v = SampleChecks.inside(region, p) ? colour[i] : 0f;
                out[i] = 2f * v - 1f;
            }
        }
        return out;
    }

    private static boolean anyInside(float[] region) {
        for (float v : region) {
            if (v > SampleChecks.INSIDE) {
                return true;
            }
        }
        return false;
    }

    private OnnxLpipsNetwork network(LpipsModelLocator.Location location) {
        Path file = location.file();
        if (network != null && network.file().equals(file)) {
            return network;
        }
        String version = version(file);
        if (version.equals(failedVersion)) {
            throw failure;
        }
        close();
        try {
            network = OnnxLpipsNetwork.load(file);
            failedVersion = null;
            return network;
        } catch (UserInputException e) {
            failedVersion = version;
            failure = e;
            throw e;
        }
    }

    private static String version(Path file) {
        try {
            return file + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return file.toString();
        }
    }

    @Deactivate
    @Override
    public synchronized void close() {
        if (network != null) {
            network.close();
            network = null;
        }
    }
}
