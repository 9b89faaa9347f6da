package org.diff2dgs.splat.internal;

/**
 * Per-surfel geometry of 2DGS in double precision, forward and backward, shared by the fast float path and the double
 * reference (it runs once per surfel, so double costs nothing there).
 *
 * <p>
 * Forward (2DGS Sec. 4.1, Eq. 5-7): the splat-to-pixel homography H = K [W s_u t_u, W s_v t_v, W p + t] maps splat
 * coordinates (u, v, 1) to homogeneous pixel coordinates. Its rows Tu, Tv, Tw are what the per-pixel ray-splat
 * intersection needs (Eq. 8-10). Also: the camera-facing unit normal, the centre and radius of the screen-space
 * bounding box of the 3-sigma ellipse (the original's compute_aabb), and visibility.
 *
 * <p>
 * Backward: from dL/dH, dL/d(box centre) and dL/d(normal) to position, quaternion (through its normalization) and
 * scales. One instance is scratch for one thread; it allocates nothing per call.
 */
public final class SurfelGeometry {

    // ---- results of project() ----
    public boolean visible;
    /** Centre in the camera frame. */
    public double pcx;
    public double pcy;
    public double pcz;
    /** Normalized quaternion (w, x, y, z) and the norm of the input. */
    public double qw;
    public double qx;
    public double qy;
    public double qz;
    public double qNorm;
    /** R(q) row-major; its columns are the tangents t_u, t_v and the normal t_w (world frame). */
    public final double[] rot = new double[9];
    public double su;
    public double sv;
    /** Rows of H: Tu = (H00, H01, H02), Tv = (H10, H11, H12), Tw = (H20, H21, H22). */
    public final double[] h = new double[9];
    /** Camera-frame unit normal, flipped to face the camera, and the flip (+1 or -1). */
    public double nx;
    public double ny;
    public double nz;
    public double flip;
    /** Centre of the bounding box of the 3-sigma ellipse: the low-pass filter's centre. */
    public double centreX;
    public double centreY;
    /** Pixel radius of the bounding box (ceil), 0 when invisible. */
    public int radius;

    // ---- results of backward() ----
    public final double[] gPosition = new double[3];
    public final double[] gRotation = new double[4];
    public final double[] gScale = new double[2];
    /** dL/d(centre in the camera frame): the basis of the densification statistic. */
    public final double[] gCameraCentre = new double[3];

    private final double[] gh = new double[9];

