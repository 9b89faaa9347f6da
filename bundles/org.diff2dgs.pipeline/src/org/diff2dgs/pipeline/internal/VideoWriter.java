package org.diff2dgs.pipeline.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.diff2dgs.core.io.DiskSpace;
import org.diff2dgs.core.model.FloatImage;
import org.jcodec.api.SequenceEncoder;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * H.264 MP4 through JCodec's pure-Java encoder (no external ffmpeg), written to a temporary file and renamed by
 * {@link #finish()}; closed without it (an error, a cancel) the temporary file is removed, so no partial video is
 * left. Frames are side-by-side panels (e.g. input | render); odd sizes are cropped to even, as 4:2:0 needs.
 */
final class VideoWriter implements AutoCloseable {

    private final Path target;
    private final Path tmp;
    private final SequenceEncoder encoder;
    private Picture picture;
    private boolean finished;

    VideoWriter(Path target, int fps) {
        this.target = target;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
            encoder = SequenceEncoder.createSequenceEncoder(tmp.toFile(), fps);
        } catch (IOException e) {
            throw DiskSpace.failure(target, "cannot write the video", e);
        }
    }

    /** Adds one frame made of the given panels placed left to right (all of the same height). */
    void add(FloatImage... panels) {
        int h = panels[0].height() & ~1;
        int w = 0;
        for (FloatImage p : panels) {
            w += p.width();
        }
        w &= ~1;
        if (picture == null) {
            picture = Picture.create(w, h, ColorSpace.RGB);
        }
        byte[] rgb = picture.getPlaneData(0);
        int x0 = 0;
        for (FloatImage p : panels) {
            int plane = p.pixels();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < p.width() && x0 + x < w; x++) {
                    int o = 3 * (y * w + x0 + x);
                    for (int c = 0; c < 3; c++) {
                        float v = p.channels() == 3 ? p.data()[c * plane + y * p.width() + x]
                                : p.data()[y * p.width() + x];
                        // JCodec stores samples as (value - 128) in signed bytes
                        rgb[o + c] = (byte) (Math.round(Math.min(1f, Math.max(0f, v)) * 255f) - 128);
                    }
                }
            }
            x0 += p.width();
        }
        try {
            encoder.encodeNativeFrame(picture);
        } catch (IOException e) {
            throw DiskSpace.failure(target, "cannot write a video frame", e);
        }
    }

    /** Completes the video and moves it into place. */
    void finish() {
        try {
            encoder.finish();
            org.diff2dgs.core.io.AtomicFiles.shareable(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            finished = true;
        } catch (IOException e) {
            throw DiskSpace.failure(target, "cannot finish the video", e);
        }
    }

    /** Removes the temporary file unless {@link #finish()} moved it into place. */
    @Override
    public void close() {
        if (!finished) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the error that stopped the video matters more
            }
        }
    }
}
