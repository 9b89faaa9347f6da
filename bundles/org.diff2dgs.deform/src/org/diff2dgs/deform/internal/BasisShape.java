package org.diff2dgs.deform.internal;

/**
 * The shape of the Gaussian time bases of the flexible deformation model (Deform3DGS, Sec. 2.2 of the MICCAI 2024
 * paper; the same model with 9 channels in Diff2DGS).
 *
 * <p>Public code (jinlab-imvr/Deform3DGS and styufo/Diff2DGS, {@code scene/flexible_deform_model.py},
 * {@code gaussian_deformation}): with e = (t - mu)^2 / (sigma^2 + 1e-4) the basis is exp(-e^2), i.e. the exponent is
 * squared, a flatter top and much faster fall-off than the Gaussian exp(-e) the paper's notation suggests; sigma
 * starts at 0.01 and the 17 centres at linspace(0, 1, 17).
 *
 * <p>With those defaults a basis is above 1e-3 only within |t - mu| &lt; 0.023, while centres are 1/16 = 0.0625
 * apart: about a quarter of the time axis (the middle between two centres) starts with almost no support (the
 * largest basis there is ~5e-11). The "smooth" variant uses the plain exponent exp(-e) and sigma = the centre spacing,
 * so neighbouring bases overlap from the start (see GaussianBasisSupportTest for the measured effect).
 *
 * @param basisCount      B, bases per channel
 * @param squaredExponent exp(-e^2) as the public code; false: exp(-e)
 * @param initialSigma    sigma of new surfels
 */
public record BasisShape(int basisCount, boolean squaredExponent, double initialSigma) {

    /** The public Deform3DGS / Diff2DGS code: 17 bases, squared exponent, sigma 0.01. */
    public static final BasisShape PUBLIC_CODE = new BasisShape(17, true, 0.01);

    /** The variant: plain Gaussian exponent, sigma = centre spacing 1/16. */
    public static final BasisShape SMOOTH = new BasisShape(17, false, 1.0 / 16);

    public BasisShape {
        if (basisCount < 2) {
            throw new IllegalArgumentException("need at least 2 time bases, got " + basisCount);
        }
        if (!(initialSigma > 0) || !Double.isFinite(initialSigma)) {
            throw new IllegalArgumentException("initial basis width must be positive, got " + initialSigma);
        }
    }

    /** Centre of basis b of a new surfel: linspace(0, 1, B). */
    public double initialCentre(int b) {
        return (double) b / (basisCount - 1);
    }
}
