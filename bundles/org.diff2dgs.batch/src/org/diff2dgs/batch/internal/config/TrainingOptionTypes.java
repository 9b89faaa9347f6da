package org.diff2dgs.batch.internal.config;

import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.train.api.TrainOptions;

/** The training options a method may override, with their types: the components of {@link TrainOptions}. */
final class TrainingOptionTypes {

    static final Map<String, Class<?>> ALL;

    static {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (RecordComponent c : TrainOptions.class.getRecordComponents()) {
            m.put(c.getName(), c.getType());
        }
        ALL = Collections.unmodifiableMap(m);
    }

    private TrainingOptionTypes() {
    }
}