    /**
     * Projects one surfel. {@link #visible} is false when its centre is not beyond {@code near}, its quaternion is
     * zero, it is seen exactly edge-on from its centre, or its conic is degenerate (all as in the original).
     */
    public void project(CameraModel cam, double x, double y, double z, double w0, double x0, double y0, double z0,
            double scaleU, double scaleV, double near) {
        visible = false;
        radius = 0;
        double[] wr = cam.r;
        pcx = wr[0] * x + wr[1] * y + wr[2] * z + cam.t[0];
        pcy = wr[3] * x + wr[4] * y + wr[5] * z + cam.t[1];
        pcz = wr[6] * x + wr[7] * y + wr[8] * z + cam.t[2];
        if (!(pcz > near)) {
            return;
        }
        qNorm = Math.sqrt(w0 * w0 + x0 * x0 + y0 * y0 + z0 * z0);
        if (!(qNorm > 0)) {
            return;
        }
        qw = w0 / qNorm;
        qx = x0 / qNorm;
        qy = y0 / qNorm;
        qz = z0 / qNorm;
        Quaternions.toMatrix(qw, qx, qy, qz, rot);
        su = scaleU;
        sv = scaleV;

        // Tangent axes scaled, in the camera frame: columns of W * R * S (Eq. 5).
        double ux = scaleU * (wr[0] * rot[0] + wr[1] * rot[3] + wr[2] * rot[6]);
        double uy = scaleU * (wr[3] * rot[0] + wr[4] * rot[3] + wr[5] * rot[6]);
        double uz = scaleU * (wr[6] * rot[0] + wr[7] * rot[3] + wr[8] * rot[6]);
        double vx = scaleV * (wr[0] * rot[1] + wr[1] * rot[4] + wr[2] * rot[7]);
        double vy = scaleV * (wr[3] * rot[1] + wr[4] * rot[4] + wr[5] * rot[7]);
        double vz = scaleV * (wr[6] * rot[1] + wr[7] * rot[4] + wr[8] * rot[7]);
        // H = K [u v p_c] (Eq. 7 with the pixel-space projection).
        h[0] = cam.fx * ux + cam.cx * uz;
        h[1] = cam.fx * vx + cam.cx * vz;
        h[2] = cam.fx * pcx + cam.cx * pcz;
        h[3] = cam.fy * uy + cam.cy * uz;
        h[4] = cam.fy * vy + cam.cy * vz;
        h[5] = cam.fy * pcy + cam.cy * pcz;
        h[6] = uz;
        h[7] = vz;
        h[8] = pcz;

        double ncx = wr[0] * rot[2] + wr[1] * rot[5] + wr[2] * rot[8];
        double ncy = wr[3] * rot[2] + wr[4] * rot[5] + wr[5] * rot[8];
        double ncz = wr[6] * rot[2] + wr[7] * rot[5] + wr[8] * rot[8];
        // Surfels are two-sided: the normal points towards the camera (cos between it and the view ray > 0).
        double cos = -(pcx * ncx + pcy * ncy + pcz * ncz);
        if (cos == 0) {
            return;
        }
        flip = cos > 0 ? 1 : -1;
        nx = flip * ncx;
        ny = flip * ncy;
        nz = flip * ncz;

        // Bounding box of the image of the ellipse u^2 + v^2 = CUTOFF^2: with t = (c^2, c^2, -1) and
        // d = t . (Tw o Tw), its centre is (t . (Tu o Tw), t . (Tv o Tw)) / d and its half-extents follow from the
        // dual conic (2DGS supplementary, "bounding box").
        double c2 = SplatConstants.CUTOFF * SplatConstants.CUTOFF;
        double d = c2 * (h[6] * h[6] + h[7] * h[7]) - h[8] * h[8];
        if (d == 0) {
            return;
        }
        centreX = (c2 * (h[0] * h[6] + h[1] * h[7]) - h[2] * h[8]) / d;
        centreY = (c2 * (h[3] * h[6] + h[4] * h[7]) - h[5] * h[8]) / d;
        double fuu = (c2 * (h[0] * h[0] + h[1] * h[1]) - h[2] * h[2]) / d;
        double fvv = (c2 * (h[3] * h[3] + h[4] * h[4]) - h[5] * h[5]) / d;
        double extX = Math.sqrt(Math.max(SplatConstants.MIN_HALF_EXTENT_SQUARED, centreX * centreX - fuu));
        double extY = Math.sqrt(Math.max(SplatConstants.MIN_HALF_EXTENT_SQUARED, centreY * centreY - fvv));
        double r = Math.ceil(Math.max(Math.max(extX, extY), SplatConstants.MIN_EXTENT));
        if (!(r < 1e9)) {
            return;
        }
        radius = (int) r;
        visible = true;
    }

    /**
     * Tile rectangle [x0, x1) x [y0, y1) of the bounding box, as the original's getRect in pixel-index coordinates
     * (pixel i at i, i.e. our centre minus 0.5). Writes 4 ints at {@code out[offset..]}; returns the tile count.
     */
    public int tileRect(CameraModel cam, int[] out, int offset) {
        double px = centreX - 0.5;
        double py = centreY - 0.5;
        int t = SplatConstants.TILE;
        out[offset] = clamp((int) Math.floor((px - radius) / t), cam.tilesX);
        out[offset + 1] = clamp((int) Math.floor((py - radius) / t), cam.tilesY);
        out[offset + 2] = clamp((int) Math.floor((px + radius + t - 1) / t), cam.tilesX);
        out[offset + 3] = clamp((int) Math.floor((py + radius + t - 1) / t), cam.tilesY);
        return (out[offset + 2] - out[offset]) * (out[offset + 3] - out[offset + 1]);
    }

