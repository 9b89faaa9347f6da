package org.diff2dgs.batch.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.diff2dgs.batch.api.ResultRecord;
import org.diff2dgs.batch.api.SummaryRow;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * results.csv (one row per cell x protocol x metric, every field of {@link ResultRecord}) and summary.csv, in RFC 4180
 * form that pandas and spreadsheets read as is: numbers at full precision, empty for no value, "inf" for infinity.
 */
final class CsvReport {

    static final List<String> RESULT_COLUMNS = List.of("experiment", "cell", "scene", "dataset", "method", "seed",
            "protocol", "metric", "higher_is_better", "mean", "std", "count", "status", "message",
            "training_seconds", "render_fps", "surfels", "revision", "device", "backend", "java", "os", "libraries",
            "preset", "method_options", "training_options", "scene_config", "dataset_fingerprint", "folder");

    static final List<String> SUMMARY_COLUMNS = List.of("dataset", "protocol", "method", "metric",
            "higher_is_better", "mean", "std", "count");

    private static final Gson COMPACT = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .create();

    private CsvReport() {
    }

    static String results(List<ResultRecord> records) {
        StringBuilder sb = new StringBuilder();
        line(sb, RESULT_COLUMNS);
        for (ResultRecord r : records) {
            line(sb, List.of(r.experiment(), Integer.toString(r.cell()), r.scene(), r.dataset(), r.method(),
                    Long.toString(r.seed()), r.protocol(), r.metric(), r.metric().isEmpty() ? ""
                            : Boolean.toString(r.higherIsBetter()),
                    number(r.mean()), number(r.std()), r.status().equals("ok") ? Integer.toString(r.count()) : "",
                    r.status(), r.message(), number(r.trainingSeconds()), number(r.renderFps()),
                    r.surfels() < 0 ? "" : Long.toString(r.surfels()), r.revision(), r.device(), r.backend(),
                    r.java(), r.os(), libraries(r.libraries()), r.preset(), COMPACT.toJson(r.methodOptions()),
                    COMPACT.toJson(r.trainingOptions()), COMPACT.toJson(r.sceneConfig()), r.datasetFingerprint(),
                    r.folder()));
        }
        return sb.toString();
    }

    static String summary(List<SummaryRow> rows) {
        StringBuilder sb = new StringBuilder();
        line(sb, SUMMARY_COLUMNS);
        for (SummaryRow r : rows) {
            line(sb, List.of(r.dataset(), r.protocol(), r.method(), r.metric(), Boolean.toString(r.higherIsBetter()),
                    number(r.mean()), number(r.std()), Integer.toString(r.count())));
        }
        return sb.toString();
    }

    private static String libraries(Map<String, String> libs) {
        return libs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    private static void line(StringBuilder sb, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields.get(i)));
        }
        sb.append("\r\n");
    }

    static String quote(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
