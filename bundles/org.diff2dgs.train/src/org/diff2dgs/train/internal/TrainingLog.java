package org.diff2dgs.train.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diff2dgs.core.api.StorageException;
import org.diff2dgs.core.io.AtomicFiles;
import org.diff2dgs.core.io.DiskSpace;

/**
 * The training curve as CSV, one row every few iterations. On resume, rows after the checkpoint are dropped so the
 * curve of a resumed run equals that of an uninterrupted one.
 */
final class TrainingLog implements AutoCloseable {

    static final String HEADER = "iteration,loss,l1,ssim,depth_loss,depth_weight,psnr,surfels,seconds";

    private final Path file;
    private final BufferedWriter out;

    TrainingLog(Path file, int resumeIteration) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            List<String> keep = new ArrayList<>();
            keep.add(HEADER);
            if (resumeIteration > 0 && Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int comma = line.indexOf(',');
                    if (comma > 0 && Character.isDigit(line.charAt(0))
                            && Integer.parseInt(line.substring(0, comma)) <= resumeIteration) {
                        keep.add(line);
                    }
                }
            }
            AtomicFiles.writeString(file, String.join("\n", keep) + "\n");
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw storage(e);
        }
    }

    private StorageException storage(IOException e) {
        return new StorageException(file, "cannot write the training log: " + e.getMessage() + " ("
                + DiskSpace.describeFree(file) + " there)", e);
    }

    void row(int iteration, double loss, double l1, double ssim, double depthLoss, double depthWeight, double psnr,
            int surfels, double seconds) {
        try {
            out.write(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.4f,%.3f,%d,%.2f%n", iteration, loss, l1, ssim,
                    depthLoss, depthWeight, psnr, surfels, seconds));
        } catch (IOException e) {
            throw storage(e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw storage(e);
        }
    }
}