    /**
     * Pixel-centre box outside which this surfel cannot reach alpha >= 1/255: rho = min(rho_3d, rho_2d) exceeds
     * {@code rhoMax} there. The union of the box of the ellipse u^2 + v^2 = rhoMax (same construction as the 3-sigma
     * box; unbounded when that ellipse reaches the camera plane) and the low-pass disc |x - c|^2 <= rhoMax / 2. It is
     * wider than the 3-sigma box for opacities above ~0.35, which is why the original still evaluates every pixel of
     * a tile. Writes (xMin, yMin, xMax, yMax); an empty box when rhoMax < 0.
     */
    public void pixelBox(double rhoMax, double[] out) {
        if (!(rhoMax >= 0)) {
            out[0] = out[1] = Double.POSITIVE_INFINITY;
            out[2] = out[3] = Double.NEGATIVE_INFINITY;
            return;
        }
        double lowPass = Math.sqrt(rhoMax / SplatConstants.FILTER_INV_SQUARE);
        out[0] = centreX - lowPass;
        out[1] = centreY - lowPass;
        out[2] = centreX + lowPass;
        out[3] = centreY + lowPass;
        double d = rhoMax * (h[6] * h[6] + h[7] * h[7]) - h[8] * h[8];
        if (!(d < 0)) {
            out[0] = out[1] = Double.NEGATIVE_INFINITY;
            out[2] = out[3] = Double.POSITIVE_INFINITY;
            return;
        }
        double ex = (rhoMax * (h[0] * h[6] + h[1] * h[7]) - h[2] * h[8]) / d;
        double ey = (rhoMax * (h[3] * h[6] + h[4] * h[7]) - h[5] * h[8]) / d;
        double hx = Math.sqrt(Math.max(0, ex * ex - (rhoMax * (h[0] * h[0] + h[1] * h[1]) - h[2] * h[2]) / d));
        double hy = Math.sqrt(Math.max(0, ey * ey - (rhoMax * (h[3] * h[3] + h[4] * h[4]) - h[5] * h[5]) / d));
        out[0] = Math.min(out[0], ex - hx);
        out[1] = Math.min(out[1], ey - hy);
        out[2] = Math.max(out[2], ex + hx);
        out[3] = Math.max(out[3], ey + hy);
    }

    private static int clamp(int v, int max) {
        return Math.min(max, Math.max(0, v));
    }

