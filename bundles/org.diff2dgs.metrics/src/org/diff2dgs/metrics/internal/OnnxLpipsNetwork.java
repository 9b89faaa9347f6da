package org.diff2dgs.metrics.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.diff2dgs.core.api.UserInputException;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtEngineProvider;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

/**
 * An LPIPS network exported to ONNX, run on the CPU through DJL's ONNX Runtime engine. The model takes two images
 * [1,3,H,W] in [-1,1] (any H and W) and returns one distance, shaped [1,1,1,1] or [1].
 */
final class OnnxLpipsNetwork implements AutoCloseable {

    private static final String ENGINE = "OnnxRuntime";

    private final Path file;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final List<String> inputNames;

    private OnnxLpipsNetwork(Path file, Model model, List<String> inputNames) {
        this.file = file;
        this.model = model;
        this.inputNames = inputNames;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    static OnnxLpipsNetwork load(Path file) {
        // Inside OSGi DJL's ServiceLoader cannot see the engine bundle, and ONNX Runtime looks up resources through
        // the context class loader: register the provider by hand and lend the engine's loader while loading.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(OrtEngineProvider.class.getClassLoader());
        Model model = null;
        try {
            if (!Engine.hasEngine(ENGINE)) {
                Engine.registerEngine(new OrtEngineProvider());
            }
            model = Model.newInstance("lpips", Device.cpu(), ENGINE);
            model.load(file);
            List<String> inputs = model.describeInput() == null ? List.of() : model.describeInput().keys();
            if (inputs.size() != 2) {
                throw new UserInputException(file, "an LPIPS model takes two images [1,3,H,W], this one has "
                        + inputs.size() + " inputs " + inputs);
            }
            OnnxLpipsNetwork network = new OnnxLpipsNetwork(file, model, List.copyOf(inputs));
            model = null;
            return network;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof UserInputException u) {
                throw u;
            }
            throw new UserInputException(file, "cannot load the LPIPS ONNX model: " + e.getMessage(), e);
        } finally {
            if (model != null) {
                model.close();
            }
            thread.setContextClassLoader(previous);
        }
    }

    Path file() {
        return file;
    }

    /**
     * The distance between two planar RGB images of {@code width x height} already mapped to [-1,1]. Synchronized
     * because one DJL predictor must not run two inputs at once.
     */
    synchronized double distance(float[] first, float[] second, int width, int height) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(1, 3, height, width);
            NDArray a = manager.create(first, shape);
            a.setName(inputNames.get(0));
            NDArray b = manager.create(second, shape);
            b.setName(inputNames.get(1));
            NDArray out = predictor.predict(new NDList(a, b)).get(0);
            if (out.size() != 1) {
                throw new UserInputException(file, "an LPIPS model must return one distance, this one returned shape "
                        + out.getShape());
            }
            if (out.getDataType() == DataType.FLOAT32) {
                return out.toFloatArray()[0];
            }
            if (out.getDataType() == DataType.FLOAT64) {
                return out.toDoubleArray()[0];
            }
            throw new UserInputException(file, "an LPIPS model must return a float distance, this one returned "
                    + out.getDataType());
        } catch (TranslateException e) {
            throw new UserInputException(file, "the LPIPS model failed on a " + width + "x" + height + " image: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        predictor.close();
        model.close();
    }
}
