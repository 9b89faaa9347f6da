package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.diff2dgs.cuda.internal.raster.LaunchGeometry;
import org.junit.jupiter.api.Test;

class LaunchGeometryTest {

    @Test
    void partialTilesAreCovered() {
        assertEquals(40, LaunchGeometry.tilesX(640));
        assertEquals(32, LaunchGeometry.tilesY(512));
        assertEquals(7, LaunchGeometry.tilesX(100));
        assertEquals(5, LaunchGeometry.tilesY(75));
        assertEquals(1, LaunchGeometry.tilesX(1));
        assertEquals(4, LaunchGeometry.tilesX(64));
    }

    @Test
    void gridsCoverEveryItemAndNeverAreEmpty() {
        assertEquals(1, LaunchGeometry.blocks(0, 256));
        assertEquals(1, LaunchGeometry.blocks(256, 256));
        assertEquals(2, LaunchGeometry.blocks(257, 256));
        assertEquals(489, LaunchGeometry.blocks(1_000_000, LaunchGeometry.RADIX_TILE));
        assertEquals(2048L * 489, LaunchGeometry.radixHistogramEntries(1_000_000));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.blocks(-1, 256));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.blocks(1L << 42, 1));
    }
}
