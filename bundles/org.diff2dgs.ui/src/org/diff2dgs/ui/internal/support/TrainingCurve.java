package org.diff2dgs.ui.internal.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training log (train/log.csv, written by the trainer as it goes) as columns: iteration, loss, psnr, surfels.
 * A partly written last line is ignored, so the file can be read while training appends to it.
 */
public record TrainingCurve(double[] iteration, double[] loss, double[] psnr, double[] surfels) {

    public static TrainingCurve read(Path csv) {
        List<String> lines;
        try {
            lines = Files.isRegularFile(csv) ? Files.readAllLines(csv) : List.of();
        } catch (IOException e) {
            lines = List.of();
        }
        if (lines.isEmpty()) {
            return new TrainingCurve(new double[0], new double[0], new double[0], new double[0]);
        }
        List<String> header = List.of(lines.get(0).split(","));
        int it = header.indexOf("iteration");
        int loss = header.indexOf("loss");
        int psnr = header.indexOf("psnr");
        int surfels = header.indexOf("surfels");
        int n = 0;
        double[][] cols = new double[4][lines.size()];
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length < header.size()) {
                continue;
            }
            try {
                double[] row = {Double.parseDouble(f[it]), Double.parseDouble(f[loss]), Double.parseDouble(f[psnr]),
                        Double.parseDouble(f[surfels])};
                for (int c = 0; c < 4; c++) {
                    cols[c][n] = row[c];
                }
                n++;
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // a line being written: skip it
            }
        }
        return new TrainingCurve(java.util.Arrays.copyOf(cols[0], n), java.util.Arrays.copyOf(cols[1], n),
                java.util.Arrays.copyOf(cols[2], n), java.util.Arrays.copyOf(cols[3], n));
    }

    public int size() {
        return iteration.length;
    }
}
