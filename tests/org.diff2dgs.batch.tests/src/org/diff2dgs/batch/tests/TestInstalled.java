package org.diff2dgs.batch.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.diff2dgs.batch.internal.config.Installed;

/** A fixed set of installed names; a folder counts as a dataset when it holds poses_bounds.npy (EndoNeRF layout). */
public final class TestInstalled implements Installed {

    @Override
    public Set<String> protocols() {
        return Set.of("deform3dgs", "diff2dgs-code", "masked-mean", "occluded");
    }

    @Override
    public Set<String> metrics() {
        return Set.of("psnr", "ssim", "lpips", "depth-rmse");
    }

    @Override
    public Set<String> deformationModels() {
        return Set.of("gaussian-basis", "mlp");
    }

    @Override
    public Set<String> formats() {
        return Set.of("endonerf");
    }

    @Override
    public Set<String> backends() {
        // as CatalogInstalled: auto is always a valid choice
        return Set.of("cpu", "auto");
    }

    @Override
    public Set<String> sceneGenerators() {
        return Set.of("tissue");
    }

    @Override
    public Set<String> inpainters() {
        return Set.of("propagate", "oracle");
    }

    @Override
    public boolean recognizes(Path folder) {
        return Files.isRegularFile(folder.resolve("poses_bounds.npy"));
    }
}
