package org.diff2dgs.cuda.internal.raster;

import java.util.Locale;

/**
 * How the render kernels evaluate the falloff G = exp(-rho/2) (raster_common.cuh, EXP_*); one forward and one backward
 * kernel per mode. {@link #DOUBLE} is Java's {@code (float) Math.exp}, so every per-pixel decision matches the Java
 * twin; the float modes cost a fraction of the issue slots but can move a pixel whose alpha or T sits within a few
 * ulps of a cut to the other side (the parity rows count those pixels). {@link #FAST} is "all fast math": ex2.approx,
 * approximate per-pixel divisions (1/pz, near/z, the backward's T/(1-alpha)) and fused multiply-adds, so its depth
 * near-plane test is flagged as a cut too.
 */
public enum ExpMode {
    DOUBLE("fwd_render", "bwd_render"),
    FLOAT("fwd_render_expf", "bwd_render_expf"),
    FAST("fwd_render_fastexp", "bwd_render_fastexp");

    /** System property naming the mode of every new DeviceRasterizer (double, float, fast); default fast. */
    public static final String PROPERTY = "d2dgs.raster.exp";

    private final String forwardKernel;
    private final String backwardKernel;

    ExpMode(String forwardKernel, String backwardKernel) {
        this.forwardKernel = forwardKernel;
        this.backwardKernel = backwardKernel;
    }

    public String forwardKernel() {
        return forwardKernel;
    }

    /**
     * The forward kernel that also writes the near-cut flags (rasterize_forward.cu, the _cuts build: same values,
     * flag bookkeeping compiled in; parity checks only).
     */
    public String forwardKernelWithCuts() {
        return forwardKernel + "_cuts";
    }

    public String backwardKernel() {
        return backwardKernel;
    }

    /** The lower-case name used by the system property and the benchmark rows. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a property value (case-insensitive); a clear error names the allowed values. */
    public static ExpMode parse(String value) {
        for (ExpMode m : values()) {
            if (m.label().equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": expected double, float or fast");
    }

    /**
     * The mode the system property selects, else {@link #FAST} (since run 6;
     * docs/decisions/0007-gpu-render-defaults.md). The float modes pass their parity rows on the H100
     * (docs/benchmarks/gpu.md: forward within 7e-7 of the twin away from the cuts, backward about 2e-4) and train the
     * built-in scene to the same PSNR as double; only {@link #DOUBLE} matches the Java twin's every per-pixel
     * decision, which is why the parity rows that compare pixel for pixel name it, and why it stays one property
     * away.
     */
    public static ExpMode fromSystem() {
        String v = System.getProperty(PROPERTY);
        return v == null || v.isBlank() ? FAST : parse(v);
    }
}
