package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.diff2dgs.app.headless.internal.Cli;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The d2dgs command line, end to end inside the OSGi runtime with the real DS services. */
class CommandLineTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(Services.catalog(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new AtomicBoolean(), false).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void infoListsBundlesAndBackendsAsJson() throws Exception {
        Result r = run("info", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject info = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(info.getAsJsonArray("bundles").size() > 10);
        assertTrue(info.get("cores").getAsInt() >= 1);
        assertTrue(r.out().contains("org.diff2dgs.core"));
    }

    @Test
    void infoPrintsATable() throws Exception {
        Result r = run("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Compute backends"));
        assertTrue(r.out().contains("Services:"));
    }

    @Test
    void unknownSubcommandIsAUserErrorWithOneLineAndNoStackTrace() throws Exception {
        Result r = run("reconstruct-everything");
        assertEquals(Cli.USER_ERROR, r.code());
        assertTrue(r.err().startsWith("d2dgs: "), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void unknownOptionIsAUserError() throws Exception {
        Result r = run("info", "--frobnicate");
        assertEquals(Cli.USER_ERROR, r.code());
        assertTrue(r.err().contains("--frobnicate"), r.err());
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        Result help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("info"));
        for (String sub : new String[] {"info", "synth", "validate", "inpaint", "run", "train", "render", "snapshot",
                "eval", "batch", "selftest", "bench", "config"}) {
            Result h = run(sub, "--help");
            assertEquals(0, h.code(), sub + ": " + h.err());
            assertTrue(h.out().contains("Usage: d2dgs " + sub), sub + ": " + h.out());
        }
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("d2dgs "), version.out());
    }

    @Test
    void aDryRunListsTheCellsAndFailsOnAMissingDatasetAsTheRunWould(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("exp.yaml");
        java.nio.file.Files.writeString(file, String.join("\n", "name: dry", "preset: cpu", "backend: cpu",
                "scenes:", "  - name: gone", "    path: no-such-clip", "methods:", "  - name: base", ""));
        Result r = run("batch", file.toString(), "--dry-run");
        assertEquals(Cli.USER_ERROR, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gone/base") && r.out().contains("pending"), r.out());
        assertTrue(r.err().contains("exp.yaml") && r.err().contains("dataset folder not found"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
