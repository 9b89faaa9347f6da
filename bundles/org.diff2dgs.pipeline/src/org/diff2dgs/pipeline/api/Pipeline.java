package org.diff2dgs.pipeline.api;

import org.diff2dgs.core.api.Progress;

/** The one-command staged run: prepare, (inpaint), train, render, evaluate, with a state file and resume. */
public interface Pipeline {

    RunReport run(RunRequest request, Progress progress);
}
