package org.diff2dgs.inpaint.diffusion.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

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
 * One exported graph run on the CPU through DJL's ONNX Runtime engine, inputs fed by name. Shapes were checked
 * against the manifest before loading ({@link ModelCheck}), so a failure here is the runtime's.
 */
final class OnnxGraph implements AutoCloseable {

    private static final String ENGINE = "OnnxRuntime";

    private final Path file;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final String output;

    private OnnxGraph(Path file, Model model, String output) {
        this.file = file;
        this.model = model;
        this.output = output;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    static OnnxGraph load(Path file, String output, int threads) {
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
            model = Model.newInstance(file.getFileName().toString(), Device.cpu(), ENGINE);
            model.load(file, null, Map.of("intraOpNumThreads", String.valueOf(threads), "interOpNumThreads", "1"));
            OnnxGraph graph = new OnnxGraph(file, model, output);
            model = null;
            return graph;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new UserInputException(file, "cannot load the ONNX graph: " + e.getMessage(), e);
        } finally {
            if (model != null) {
                model.close();
            }
            thread.setContextClassLoader(previous);
        }
    }

    /** A float input, or an int64 one when {@code longs} is given. */
    record Input(String name, long[] shape, float[] floats, long[] longs) {

        static Input of(String name, long[] shape, float[] values) {
            return new Input(name, shape, values, null);
        }

        static Input ofLongs(String name, long[] shape, long[] values) {
            return new Input(name, shape, null, values);
        }
    }

    /** Runs the graph and returns its output as floats. One predictor runs one input at a time. */
    synchronized float[] run(Input... inputs) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList list = new NDList();
            for (Input in : inputs) {
                NDArray a = in.longs() != null ? manager.create(in.longs(), new Shape(in.shape()))
                        : manager.create(in.floats(), new Shape(in.shape()));
                a.setName(in.name());
                list.add(a);
            }
            NDList result = predictor.predict(list);
            NDArray out = result.get(output);
            if (out == null) {
                out = result.get(0);
            }
            if (out.getDataType() != DataType.FLOAT32) {
                out = out.toType(DataType.FLOAT32, false);
            }
            return out.toFloatArray();
        } catch (TranslateException | RuntimeException e) {
            throw new UserInputException(file, "the ONNX graph failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        predictor.close();
        model.close();
    }
}
