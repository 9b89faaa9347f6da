package org.diff2dgs.deform.internal;

/**
 * Size of the shared deformation MLP: f(x, y, z, t) -&gt; 9 offsets with two hidden ReLU layers. Inputs are
 * NeRF-style positional encodings (Mildenhall et al. 2020, Eq. 4): for each coordinate u, u itself and sin(2^k pi u),
 * cos(2^k pi u) for k &lt; L. Positions are first mapped to about [-1, 1] with the canonical bounding box of creation.
 *
 * @param positionFrequencies L for x, y, z
 * @param timeFrequencies     L for t
 * @param hidden              width of both hidden layers
 */
public record MlpArchitecture(int positionFrequencies, int timeFrequencies, int hidden) {

    /** 4 position and 6 time frequencies, 2 x 64 hidden units: 6.5k weights. */
    public static final MlpArchitecture DEFAULT = new MlpArchitecture(4, 6, 64);

    public MlpArchitecture {
        if (positionFrequencies < 0 || timeFrequencies < 0 || hidden < 1) {
            throw new IllegalArgumentException("MLP needs frequencies >= 0 and hidden >= 1");
        }
    }

    public int positionInputs() {
        return 3 + 6 * positionFrequencies;
    }

    public int timeInputs() {
        return 1 + 2 * timeFrequencies;
    }

    public int inputs() {
        return positionInputs() + timeInputs();
    }
}
