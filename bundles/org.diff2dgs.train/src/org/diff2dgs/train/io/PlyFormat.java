package org.diff2dgs.train.io;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.AtomicFiles;
import org.diff2dgs.core.model.GaussianModel;

/**
 * Surfels as the binary little-endian PLY that 3DGS/2DGS viewers read: x y z, nx ny nz, f_dc_0..2, f_rest_*
 * (channel-major like the reference code), opacity (logit), scale_0 scale_1 (log), rot_0..3 (w x y z).
 */
public final class PlyFormat {

    private PlyFormat() {
    }

    public static void write(Path file, GaussianModel m) {
        write(file, m.count(), m.shDegree(), m.positions(), m.rotations(), m.logScales(), m.opacityLogits(), m.sh());
    }

    private static void write(Path file, int n, int shDegree, float[] pos, float[] rot, float[] logScale, float[] opacityLogit,
            float[] sh) {
        int k = GaussianModel.shCoefficients(shDegree);
        List<String> props = properties(k);
        StringBuilder header = new StringBuilder("ply\nformat binary_little_endian 1.0\n");
        header.append("comment written by the Diff2DGS Workbench (2DGS surfels: two scales)\n");
        header.append("element vertex ").append(n).append('\n');
        for (String p : props) {
            header.append("property float ").append(p).append('\n');
        }
        header.append("end_header\n");
        AtomicFiles.write(file, out -> {
            out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
            ByteBuffer row = ByteBuffer.allocate(props.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            DataOutputStream data = new DataOutputStream(out);
            for (int i = 0; i < n; i++) {
                row.clear();
                row.putFloat(pos[3 * i]).putFloat(pos[3 * i + 1]).putFloat(pos[3 * i + 2]);
                row.putFloat(0).putFloat(0).putFloat(0);
                for (int c = 0; c < 3; c++) {
                    row.putFloat(sh[(i * k) * 3 + c]);
                }
                for (int c = 0; c < 3; c++) {
                    for (int j = 1; j < k; j++) {
                        row.putFloat(sh[(i * k + j) * 3 + c]);
                    }
                }
                row.putFloat(opacityLogit[i]);
                row.putFloat(logScale[2 * i]).putFloat(logScale[2 * i + 1]);
                for (int c = 0; c < 4; c++) {
                    row.putFloat(rot[4 * i + c]);
                }
                data.write(row.array(), 0, row.position());
            }
            data.flush();
        });
    }

    private static List<String> properties(int k) {
        List<String> p = new ArrayList<>(List.of("x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"));
        for (int j = 0; j < 3 * (k - 1); j++) {
            p.add("f_rest_" + j);
        }
        p.add("opacity");
        p.add("scale_0");
        p.add("scale_1");
        for (int j = 0; j < 4; j++) {
            p.add("rot_" + j);
        }
        return p;
    }

    /** Reads a PLY written by {@link #write} (or by 2DGS code with the same properties). */
    public static GaussianModel read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            StringBuilder line = new StringBuilder();
            List<String> props = new ArrayList<>();
            int n = -1;
            while (true) {
                int ch = in.read();
                if (ch < 0) {
                    throw new UserInputException(file, "truncated PLY header");
                }
                if (ch != '\n') {
                    line.append((char) ch);
                    if (line.length() > 4096) {
                        throw new UserInputException(file, "PLY header line too long");
                    }
                    continue;
                }
                String l = line.toString().trim();
                line.setLength(0);
                if (l.startsWith("format") && !l.contains("binary_little_endian")) {
                    throw new UserInputException(file, "only binary little-endian PLY is supported, got '" + l + "'");
                } else if (l.startsWith("element vertex")) {
                    n = Integer.parseInt(l.substring("element vertex".length()).trim());
                } else if (l.startsWith("property")) {
                    String[] w = l.split("\\s+");
                    if (w.length != 3) {
                        throw new UserInputException(file, "malformed PLY property line '" + l
                                + "', expected 'property float <name>'");
                    }
                    if (!w[1].equals("float")) {
                        throw new UserInputException(file, "property " + w[w.length - 1] + " is not float");
                    }
                    props.add(w[w.length - 1]);
                } else if (l.equals("end_header")) {
                    break;
                }
            }
            if (n < 0) {
                throw new UserInputException(file, "PLY has no vertex element");
            }
            int rest = (int) props.stream().filter(p -> p.startsWith("f_rest_")).count();
            int k = rest / 3 + 1;
            int degree = (int) Math.round(Math.sqrt(k)) - 1;
            if (degree > 3 || GaussianModel.shCoefficients(degree) != k || !props.equals(properties(k))) {
                throw new UserInputException(file, "unexpected PLY properties " + props);
            }
            // the count comes from the file: check it before it sizes anything
            long bodyBytes = (long) n * props.size() * 4;
            if (bodyBytes > Integer.MAX_VALUE - 8) {
                throw new UserInputException(file, "PLY header announces " + n + " surfels, too many to load ("
                        + bodyBytes + " bytes)");
            }
            byte[] bytes = in.readNBytes((int) bodyBytes);
            if (bytes.length != bodyBytes) {
                throw new UserInputException(file, "truncated PLY body: " + n + " surfels announced");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            GaussianModel m = GaussianModel.allocate(n, degree);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    m.positions()[3 * i + c] = b.getFloat();
                }
                b.getFloat();
                b.getFloat();
                b.getFloat();
                for (int c = 0; c < 3; c++) {
                    m.sh()[(i * k) * 3 + c] = b.getFloat();
                }
                for (int c = 0; c < 3; c++) {
                    for (int j = 1; j < k; j++) {
                        m.sh()[(i * k + j) * 3 + c] = b.getFloat();
                    }
                }
                m.opacityLogits()[i] = b.getFloat();
                m.logScales()[2 * i] = b.getFloat();
                m.logScales()[2 * i + 1] = b.getFloat();
                for (int c = 0; c < 4; c++) {
                    m.rotations()[4 * i + c] = b.getFloat();
                }
            }
            return m;
        } catch (IOException e) {
            throw new UserInputException(file, "cannot read PLY: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new UserInputException(file, "bad PLY header: " + e.getMessage(), e);
        }
    }
}
