package org.diff2dgs.dataset.endonerf.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Replays the kept fuzzing inputs of one target (fuzz/&lt;Target&gt;/corpus and fuzz/&lt;Target&gt;/crashes in this
 * test bundle) through the target, so every input the fuzzer ever kept stays a regression case. Inside OSGi the files
 * are bundle entries; on a plain classpath (releng/scripts/quick-test.sh) they are read from the source tree.
 */
final class Corpus {

    private static final String BUNDLE = "org.diff2dgs.dataset.endonerf.tests";

    private Corpus() {
    }

    static void replay(Class<?> target, Consumer<byte[]> fuzzerTestOneInput) {
        Map<String, byte[]> inputs = inputs(target.getSimpleName());
        assertFalse(inputs.isEmpty(), "no corpus for " + target.getSimpleName());
        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            try {
                fuzzerTestOneInput.accept(e.getValue());
            } catch (Throwable t) {
                fail(target.getSimpleName() + " lets " + t + " escape on " + e.getKey(), t);
            }
        }
    }

    /** Name to bytes, sorted by name, of every kept input of the target. */
    static Map<String, byte[]> inputs(String target) {
        Map<String, byte[]> out = new TreeMap<>();
        Bundle bundle = FrameworkUtil.getBundle(Corpus.class);
        try {
            if (bundle != null) {
                Enumeration<URL> urls = bundle.findEntries("fuzz/" + target, "*", true);
                for (URL u : urls == null ? Collections.<URL>emptyList() : Collections.list(urls)) {
                    if (!u.getPath().endsWith("/")) {
                        try (InputStream in = u.openStream()) {
                            out.put(u.getPath(), in.readAllBytes());
                        }
                    }
                }
            } else {
                for (Path root : List.of(Path.of("fuzz"), Path.of("tests", BUNDLE, "fuzz"))) {
                    Path dir = root.resolve(target);
                    if (Files.isDirectory(dir)) {
                        List<Path> files = new ArrayList<>();
                        try (Stream<Path> s = Files.walk(dir)) {
                            s.filter(Files::isRegularFile).forEach(files::add);
                        }
                        for (Path f : files) {
                            out.put(f.toString(), Files.readAllBytes(f));
                        }
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
