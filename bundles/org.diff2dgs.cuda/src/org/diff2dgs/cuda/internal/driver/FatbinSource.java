package org.diff2dgs.cuda.internal.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the kernel modules come from: the bundle's fatbin/ folder, or the folder named by the system property
 * {@value #DIR_PROPERTY} (freshly built kernels tested with an already packed product). fatbin/modules.txt lists the
 * module stems, one per line; each is fatbin/&lt;stem&gt;.fatbin.
 */
public final class FatbinSource {

    public static final String DIR_PROPERTY = "d2dgs.cuda.fatbinDir";

    private final Path dir;

    private FatbinSource(Path dir) {
        this.dir = dir;
    }

    /** The folder of the system property when set, else the bundle's resources. */
    public static FatbinSource fromSystem() {
        String d = System.getProperty(DIR_PROPERTY);
        return d == null || d.isBlank() ? bundled() : folder(Path.of(d));
    }

    public static FatbinSource bundled() {
        return new FatbinSource(null);
    }

    public static FatbinSource folder(Path dir) {
        return new FatbinSource(dir);
    }

    /** Where the modules are read from, for messages and the info command. */
    public String describe() {
        return dir == null ? "bundle org.diff2dgs.cuda, fatbin/" : dir.toString() + " (-D" + DIR_PROPERTY + ")";
    }

    /** Module stems in load order. */
    public List<String> modules() {
        byte[] list = read("modules.txt");
        List<String> stems = new ArrayList<>();
        for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                stems.add(s);
            }
        }
        if (stems.isEmpty()) {
            throw new CudaUnavailableException("CUDA kernels missing: modules.txt in " + describe() + " lists none");
        }
        return stems;
    }

    /** The fatbin image of one module. */
    public byte[] module(String stem) {
        return read(stem + ".fatbin");
    }

    private byte[] read(String name) {
        try {
            if (dir != null) {
                Path p = dir.resolve(name);
                if (!Files.isRegularFile(p)) {
                    throw new CudaUnavailableException("CUDA kernels missing: " + p + " not found (-D" + DIR_PROPERTY
                            + ")");
                }
                return Files.readAllBytes(p);
            }
            try (InputStream in = FatbinSource.class.getResourceAsStream("/fatbin/" + name)) {
                if (in == null) {
                    throw new CudaUnavailableException("CUDA kernels missing: fatbin/" + name
                            + " is not in the bundle (run releng/scripts/build-fatbin.sh)");
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new CudaUnavailableException("CUDA kernels unreadable: " + name + " in " + describe() + ": "
                    + e.getMessage(), null, e);
        }
    }
}
