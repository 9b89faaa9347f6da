package org.diff2dgs.batch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.diff2dgs.batch.api.BatchListener;
import org.diff2dgs.batch.api.BatchReport;
import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellOutcome;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.SlurmOptions;
import org.diff2dgs.batch.internal.Batch;
import org.diff2dgs.batch.internal.Launcher;
import org.diff2dgs.core.api.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes and SLURM arrays. The launcher here is a shell script standing in for d2dgs: for
 * {@code batch <file> --cell <id>} it copies that cell's folder from a batch run in-process beforehand, so the whole
 * path (dispatch, GPU per worker, exit codes, outcomes read back from disk, merge) runs without a JVM per cell.
 */
class ScaleOutTest {

    @TempDir
    Path dir;

    private Path fakeLauncher(Path template, Experiment e, String failingLabel) throws IOException {
        StringBuilder map = new StringBuilder();
        for (Cell c : e.cells()) {
            map.append(c.id()).append('\t').append(c.label()).append('\n');
        }
        Files.writeString(dir.resolve("cells.map"), map);
        String script = """
                #!/bin/sh
                # fake d2dgs: batch FILE --cell ID
                [ "$1" = batch ] && [ "$3" = --cell ] || exit 64
                echo "start $4 $(date +%s%N) $CUDA_VISIBLE_DEVICES $2" >> "%DIR%/calls.txt"
                label=$(awk -F'\\t' -v id="$4" '$1==id {print $2}' "%DIR%/cells.map")
                sleep 0.3
                echo "end $4 $(date +%s%N)" >> "%DIR%/calls.txt"
                case "$label" in %FAIL%) echo "simulated crash" >&2; exit 3;; esac
                mkdir -p "%OUT%/cells/$label"
                cp -r "%TEMPLATE%/cells/$label/." "%OUT%/cells/$label/"
                echo "cell $4 done"
                """.replace("%DIR%", dir.toString()).replace("%OUT%", e.out().toString())
                .replace("%TEMPLATE%", template.toString()).replace("%FAIL%", failingLabel);
        Path launcher = dir.resolve("d2dgs");
        Files.writeString(launcher, script);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    @Test
    void workersRunEachCellInItsOwnProcessOnItsOwnGpuAndTheReportEqualsAnInProcessBatch() throws Exception {
        Path oneFile = Fixtures.write(dir.resolve("one"), "grid.yaml", Fixtures.GRID_YAML);
        Batch inProcess = Fixtures.batch(new FakePipeline());
        BatchReport whole = inProcess.run(inProcess.load(oneFile), BatchListener.NONE);

        Path file = Fixtures.write(dir.resolve("workers"), "grid.yaml", Fixtures.GRID_YAML);
        Experiment e = Fixtures.batch(new FakePipeline()).load(file);
        Path launcher = fakeLauncher(whole.experiment().out(), e, "a/no-normal/seed-2");
        // one cell is already done: the pool must not start a process for it
        Path template = whole.experiment().out().resolve("cells/a/full/seed-1");
        Path done = e.out().resolve("cells/a/full/seed-1");
        Files.createDirectories(done);
        try (var s = Files.walk(template)) {
            for (Path p : s.toList()) {
                Path t = done.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        FakePipeline unused = new FakePipeline();
        Batch batch = new Batch(new TestInstalled(), unused, new Fixtures.CountingScenes(),
                () -> List.of(launcher.toString()));
        List<String> messages = new ArrayList<>();
        BatchReport r = batch.runWorkers(e, 2, new BatchListener() {
            @Override
            public synchronized void message(String text) {
                messages.add(text);
            }
        });
        assertTrue(unused.calls.isEmpty(), "cells run in the child processes, not here");

        List<String> calls = Files.readAllLines(dir.resolve("calls.txt"));
        List<String> starts = calls.stream().filter(l -> l.startsWith("start")).toList();
        assertEquals(7, starts.size(), "one process per unfinished cell: " + calls);
        Set<String> devices = new HashSet<>();
        for (String s : starts) {
            String[] f = s.split(" ");
            devices.add(f[3]);
            assertEquals(file.toAbsolutePath().normalize().toString(), f[4]);
        }
        // worker i sees device i, or the i-th of the devices this process was given
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        List<String> given = visible == null || visible.isBlank() ? List.of("0", "1")
                : List.of(visible.split(",")).stream().map(String::trim).toList();
        Set<String> expected = Set.of(given.get(0), given.get(1 % given.size()));
        assertEquals(expected, devices, "worker i sees GPU i");
        assertEquals(2, maxConcurrent(calls), "two workers at a time");
        assertEquals(7, messages.size());

        assertEquals(CellOutcome.Status.ALREADY_DONE, r.outcomes().get(0).status());
        assertEquals(6, r.count(CellOutcome.Status.RAN));
        CellOutcome failed = r.outcomes().get(e.cell("a/no-normal/seed-2").id());
        assertEquals(CellOutcome.Status.FAILED, failed.status());
        assertTrue(failed.message().contains("exited with code 3"), failed.message());
        assertTrue(Files.readString(e.out().resolve("logs/cell-" + failed.cell().id() + ".log"))
                .contains("simulated crash"));
        assertEquals(CellStatus.FAILED, batch.status(e, failed.cell()), "the crash is recorded for the merge");

        // apart from the crashed cell the results equal the in-process batch
        var mine = r.results().records().stream().filter(x -> !x.scene().equals("a") || !x.method().equals(
                "no-normal") || x.seed() != 2).toList();
        var theirs = whole.results().records().stream().filter(x -> !x.scene().equals("a") || !x.method().equals(
                "no-normal") || x.seed() != 2).toList();
        assertEquals(theirs, mine);
    }

    private static int maxConcurrent(List<String> calls) {
        List<long[]> events = new ArrayList<>();
        for (String l : calls) {
            String[] f = l.split(" ");
            events.add(new long[] {Long.parseLong(f[2]), l.startsWith("start") ? 1 : -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int max = 0;
        for (long[] ev : events) {
            now += (int) ev[1];
            max = Math.max(max, now);
        }
        return max;
    }

    @Test
    void slurmArrayHasOneTaskPerCellAndAMergeJob() throws Exception {
        Path file = Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML + """
                slurm:
                  time: "12:00:00"
                  partition: gpu
                  directives: ["--constraint=h100"]
                """);
        Batch batch = new Batch(new TestInstalled(), new FakePipeline(), new Fixtures.CountingScenes(),
                () -> List.of("/opt/d2dgs dir/d2dgs"));
        Experiment e = batch.load(file);
        Path out = dir.resolve("slurm");
        List<Path> files = batch.emitSlurm(e, out, e.slurm().withMemory("48G").withMaxParallel(3));
        assertEquals(List.of(out.resolve("cells.sbatch"), out.resolve("merge.sbatch"), out.resolve("cells.tsv")),
                files);
        String array = Files.readString(out.resolve("cells.sbatch"));
        assertTrue(array.startsWith("#!/bin/bash\n"));
        for (String line : List.of("#SBATCH --array=0-7%3", "#SBATCH --gres=gpu:1", "#SBATCH --time=12:00:00",
                "#SBATCH --mem=48G", "#SBATCH --partition=gpu", "#SBATCH --constraint=h100",
                "#SBATCH --cpus-per-task=8", "#SBATCH --output=" + e.out().resolve("logs") + "/slurm-%A_%a.log",
                "exec '/opt/d2dgs dir/d2dgs' batch '" + e.file() + "' --cell \"$SLURM_ARRAY_TASK_ID\"")) {
            assertTrue(array.contains(line + "\n"), line + " in\n" + array);
        }
        String merge = Files.readString(out.resolve("merge.sbatch"));
        assertTrue(merge.contains("batch '" + e.file() + "' --merge\n"), merge);
        assertTrue(!merge.contains("--gres"), "the merge needs no GPU");
        List<String> tsv = Files.readAllLines(out.resolve("cells.tsv"));
        assertEquals(9, tsv.size());
        assertEquals("7\tb\tno-normal\t2\t" + e.cell("7").folder(), tsv.get(8));
        assertTrue(Files.isExecutable(out.resolve("cells.sbatch")));
        assertTrue(Files.isDirectory(e.out().resolve("logs")), "SLURM does not create the log folder itself");
        for (Path script : List.of(out.resolve("cells.sbatch"), out.resolve("merge.sbatch"))) {
            Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        }
        assertEquals("04:00:00", SlurmOptions.defaults().time());
    }

    @Test
    void theLauncherIsFoundBesideTheProductOrThroughTheEnvironment() throws IOException {
        Path product = Files.createDirectories(dir.resolve("my product"));
        Path script = Files.writeString(product.resolve("d2dgs"), "#!/bin/sh\n");
        assertEquals(script, Launcher.find(Map.of(), "file:" + product + "/"));
        assertEquals(script, Launcher.find(Map.of(), product.toUri().toString()));
        Path other = Files.writeString(dir.resolve("other-d2dgs"), "#!/bin/sh\n");
        assertEquals(other, Launcher.find(Map.of("D2DGS_LAUNCHER", other.toString()), "file:" + product + "/"));
        UserInputException none = assertThrows(UserInputException.class, () -> Launcher.find(Map.of(), null));
        assertTrue(none.getMessage().contains("D2DGS_LAUNCHER"), none.getMessage());
        assertThrows(UserInputException.class, () -> Launcher.find(Map.of(), "file:" + dir.resolve("nowhere") + "/"));
    }
}