    /**
     * Chain rule from the per-surfel image-space gradients to the surfel parameters; call after {@link #project} of
     * the same surfel. {@code gH} are dL/dH in the layout of {@link #h} (it is not modified).
     *
     * @param exactQuaternion true: differentiate through q / |q| (the truth); false: the gradient w.r.t. the
     *                        normalized quaternion, as the original CUDA code returns it
     */
    public void backward(CameraModel cam, double[] gH, double gCentreX, double gCentreY, double gnx, double gny,
            double gnz, boolean exactQuaternion) {
        System.arraycopy(gH, 0, gh, 0, 9);
        // Box centre: c_x = (t.(Tu o Tw)) / d, c_y = (t.(Tv o Tw)) / d, d = t.(Tw o Tw).
        if (gCentreX != 0 || gCentreY != 0) {
            double c2 = SplatConstants.CUTOFF * SplatConstants.CUTOFF;
            double d = c2 * (h[6] * h[6] + h[7] * h[7]) - h[8] * h[8];
            double[] tw = {c2 * h[6], c2 * h[7], -h[8]};
            for (int k = 0; k < 3; k++) {
                gh[k] += gCentreX * tw[k] / d;
                gh[3 + k] += gCentreY * tw[k] / d;
                double tk = k < 2 ? c2 : -1;
                gh[6 + k] += gCentreX * (tk * h[k] - 2 * centreX * tw[k]) / d
                        + gCentreY * (tk * h[3 + k] - 2 * centreY * tw[k]) / d;
            }
        }
        // Columns of H: h_u = K W a_u, h_v = K W a_v, h_w = K p_c. dL/d(column) = (gTu_k, gTv_k, gTw_k).
        double[] wr = cam.r;
        // K^T g = (fx g0, fy g1, cx g0 + cy g1 + g2), giving camera-frame gradients.
        double cux = cam.fx * gh[0];
        double cuy = cam.fy * gh[3];
        double cuz = cam.cx * gh[0] + cam.cy * gh[3] + gh[6];
        double cvx = cam.fx * gh[1];
        double cvy = cam.fy * gh[4];
        double cvz = cam.cx * gh[1] + cam.cy * gh[4] + gh[7];
        gCameraCentre[0] = cam.fx * gh[2];
        gCameraCentre[1] = cam.fy * gh[5];
        gCameraCentre[2] = cam.cx * gh[2] + cam.cy * gh[5] + gh[8];
        // Back to the world frame with W^T.
        double aux = wr[0] * cux + wr[3] * cuy + wr[6] * cuz;
        double auy = wr[1] * cux + wr[4] * cuy + wr[7] * cuz;
        double auz = wr[2] * cux + wr[5] * cuy + wr[8] * cuz;
        double avx = wr[0] * cvx + wr[3] * cvy + wr[6] * cvz;
        double avy = wr[1] * cvx + wr[4] * cvy + wr[7] * cvz;
        double avz = wr[2] * cvx + wr[5] * cvy + wr[8] * cvz;
        gPosition[0] = wr[0] * gCameraCentre[0] + wr[3] * gCameraCentre[1] + wr[6] * gCameraCentre[2];
        gPosition[1] = wr[1] * gCameraCentre[0] + wr[4] * gCameraCentre[1] + wr[7] * gCameraCentre[2];
        gPosition[2] = wr[2] * gCameraCentre[0] + wr[5] * gCameraCentre[1] + wr[8] * gCameraCentre[2];
        // a_u = s_u t_u, a_v = s_v t_v.
        gScale[0] = aux * rot[0] + auy * rot[3] + auz * rot[6];
        gScale[1] = avx * rot[1] + avy * rot[4] + avz * rot[7];
        // dL/dR, column by column: tangents and the (flipped) normal n_c = flip * W t_w.
        double[] gR = gh; // reuse: gh is no longer needed
        double gwx = flip * (wr[0] * gnx + wr[3] * gny + wr[6] * gnz);
        double gwy = flip * (wr[1] * gnx + wr[4] * gny + wr[7] * gnz);
        double gwz = flip * (wr[2] * gnx + wr[5] * gny + wr[8] * gnz);
        gR[0] = su * aux;
        gR[3] = su * auy;
        gR[6] = su * auz;
        gR[1] = sv * avx;
        gR[4] = sv * avy;
        gR[7] = sv * avz;
        gR[2] = gwx;
        gR[5] = gwy;
        gR[8] = gwz;
        Quaternions.matrixGradient(qw, qx, qy, qz, gR, gRotation);
        if (exactQuaternion) {
            // q_hat = q / |q|: dL/dq = (g - q_hat (q_hat . g)) / |q|.
            double dot = qw * gRotation[0] + qx * gRotation[1] + qy * gRotation[2] + qz * gRotation[3];
            gRotation[0] = (gRotation[0] - qw * dot) / qNorm;
            gRotation[1] = (gRotation[1] - qx * dot) / qNorm;
            gRotation[2] = (gRotation[2] - qy * dot) / qNorm;
            gRotation[3] = (gRotation[3] - qz * dot) / qNorm;
        }
    }

    /**
     * The densification statistic: |dL/d(projected centre)| in NDC units, where the centre moves parallel to the
     * image plane at fixed depth (u = fx x / z + cx, so du = fx dx / z) and one NDC unit is W/2 (H/2) pixels. Call
     * after {@link #backward}, which must have received the complete gradients of this surfel.
     */
    public double screenGradient(CameraModel cam) {
        double gu = gCameraCentre[0] * pcz / cam.fx * (0.5 * cam.width);
        double gv = gCameraCentre[1] * pcz / cam.fy * (0.5 * cam.height);
        return Math.sqrt(gu * gu + gv * gv);
    }
}
