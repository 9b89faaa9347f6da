package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.ServiceCatalog;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Commands reach implementations only through services: the app bundle imports API packages of the other areas (and
 * core's data model and IO), and the evaluation protocols are DS services found through the catalog like metrics.
 */
class ServicesOnlyTest {

    /** Core's shared data model and IO are libraries every area uses; everything else must be an .api package. */
    private static final List<String> CORE_LIBRARIES = List.of("org.diff2dgs.core.io", "org.diff2dgs.core.model");

    @Test
    void theAppImportsOnlyApiPackagesOfTheOtherAreas() {
        Bundle app = List.of(FrameworkUtil.getBundle(ServicesOnlyTest.class).getBundleContext().getBundles())
                .stream().filter(b -> "org.diff2dgs.app.headless".equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
        String imports = app.getHeaders().get("Import-Package");
        assertNotNull(imports);
        List<String> offending = new ArrayList<>();
        for (String clause : imports.split(",(?=[a-zA-Z])")) {
            String pkg = clause.split(";")[0].strip();
            if (pkg.startsWith("org.diff2dgs.") && !pkg.endsWith(".api") && !CORE_LIBRARIES.contains(pkg)) {
                offending.add(pkg);
            }
        }
        assertEquals(List.of(), offending, "implementation packages imported by the app");
    }

    @Test
    void evaluationProtocolsAreServicesInTheCatalogAndListedByInfo() throws Exception {
        ServiceCatalog catalog = Services.catalog();
        assertEquals(List.of("deform3dgs", "diff2dgs-code", "masked-mean", "occluded", "visible-truth"),
                catalog.evaluationProtocols().stream().map(EvaluationProtocol::name).toList());

        CommandLineTest.Result r = CommandLineTest.run("info", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, String> protocols = new TreeMap<>();
        for (JsonElement e : JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("services")) {
            JsonObject s = e.getAsJsonObject();
            if (s.get("kind").getAsString().equals("evaluation-protocol")) {
                protocols.put(s.get("name").getAsString(), s.get("bundle").getAsString());
            }
        }
        assertEquals(Map.of("deform3dgs", "org.diff2dgs.metrics", "diff2dgs-code", "org.diff2dgs.metrics",
                "masked-mean", "org.diff2dgs.metrics", "occluded", "org.diff2dgs.metrics", "visible-truth",
                "org.diff2dgs.metrics"), protocols);
    }
}
