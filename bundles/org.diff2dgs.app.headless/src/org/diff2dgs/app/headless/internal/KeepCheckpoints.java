package org.diff2dgs.app.headless.internal;

import org.diff2dgs.core.api.UserInputException;

/** The --keep-checkpoints value of run and train. */
final class KeepCheckpoints {

    private KeepCheckpoints() {
    }

    static int check(int n) {
        if (n < 1) {
            throw new UserInputException("--keep-checkpoints must be at least 1, got " + n);
        }
        return n;
    }
}
