package org.diff2dgs.metrics.tests;

import java.util.List;

import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.metrics.internal.Deform3dgsProtocol;
import org.diff2dgs.metrics.internal.Diff2dgsCodeProtocol;
import org.diff2dgs.metrics.internal.MaskedMeanProtocol;
import org.diff2dgs.metrics.internal.OccludedProtocol;
import org.diff2dgs.metrics.internal.VisibleTruthProtocol;

/**
 * The protocols of this bundle, by name. In the product they are DS components found through the ServiceCatalog
 * (checked by the app tests); this test runtime has no DS, so the tests make them directly.
 */
final class BuiltInProtocols {

    static final List<EvaluationProtocol> ALL = List.of(new Deform3dgsProtocol(), new Diff2dgsCodeProtocol(),
            new MaskedMeanProtocol(), new OccludedProtocol(), new VisibleTruthProtocol());

    private BuiltInProtocols() {
    }

    static EvaluationProtocol named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no built-in protocol " + name));
    }

    static List<String> names() {
        return ALL.stream().map(EvaluationProtocol::name).toList();
    }
}
