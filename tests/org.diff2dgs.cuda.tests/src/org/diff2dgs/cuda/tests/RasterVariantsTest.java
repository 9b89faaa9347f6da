package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diff2dgs.cuda.internal.raster.DeviceRasterizer.EntryCount;
import org.diff2dgs.cuda.internal.raster.ExpMode;
import org.diff2dgs.cuda.internal.raster.RasterBench.Variant;
import org.junit.jupiter.api.Test;

/** The system properties that select rasterizer variants for one device run (docs/rasterizer-cuda.md). */
class RasterVariantsTest {

    @Test
    void expModesNameTheirKernelsAndParseCaseInsensitively() {
        assertEquals(ExpMode.DOUBLE, ExpMode.parse("double"));
        assertEquals(ExpMode.FLOAT, ExpMode.parse(" Float "));
        assertEquals(ExpMode.FAST, ExpMode.parse("FAST"));
        assertEquals("fwd_render", ExpMode.DOUBLE.forwardKernel());
        assertEquals("bwd_render_expf", ExpMode.FLOAT.backwardKernel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpMode.parse("half"));
        assertTrue(e.getMessage().contains(ExpMode.PROPERTY), e.getMessage());
    }

    @Test
    void variantListStartsWithTheDefaultAndKeepsTheOrderGiven() {
        List<Variant> v = Variant.parse("exp=float, entryCount=sync,exp=fast");
        assertEquals(4, v.size());
        assertEquals("default", v.get(0).label());
        assertEquals(ExpMode.FLOAT, v.get(1).exp());
        assertEquals("exp=float", v.get(1).label());
        assertEquals(EntryCount.SYNC, v.get(2).entryCount());
        assertEquals(v.get(0).exp(), v.get(2).exp(), "a variant changes only what it names");
        assertEquals(ExpMode.FAST, v.get(3).exp());
        Variant graph = Variant.parse("graph=on").get(1);
        assertTrue(graph.graphs());
        assertEquals(v.get(0).entryCount(), graph.entryCount());
    }

    @Test
    void plusJoinsChangesIntoOneVariant() {
        List<Variant> v = Variant.parse("graph=on+exp=float, entryCount=sync + exp=fast");
        assertEquals(3, v.size());
        assertEquals("graph=on+exp=float", v.get(1).label());
        assertTrue(v.get(1).graphs());
        assertEquals(ExpMode.FLOAT, v.get(1).exp());
        assertEquals(EntryCount.SYNC, v.get(2).entryCount());
        assertEquals(ExpMode.FAST, v.get(2).exp());
    }

    @Test
    void theDefaultVariantsParse() {
        assertEquals(7, Variant.parse(org.diff2dgs.cuda.internal.raster.RasterBench.DEFAULT_VARIANTS).size());
    }

    @Test
    void noneMeansTheDefaultOnly() {
        assertEquals(1, Variant.parse("none").size());
        assertEquals(1, Variant.parse(" ").size());
    }

    @Test
    void badVariantsNameTheProperty() {
        for (String bad : List.of("exp", "exp=half", "graph=maybe", "tiles=32", "entryCount=later")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse(bad), bad);
            assertTrue(e.getMessage().contains("d2dgs.bench.rasterVariants"), e.getMessage());
        }
    }
}
