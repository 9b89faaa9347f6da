package org.diff2dgs.dataset.synthetic.internal;

/**
 * How one grasper is held: its trocar (the pivot in the abdominal wall, fixed for the clip), the smooth path its tip
 * follows over the tissue, and the rhythm of its jaws. The first instrument presses on the tissue; the second hovers.
 */
final class InstrumentRig {

    private final int index;
    private final TissueParameters.Instruments p;
    private final double centreX;
    private final double centreY;
    private final double[] trocar;
    private final double[] phases = new double[5];
    private final double rollOffset;

    InstrumentRig(int index, TissueParameters.Instruments p, RestSurface rest, long seed) {
        this.index = index;
        this.p = p;
        for (int i = 0; i < phases.length; i++) {
            phases[i] = 2 * Math.PI * Hash.uniform(Hash.key(seed, 41 + index, i, 0));
        }
        double jitterX = 6 * (Hash.uniform(Hash.key(seed, 43 + index, 0, 0)) - 0.5);
        double jitterY = 6 * (Hash.uniform(Hash.key(seed, 43 + index, 1, 0)) - 0.5);
        // as a surgeon's two hands: the first enters from the lower left and works a little beyond the centre (so its
        // shaft crosses the view), the second enters from the right and works in the upper left, above the first
        // one's shaft, so the two never pass through each other
        double azimuth = Math.toRadians(index == 0 ? 140 + 35 * Hash.uniform(Hash.key(seed, 45, 0, 0))
                : -25 + 30 * Hash.uniform(Hash.key(seed, 45, 1, 0)));
        centreX = (index == 0 ? 6 - 5 * StrictMath.cos(azimuth) : -8) + jitterX;
        centreY = (index == 0 ? 0 - 5 * StrictMath.sin(azimuth) : -14) + jitterY;
        rollOffset = phases[4];
        double[] h = new double[3];
        rest.sample(centreX, centreY, h);
        double elevation = Math.toRadians(p.elevationDegrees());
        trocar = new double[] {
            centreX + p.trocarDistance() * StrictMath.cos(elevation) * StrictMath.cos(azimuth),
            centreY + p.trocarDistance() * StrictMath.cos(elevation) * StrictMath.sin(azimuth),
            h[0] - p.trocarDistance() * StrictMath.sin(elevation) };
    }

    /** Lateral position of the jaw tips at a frame: out[0] = x, out[1] = y. */
    void tip(int frame, double[] out) {
        double[] periods = p.pathPeriods();
        double reach = index == 0 ? 1 : 0.6;
        out[0] = centreX + reach * p.pathAmplitudeX()
                * StrictMath.sin(2 * Math.PI * frame / periods[2 * index] + phases[0]);
        out[1] = centreY + reach * p.pathAmplitudeY()
                * StrictMath.sin(2 * Math.PI * frame / periods[2 * index + 1] + phases[1]);
    }

    /**
     * The instrument at a frame over the deformed tissue. {@code press} in [0, 1] is how hard the first instrument
     * pushes now: at 1 its jaws sit in the bottom of the dent they make.
     */
    InstrumentShape shape(int frame, DeformedSurface surface, double press) {
        double[] xy = new double[2];
        tip(frame, xy);
        double[] h = new double[3];
        surface.sample(xy[0], xy[1], h);
        // the jaws reach half their width below the shaft's axis: keep that much above the tissue
        double clearance = 0.5 * p.jawWidth() + 0.2;
        if (index == 0) {
            clearance += 1.5 * (1 - press);
        } else {
            clearance += p.hoverMm() * (0.6 + 0.4 * StrictMath.sin(2 * Math.PI * frame / p.hoverPeriodFrames()
                    + phases[2]));
        }
        double[] jawEnd = {xy[0], xy[1], h[0] - clearance};
        double opening = p.maxOpeningRadians()
                * (0.5 - 0.5 * StrictMath.cos(2 * Math.PI * frame / p.openPeriodFrames() + phases[3]));
        double roll = rollOffset + p.rollRadians() * StrictMath.sin(2 * Math.PI * frame / p.rollPeriodFrames()
                + phases[2]);
        return new InstrumentShape(trocar, jawEnd, opening, roll, p);
    }
}
