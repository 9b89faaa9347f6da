package org.diff2dgs.core.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.Sequence;
import org.junit.jupiter.api.Test;

/** One lookup for `d2dgs inpaint` and the pipeline's stage 1: unknown and unusable methods are user errors. */
class InpainterChoiceTest {

    /** Usable unless its settings lack "models" (as the diffusion method without its model folder). */
    private record Method(String name, boolean needsModels) implements Inpainter {
        @Override
        public String description() {
            return name + " (test)";
        }

        @Override
        public String unavailableReason(Map<String, String> settings) {
            return needsModels && !settings.containsKey("models") ? "no model folder given (models=DIR)" : null;
        }

        @Override
        public InpaintResult inpaint(Sequence clip, InpaintOptions options, Path output, Progress progress) {
            throw new UnsupportedOperationException("not run in this test");
        }
    }

    private final Method propagate = new Method("propagate", false);
    private final Method diffusion = new Method("diffusion", true);
    private final ServiceCatalog catalog = new ServiceCatalog() {
        @Override
        public List<Inpainter> inpainters() {
            return List.of(diffusion, propagate);
        }
    };

    @Test
    void aUsableMethodIsReturned() {
        assertSame(propagate, catalog.requireInpainter("propagate", Map.of()));
        assertSame(diffusion, catalog.requireInpainter("diffusion", Map.of("models", "m")));
    }

    @Test
    void anUnknownMethodListsWhatIsAccepted() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> catalog.requireInpainter("telea", Map.of()));
        assertEquals("unknown inpainting method 'telea' (accepted: diffusion, propagate)", e.getMessage());
        UserInputException withNone = assertThrows(UserInputException.class,
                () -> catalog.requireInpainter("telea", Map.of(), "none"));
        assertEquals("unknown inpainting method 'telea' (accepted: diffusion, propagate, none)",
                withNone.getMessage());
    }

    @Test
    void anUnusableMethodSaysWhy() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> catalog.requireInpainter("diffusion", Map.of()));
        assertEquals("inpainting method 'diffusion' is not available: no model folder given (models=DIR)",
                e.getMessage());
    }
}
