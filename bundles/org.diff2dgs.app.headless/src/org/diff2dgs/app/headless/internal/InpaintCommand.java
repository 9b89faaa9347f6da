package org.diff2dgs.app.headless.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.Sequence;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Stage 1 alone: a dataset in, an inpainted dataset out (docs/inpainting.md). */
@Command(mixinStandardHelpOptions = true, name = "inpaint", description = {
        "Restore the tissue under the instruments (colour and depth) and write an inpainted clip in the dataset layout.",
        "The stage-1 quality against gt/ is measured by the run's inpaint stage (d2dgs run)."})
final class InpaintCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<dataset>", description = "Dataset folder (with instrument masks).")
    Path dataset;

    @Option(names = "--out", required = true, description = "Output folder (must not exist or be empty).")
    Path out;

    @Option(names = "--method", defaultValue = "propagate", description = "Inpainting method: propagate (default), "
            + "diffusion, oracle (synthetic scenes with gt/).")
    String method;

    @Mixin
    ReadOptionsMixin read;

    @Mixin
    InpaintOptionsMixin options;

    @Override
    public Integer call() {
        var catalog = root.cli.catalog();
        var inpaintOptions = options.toOptions();
        Inpainter inpainter = catalog.requireInpainter(method, inpaintOptions.settings());
        DatasetReader reader = DatasetResolver.resolve(catalog, dataset, read.format);
        ConsoleProgress progress = root.cli.progress();
        // stage 1 visits a few frames at a time: the clip stays coded as stored, gt/ only for methods that read it
        Sequence clip = reader.readCompact(dataset, read.toReadOptions(), inpainter.needsGroundTruth(), progress);
        InpaintResult result = inpainter.inpaint(clip, inpaintOptions, out, progress);
        print(result);
        return Cli.OK;
    }

    private void print(InpaintResult r) {
        var o = root.cli.out();
        if (root.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("output", out.toString());
            j.put("method", r.method());
            j.put("seconds", r.seconds());
            j.put("frames", r.frames());
            j.put("total", r.total());
            j.put("quality", r.quality());
            j.put("warnings", r.warnings());
            o.print(Json.toJson(j));
            return;
        }
        var t = r.total();
        o.printf(Locale.ROOT, "inpainted %d frames (%dx%d) with %s in %.1f s: %s%n", r.frames(), r.width(),
                r.height(), r.method(), r.seconds(), out);
        o.printf(Locale.ROOT, "restored %d pixels: %.1f%% from other frames, %.1f%% filled spatially, mean confidence "
                + "%.2f%n", t.restored(), pct(t.propagated(), t.restored()), pct(t.spatial(), t.restored()),
                t.meanConfidence());
        if (!r.quality().isEmpty()) {
            o.print("against the ground truth, inside the instrument masks:");
            r.quality().forEach((k, v) -> o.printf(Locale.ROOT, " %s %.4f", k, v));
            o.println();
        }
        r.warnings().forEach(w -> o.println("warning: " + w));
    }

    private static double pct(long a, long b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }
}
