package org.diff2dgs.ui.internal.tour;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

/** Pictures of a window as the screen shows it (OpenGL content included), written as PNG via a temp file. */
final class Screenshots {

    private Screenshots() {
    }

    static void shell(Shell shell, Path file) throws java.io.IOException {
        Display display = shell.getDisplay();
        Rectangle b = shell.getBounds().intersection(display.getBounds());
        Image img = new Image(display, b.width, b.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(img, b.x, b.y);
        } finally {
            gc.dispose();
        }
        try {
            ImageLoader loader = new ImageLoader();
            loader.data = new org.eclipse.swt.graphics.ImageData[] {img.getImageData()};
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            loader.save(tmp.toString(), SWT.IMAGE_PNG);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            img.dispose();
        }
    }
}
