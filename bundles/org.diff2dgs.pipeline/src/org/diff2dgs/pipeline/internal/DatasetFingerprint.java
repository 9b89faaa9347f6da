package org.diff2dgs.pipeline.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.diff2dgs.core.api.UserInputException;

/**
 * SHA-256 over every file of a dataset folder (relative path, size and content, in sorted order), so a run notices
 * when the data behind it changed instead of silently reusing results.
 */
final class DatasetFingerprint {

    private DatasetFingerprint() {
    }

    static String of(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Path f : files) {
                md.update(folder.relativize(f).toString().replace('\\', '/').getBytes());
                md.update(Long.toString(Files.size(f)).getBytes());
                try (InputStream in = Files.newInputStream(f)) {
                    int r;
                    while ((r = in.read(buffer)) > 0) {
                        md.update(buffer, 0, r);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.nio.file.NoSuchFileException e) {
            // a run folder whose clip was deleted or moved: exit 2 with UncheckedIOException before
            throw new UserInputException(folder, "dataset folder not found (the run's inputs are checked against "
                    + "it before anything is reused)");
        } catch (IOException e) {
            throw new UserInputException(folder, "cannot read the dataset: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
