package org.diff2dgs.metrics.eval;

import java.util.List;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.metrics.api.EvaluationProtocol;

/** The built-in evaluation protocols, by name. */
public final class Protocols {

    private Protocols() {
    }

    /** All built-in protocols, the published ones first. */
    public static List<EvaluationProtocol> all() {
        return List.of(new Deform3dgsProtocol(), new Diff2dgsCodeProtocol(), new MaskedMeanProtocol(),
                new OccludedProtocol());
    }

    public static List<String> names() {
        return all().stream().map(EvaluationProtocol::name).toList();
    }

    public static EvaluationProtocol byName(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new UserInputException("unknown evaluation protocol '" + name + "'; known: "
                        + String.join(", ", names())));
    }
}
