package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.dataset.synthetic.internal.TissueSceneGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneOptionsTest {

    private static final String[] KEYS = {"camera", "instruments", "noise", "depthNoise", "holes", "specular",
        "motion", "shadows", "correspondence"};

    @TempDir
    Path dir;

    private final TissueSceneGenerator generator = new TissueSceneGenerator();

    @Test
    void isTheTissueGeneratorAndDescribesEveryOption() {
        assertEquals("tissue", generator.name());
        for (String key : KEYS) {
            assertTrue(generator.description().contains(key + "="), "description documents " + key);
        }
    }

    @Test
    void unknownOptionIsRejectedNamingItAndTheAllowedOnes() {
        UserInputException e = assertThrows(UserInputException.class, () -> write("a", Map.of("instrument", "2")));
        assertTrue(e.getMessage().contains("'instrument'"), e.getMessage());
        for (String key : KEYS) {
            assertTrue(e.getMessage().contains(key), "message lists " + key + ": " + e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("a")), "nothing is written for a bad request");
    }

    @Test
    void badValuesAreRejectedWithTheOptionName() {
        assertMessage(Map.of("instruments", "3"), "instruments");
        assertMessage(Map.of("camera", "wobbly"), "camera");
        assertMessage(Map.of("noise", "loud"), "noise");
        assertMessage(Map.of("holes", "0.9"), "holes");
        assertMessage(Map.of("specular", "-1"), "specular");
        assertMessage(Map.of("shadows", "maybe"), "shadows");
        assertMessage(Map.of("correspondence", "perhaps"), "correspondence");
    }

    @Test
    void refusesANonEmptyFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(folder.resolve("notes.txt"), "keep me");
        UserInputException e = assertThrows(UserInputException.class, () -> write("busy", Map.of()));
        assertEquals(folder, e.file());
        assertEquals("keep me", Files.readString(folder.resolve("notes.txt")));
    }

    @Test
    void reportsProgressPerFrameAndStopsWhenCancelled() {
        AtomicLong total = new AtomicLong();
        AtomicLong worked = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        generator.write(dir.resolve("p"), new SceneSpec(1, 5, 32, 24, Map.of()), new Recorder(total, worked, done,
                Long.MAX_VALUE));
        assertEquals(5, total.get());
        assertEquals(5, worked.get());
        assertEquals(1, done.get());

        AtomicLong worked2 = new AtomicLong();
        assertThrows(CancelledException.class, () -> generator.write(dir.resolve("c"), new SceneSpec(1, 40, 32, 24,
                Map.of()), new Recorder(new AtomicLong(), worked2, new AtomicInteger(), 2)));
        assertTrue(worked2.get() < 40, "stopped early after " + worked2.get() + " frames");
        assertFalse(Files.exists(dir.resolve("c").resolve("scene.json")), "an interrupted scene is not complete");
        // nothing is written after the cancellation has returned (frames of a parallel stream kept going)
        List<Path> atReturn = files(dir.resolve("c"));
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertEquals(atReturn, files(dir.resolve("c")));
    }

    private static List<Path> files(Path folder) {
        try (java.util.stream.Stream<Path> s = Files.walk(folder)) {
            return s.sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertMessage(Map<String, String> options, String key) {
        UserInputException e = assertThrows(UserInputException.class, () -> write("x", options));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    private void write(String name, Map<String, String> options) {
        generator.write(dir.resolve(name), new SceneSpec(1, 2, 32, 24, options), Progress.NONE);
    }

    /** Counts calls; says cancelled once {@code cancelAfter} units were reported. */
    private record Recorder(AtomicLong total, AtomicLong worked, AtomicInteger finished, long cancelAfter)
            implements Progress {

        @Override
        public void begin(String task, long totalWork) {
            total.set(totalWork);
        }

        @Override
        public void worked(long units, String status) {
            worked.addAndGet(units);
        }

        @Override
        public boolean isCancelled() {
            return worked.get() >= cancelAfter;
        }

        @Override
        public void done() {
            finished.incrementAndGet();
        }
    }
}
