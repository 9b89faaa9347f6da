package org.diff2dgs.ui.internal.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The error messages the workbench showed, newest last: the tour checks them, and they go to stderr for logs. */
public final class Errors {

    private static final List<String> SHOWN = new CopyOnWriteArrayList<>();

    private Errors() {
    }

    static void record(String title, String message) {
        SHOWN.add(title + ": " + message);
        System.err.println("diff2dgs-workbench: " + title + ": " + message);
    }

    public static List<String> shown() {
        return List.copyOf(SHOWN);
    }
}
