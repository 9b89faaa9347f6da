package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {

    @TempDir
    Path dir;

    @Test
    void sameSeedGivesByteIdenticalFiles() throws IOException {
        Map<String, String> options = Map.of("camera", "moving", "instruments", "2");
        Path a = Scenes.generate(dir.resolve("a"), 5, 4, 80, 64, options);
        Path b = Scenes.generate(dir.resolve("b"), 5, 4, 80, 64, options);
        List<Path> files = files(a);
        assertEquals(files, files(b));
        assertEquals(4 * 5 + 2, files.size());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        }
    }

    @Test
    void anotherSeedGivesAnotherScene() throws IOException {
        Path a = Scenes.generate(dir.resolve("a"), 5, 1, 80, 64, Map.of());
        Path c = Scenes.generate(dir.resolve("c"), 6, 1, 80, 64, Map.of());
        Path image = Path.of("gt/images/frame-000000.color.png");
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve(image)), Files.readAllBytes(c.resolve(image))));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
