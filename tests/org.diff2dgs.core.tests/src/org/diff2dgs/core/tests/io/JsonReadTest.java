package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a damaged JSON file (run.json, meta.json, a manifest) says when it is read. */
class JsonReadTest {

    /** Binary garbage inside a JSON file: the message says it is not UTF-8, not "Input length = 1". */
    @Test
    void aFileThatIsNotUtf8IsNamedAsSuch(@TempDir Path dir) throws IOException {
        byte[] junk = new byte[64];
        new Random(23).nextBytes(junk);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"datasetPath\": \"".getBytes(StandardCharsets.UTF_8));
        for (byte b : junk) {
            bytes.write(0x80 | (b & 0x3f)); // continuation bytes without a lead byte: never valid UTF-8
        }
        bytes.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("run.json");
        Files.write(file, bytes.toByteArray());
        UserInputException e = assertThrows(UserInputException.class, () -> Json.read(file, java.util.Map.class));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }
}
