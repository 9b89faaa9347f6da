package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.diff2dgs.app.headless.internal.Cli;
import org.diff2dgs.app.headless.tests.CommandLineTest.Result;
import org.diff2dgs.core.api.ComputeBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --backend cuda|cpu|auto with the product's GPU feature installed: where the cuda backend cannot run (no driver),
 * asking for it is a one-line user error with the reason, auto takes the CPU and says why, and info and selftest show
 * the backend's state.
 */
class BackendOptionTest {

    /** The cuda backend's reason for being unavailable here; the tests below are about a machine without a GPU. */
    private static String cudaUnavailable() throws InterruptedException {
        ComputeBackend cuda = Services.catalog().computeBackend("cuda")
                .orElseThrow(() -> new AssertionError("the cuda backend is not installed in the test runtime"));
        assumeTrue(cuda.unavailableReason() != null, "the cuda backend can run on this machine");
        return cuda.unavailableReason();
    }

    @Test
    void cudaWithoutGpuIsAUserErrorWithTheReason(@TempDir Path dir) throws Exception {
        String reason = cudaUnavailable();
        Path scene = dir.resolve("scene");
        assertEquals(0, CommandLineTest.run("synth", scene.toString(), "--frames", "6", "--size", "32x24").code());
        for (String command : new String[] {"run", "train"}) {
            Result r = CommandLineTest.run(command, scene.toString(), "--out", dir.resolve(command).toString(),
                    "--iterations", "5", "--backend", "cuda");
            assertEquals(Cli.USER_ERROR, r.code(), command + ": " + r.err());
            assertEquals("d2dgs: backend 'cuda' is not available here: " + reason, r.err().strip(), command);
        }
        Result unknown = CommandLineTest.run("train", scene.toString(), "--out", dir.resolve("u").toString(),
                "--backend", "quantum");
        assertEquals(Cli.USER_ERROR, unknown.code());
        assertTrue(unknown.err().contains("unknown backend 'quantum'") && unknown.err().contains("auto"),
                unknown.err());
    }

    @Test
    void autoTakesTheCpuAndSaysWhy(@TempDir Path dir) throws Exception {
        String reason = cudaUnavailable();
        Path scene = dir.resolve("scene");
        assertEquals(0, CommandLineTest.run("synth", scene.toString(), "--frames", "6", "--size", "32x24").code());
        Path run = dir.resolve("run");
        Result r = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations", "5",
                "--backend", "auto");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("d2dgs: backend auto: cpu on CPU") && r.err().contains("(cuda: " + reason + ")"),
                r.err());
    }

    @Test
    void infoAndSelftestShowTheCudaState() throws Exception {
        String reason = cudaUnavailable();
        Result info = CommandLineTest.run("info");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().lines().anyMatch(l -> l.strip().startsWith("cuda") && l.contains("missing")
                && l.contains(reason)), info.out());
        Result selftest = CommandLineTest.run("selftest", "--backend", "cuda");
        assertEquals(Cli.USER_ERROR, selftest.code());
        assertEquals("d2dgs: backend 'cuda' cannot run its kernel checks here: " + reason, selftest.err().strip());
        Result nothing = CommandLineTest.run("selftest");
        assertEquals(Cli.USER_ERROR, nothing.code());
        assertTrue(nothing.err().contains("--golden"), nothing.err());
    }

    @Test
    void benchWithoutGpuSaysWhy() throws Exception {
        String reason = cudaUnavailable();
        Result any = CommandLineTest.run("bench");
        assertEquals(Cli.USER_ERROR, any.code());
        assertEquals("d2dgs: no benchmark can run here (cuda: " + reason + ")", any.err().strip());
        Result cuda = CommandLineTest.run("bench", "--backend", "cuda");
        assertEquals(Cli.USER_ERROR, cuda.code());
        assertEquals("d2dgs: backend 'cuda' cannot be benchmarked here: " + reason, cuda.err().strip());
        Result bad = CommandLineTest.run("bench", "--surfels", "0");
        assertEquals(Cli.USER_ERROR, bad.code());
        assertTrue(bad.err().contains("surfel counts must be positive"), bad.err());
    }
}
