package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.dataset.synthetic.api.ImageStatistics;
import org.diff2dgs.dataset.synthetic.api.ImageStatisticsRange;
import org.diff2dgs.dataset.synthetic.api.TextureStatistics;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Checks a dataset folder and reports a summary or every problem found (exit 1 when there are problems). */
@Command(mixinStandardHelpOptions = true, name = "validate", description = "Check a dataset folder: summary, or every problem with its file.")
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<folder>", description = "Dataset folder.")
    Path folder;

    @Mixin
    ReadOptionsMixin read;

    @picocli.CommandLine.Option(names = "--per-frame", negatable = true, defaultValue = "true",
            fallbackValue = "true", description = "List every frame (mask coverage, valid depth); --no-per-frame "
                    + "prints the summary only.")
    boolean perFrame;

    /** Frames sampled evenly through the clip for the texture statistics. */
    static final int TEXTURE_FRAMES = 16;

    /** Texture statistics (design: synthetic scenes must be as textured as real endoscopy). */
    record Texture(double meanGradient, double meanAbsLaplacian, int frames, boolean withinRealRange,
            ImageStatisticsRange realRange) {
    }

    record Result(ValidationReport report, Texture texture) {
    }

    private Texture texture(DatasetReader reader) {
        TextureStatistics statistics = root.cli.service(TextureStatistics.class);
        Sequence seq = reader.read(folder, read.toReadOptions(), Progress.NONE);
        int n = Math.min(TEXTURE_FRAMES, seq.size());
        double g = 0;
        double l = 0;
        for (int k = 0; k < n; k++) {
            ImageStatistics s = statistics.measure(seq.frame(k * seq.size() / n).image());
            g += s.meanGradient();
            l += s.meanAbsLaplacian();
        }
        ImageStatistics mean = new ImageStatistics(g / n, l / n);
        ImageStatisticsRange real = statistics.realFrames();
        return new Texture(mean.meanGradient(), mean.meanAbsLaplacian(), n, real.contains(mean), real);
    }

    @Override
    public Integer call() {
        DatasetReader reader = DatasetResolver.resolve(root.cli.catalog(), folder, read.format);
        ConsoleProgress progress = root.cli.progress();
        ValidationReport report = reader.validate(folder, read.toReadOptions(), progress);
        progress.done();
        Texture texture = report.ok() ? texture(reader) : null;
        var out = root.cli.out();
        if (root.json) {
            out.print(Json.toJson(new Result(report, texture)));
        } else {
            out.println(folder + " (" + report.format() + ")");
            for (Map.Entry<String, String> e : report.summary().entrySet()) {
                out.printf("  %-22s %s%n", e.getKey(), e.getValue());
            }
            if (perFrame) {
                report.perFrame().forEach(l -> out.println("  " + l));
            }
            if (texture != null) {
                out.printf(java.util.Locale.ROOT, "  %-22s mean gradient %.4f, mean |Laplacian| %.4f over %d frames "
                        + "(real endoscopy: %.3f-%.3f, %.3f-%.3f)%s%n", "texture", texture.meanGradient(),
                        texture.meanAbsLaplacian(), texture.frames(), texture.realRange().minGradient(),
                        texture.realRange().maxGradient(), texture.realRange().minLaplacian(),
                        texture.realRange().maxLaplacian(), texture.withinRealRange() ? ""
                                : "  <- outside the real range: metrics on this clip may be optimistic");
            }
            if (report.ok()) {
                out.println("OK: no problems found");
            } else {
                out.println(report.problems().size() + " problem(s):");
                report.problems().forEach(p -> out.println("  - " + p));
            }
        }
        return report.ok() ? Cli.OK : Cli.USER_ERROR;
    }
}
