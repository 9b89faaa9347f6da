package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.diff2dgs.cuda.internal.driver.KernelBuild;
import org.junit.jupiter.api.Test;

/**
 * The committed fatbin is built from the committed sources: fatbin/SOURCES.sha256 holds the hash that
 * releng/scripts/build-fatbin.sh computed from cuda/ (flags file included), and it must match the sources now.
 */
class FatbinUpToDateTest {

    private static final String REBUILD = "run releng/scripts/build-fatbin.sh and commit bundles/org.diff2dgs.cuda/fatbin";

    @Test
    void committedFatbinMatchesTheSources() throws IOException {
        Path bundle = CudaBundleFiles.bundle();
        String recorded = Files.readAllLines(bundle.resolve("fatbin/SOURCES.sha256")).get(0).strip();
        String actual = sourcesHash(bundle.resolve("cuda"));
        assertEquals(recorded, actual, "fatbin/ was built from other sources than cuda/ holds now (SOURCES.sha256 "
                + recorded + ", cuda/ hashes to " + actual + "): " + REBUILD);
    }

    @Test
    void everySourceHasItsModule() throws IOException {
        Path bundle = CudaBundleFiles.bundle();
        List<String> stems;
        try (Stream<Path> files = Files.list(bundle.resolve("cuda"))) {
            stems = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
        assertFalse(stems.isEmpty());
        List<String> listed = Files.readAllLines(bundle.resolve("fatbin/modules.txt")).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        assertEquals(stems, listed, "fatbin/modules.txt does not list the cuda/*.cu modules: " + REBUILD);
        for (String stem : stems) {
            Path fatbin = bundle.resolve("fatbin/" + stem + ".fatbin");
            assertTrue(Files.isRegularFile(fatbin), fatbin + " missing: " + REBUILD);
            byte[] head = new byte[4];
            System.arraycopy(Files.readAllBytes(fatbin), 0, head, 0, 4);
            // fatbin container magic 0xBA55ED50, little-endian
            assertEquals("50ed55ba", HexFormat.of().formatHex(head), fatbin + " is not a fatbin");
        }
    }

    @Test
    void buildRecordAgreesWithWhatMessagesSay() throws IOException {
        Path bundle = CudaBundleFiles.bundle();
        String flags = Files.readString(bundle.resolve("cuda/nvcc-flags.txt"));
        assertTrue(flags.contains("code=sm_80") && flags.contains("code=sm_90") && flags.contains("code=compute_90"),
                flags);
        assertEquals(80, KernelBuild.MIN_COMPUTE_CAPABILITY);
        assertFalse(flags.contains("use_fast_math"), "docs/decisions/0005-cuda-kernels.md: no global fast math");
        String nvcc = Files.readAllLines(bundle.resolve("fatbin/SOURCES.sha256")).stream()
                .filter(l -> l.startsWith("nvcc ")).findFirst().orElseThrow();
        assertTrue(nvcc.startsWith("nvcc " + KernelBuild.CUDA_VERSION + "."), nvcc + " vs KernelBuild.CUDA_VERSION "
                + KernelBuild.CUDA_VERSION);
    }

    /** The hash of build-fatbin.sh: per file of cuda/ in name order: name, NUL, content, NUL. */
    static String sourcesHash(Path cudaDir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(cudaDir)) {
            files = s.filter(Files::isRegularFile).sorted((a, b) -> compareBytes(a, b)).toList();
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path f : files) {
            all.write(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            all.write(0);
            all.write(Files.readAllBytes(f));
            all.write(0);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static int compareBytes(Path a, Path b) {
        return java.util.Arrays.compareUnsigned(a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                b.getFileName().toString().getBytes(StandardCharsets.UTF_8));
    }
}
