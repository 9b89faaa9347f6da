package org.diff2dgs.splat.internal;

/**
 * The fixed numbers of the 2DGS rasterizer (Huang et al. 2024, Sec. 4 and the public diff-surfel-rasterization code).
 * Both the float fast path and the double reference read them from here so the two cannot drift apart.
 */
public final class SplatConstants {

    /** Tile edge in pixels; surfels are binned and depth-sorted per tile. */
    public static final int TILE = 16;

    /** Bounding boxes cover the splat out to 3 standard deviations. */
    public static final double CUTOFF = 3.0;

    /**
     * The screen-space low-pass filter of Botsch et al. 2005 (2DGS Eq. 11): a pixel is always reached within a radius
     * of FILTER_SIZE pixels, i.e. rho_2d = |x - c|^2 / FILTER_SIZE^2 = 2 |x - c|^2.
     */
    public static final double FILTER_SIZE = 0.7071067811865476;
    public static final double FILTER_INV_SQUARE = 2.0;

    /** Opacity * G is clamped here so that T never becomes exactly zero (3DGS appendix). */
    public static final double ALPHA_MAX = 0.99;

    /** Contributions weaker than this are skipped. */
    public static final double ALPHA_MIN = 1.0 / 255.0;

    /** A pixel stops blending before its transmittance would drop below this. */
    public static final double T_MIN = 1e-4;

    /** Transmittance at which the median depth is read. */
    public static final double MEDIAN_T = 0.5;

    /** The 3D-extent floor of the pixel radius (the low-pass filter's reach at the cutoff). */
    public static final double MIN_EXTENT = CUTOFF * FILTER_SIZE;

    /** Floor of the squared half-extent in compute_aabb, kept so radii match the original. */
    public static final double MIN_HALF_EXTENT_SQUARED = 1e-4;

    private SplatConstants() {
    }
}
