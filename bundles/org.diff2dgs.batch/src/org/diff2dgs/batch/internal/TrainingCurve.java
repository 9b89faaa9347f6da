package org.diff2dgs.batch.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cell's training curve from train/log.csv (iteration,loss,l1,ssim,depth_loss,depth_weight,psnr,surfels,seconds),
 * columns found by header name. A resumed run appends to the same log, so iterations may repeat after a kill: the
 * last value of an iteration wins, keeping the curve a function of the iteration.
 */
record TrainingCurve(double[] iteration, double[] loss, double[] psnr) {

    static TrainingCurve read(Path logCsv) {
        if (!Files.isRegularFile(logCsv)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(logCsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        if (lines.isEmpty()) {
            return null;
        }
        List<String> header = Arrays.asList(lines.get(0).trim().split(","));
        int it = header.indexOf("iteration");
        int loss = header.indexOf("loss");
        int psnr = header.indexOf("psnr");
        if (it < 0 || (loss < 0 && psnr < 0)) {
            return null;
        }
        java.util.TreeMap<Double, double[]> rows = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split(",");
            try {
                double i = Double.parseDouble(f[it]);
                double l = loss >= 0 && loss < f.length ? Double.parseDouble(f[loss]) : Double.NaN;
                double p = psnr >= 0 && psnr < f.length ? Double.parseDouble(f[psnr]) : Double.NaN;
                rows.put(i, new double[] {l, p});
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // a line cut by a kill mid-write, or a repeated header: skip it
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        double[] x = new double[rows.size()];
        double[] l = new double[rows.size()];
        double[] p = new double[rows.size()];
        int k = 0;
        for (var e : rows.entrySet()) {
            x[k] = e.getKey();
            l[k] = e.getValue()[0];
            p[k] = e.getValue()[1];
            k++;
        }
        return new TrainingCurve(x, l, p);
    }

    static List<Double> list(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double v : a) {
            l.add(v);
        }
        return l;
    }
}
