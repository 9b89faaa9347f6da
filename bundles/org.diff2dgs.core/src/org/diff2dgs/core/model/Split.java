package org.diff2dgs.core.model;

import java.util.Arrays;

/** Which frames train and which are held out for testing, under a named rule. */
public record Split(String rule, int[] train, int[] test) {

    public Split {
        train = train.clone();
        test = test.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && s.rule.equals(rule) && Arrays.equals(s.train, train) && Arrays.equals(s.test, test);
    }

    @Override
    public int hashCode() {
        return rule.hashCode() * 31 + Arrays.hashCode(train) * 7 + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "Split[" + rule + ": " + train.length + " train, " + test.length + " test]";
    }
}
