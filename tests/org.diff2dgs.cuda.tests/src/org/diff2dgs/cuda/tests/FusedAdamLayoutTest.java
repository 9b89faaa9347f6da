package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diff2dgs.cuda.internal.train.FusedAdam;
import org.junit.jupiter.api.Test;

/**
 * The host side of the fused Adam against cuda/adam_fused.cuh: group limit, chunk width, the size of the table
 * entry the kernel reads, and the numbering of chunks across groups (a wrong one would step the wrong tensor).
 */
class FusedAdamLayoutTest {

    private static int define(String text, String name) {
        Matcher m = Pattern.compile("(?m)^#define\\s+" + name + "\\s+([0-9]+)\\s*$").matcher(text);
        assertTrue(m.find(), name + " in adam_fused.cuh");
        return Integer.parseInt(m.group(1));
    }

    @Test
    void constantsMatchTheHeader() throws IOException {
        String h = Files.readString(CudaBundleFiles.bundle().resolve("cuda/adam_fused.cuh"));
        assertEquals(FusedAdam.MAX_GROUPS, define(h, "ADAM_MAX_GROUPS"));
        assertEquals(FusedAdam.VECTOR, define(h, "ADAM_VECTOR"));
        // AdamGroup: five pointers, two long longs, two ints (LP64, as nvcc lays out device structs)
        String struct = h.substring(h.indexOf("typedef struct {"), h.indexOf("} AdamGroup;"));
        int pointers = struct.split("\\*", -1).length - 1;
        int longs = struct.split("long long", -1).length - 1;
        int ints = struct.split("\\bint\\b", -1).length - 1;
        assertEquals(FusedAdam.GROUP_BYTES, 8 * pointers + 8 * longs + 4 * ints);
        assertEquals(5, pointers);
    }

    @Test
    void chunksOfTheGroupsAreNumberedOneAfterTheOther() {
        // 1001 rows of widths 3, 4, 1 and 459: partial last chunks where the count is not a multiple of 4
        long[] first = FusedAdam.chunkStarts(new long[] {3003, 4004, 1001, 459_459, 0});
        assertArrayEquals(new long[] {0, 751, 1752, 2003, 2003 + 114_865, 2003 + 114_865}, first);
    }
}
