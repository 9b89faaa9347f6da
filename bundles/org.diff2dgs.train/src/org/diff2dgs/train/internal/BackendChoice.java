package org.diff2dgs.train.internal;

import org.diff2dgs.train.api.TrainingBackend;

/**
 * Which training backend a run asks first and what it may fall back to. A backend the user named trains or the run
 * is refused; an automatic choice ({@code --backend auto}) that the GPU's training backend refuses trains on "cpu"
 * instead and says why.
 *
 * @param preferred the backend named like the request's compute backend ("cpu" when an automatic choice found no
 *                  training backend of that name)
 * @param fallback  "cpu" when the choice was automatic and {@code preferred} is another backend, else null
 * @param reason    why an automatic choice already gave way to "cpu" before the run started, else null
 */
record BackendChoice(TrainingBackend preferred, TrainingBackend fallback, String reason) {
}
