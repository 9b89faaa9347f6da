package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.diff2dgs.core.io.NaturalOrder;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {

    private final NaturalOrder order = NaturalOrder.INSTANCE;

    @Test
    void numbersCompareByValue() {
        assertTrue(order.compare("frame2", "frame10") < 0);
        assertTrue(order.compare("frame10", "frame2") > 0);
        assertTrue(order.compare("frame-000009.color.png", "frame-000010.color.png") < 0);
        assertTrue(order.compare("img_2.png", "img_10.png") < 0);
        assertTrue(order.compare("a99999999999999999999999", "a100000000000000000000000") < 0, "beyond long");
        assertTrue(order.compare("frame2", "Frame3") < 0, "case-insensitive text");
    }

    @Test
    void sortsRealisticNames() {
        List<String> names = new ArrayList<>(List.of("frame10.png", "frame1.png", "frame2.png", "frame100.png",
                "frame9.png", "frame0.png"));
        names.sort(order);
        assertEquals(List.of("frame0.png", "frame1.png", "frame2.png", "frame9.png", "frame10.png", "frame100.png"),
                names);
    }

    @Test
    void equalValuesWithDifferentSpellingStayDistinctAndStable() {
        assertTrue(order.compare("f01", "f1") != 0);
        assertEquals(0, order.compare("f01", "f01"));
        assertEquals(Integer.signum(order.compare("f01", "f1")), -Integer.signum(order.compare("f1", "f01")));
    }

    @Test
    void isATotalOrderOnRandomNames() {
        Random rnd = new Random(5);
        String alphabet = "aB0129._-";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(7);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            names.add(sb.toString());
        }
        for (String a : names) {
            assertEquals(0, order.compare(a, a));
            for (String b : names) {
                int ab = Integer.signum(order.compare(a, b));
                assertEquals(-ab, Integer.signum(order.compare(b, a)), a + " vs " + b);
                assertEquals(ab == 0, a.equals(b), a + " vs " + b);
                for (String c : names) {
                    if (ab < 0 && order.compare(b, c) < 0) {
                        assertTrue(order.compare(a, c) < 0, a + " < " + b + " < " + c);
                    }
                }
            }
        }
    }
}
