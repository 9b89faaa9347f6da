package org.diff2dgs.train.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainResult;
import org.diff2dgs.train.api.TrainingBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Stage 2 as a service: deformation models come from the catalog, so a lab's model is selectable by name; training
 * runs on the {@link TrainingBackend} named like the request's compute backend ("cpu", "cuda").
 */
@Component(service = Reconstructor.class)
public class DefaultReconstructor implements Reconstructor {

    private final ServiceCatalog catalog;
    private final List<TrainingBackend> trainingBackends = new CopyOnWriteArrayList<>();

    @Activate
    public DefaultReconstructor(@Reference ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTrainingBackend(TrainingBackend b) {
        trainingBackends.add(b);
    }

    void removeTrainingBackend(TrainingBackend b) {
        trainingBackends.remove(b);
    }

    @Override
    public TrainResult train(TrainRequest request, Progress progress) {
        DeformationModel model = deformationModel(request.options().deformationModel());
        BackendChoice choice = choose(request);
        long maxHeap = Runtime.getRuntime().maxMemory();
        Preflight.check(request, model, choice.preferred(), progress, maxHeap);
        return new Trainer(request, model, progress).run(choice,
                fallback -> Preflight.check(request, model, fallback, progress, maxHeap));
    }

    /**
     * The training backend named like the compute backend; for an automatic choice "cpu" stands behind any other,
     * and takes over at once when there is no training backend of that name.
     */
    private BackendChoice choose(TrainRequest request) {
        String name = request.backend().name();
        Optional<TrainingBackend> named = trainingBackend(name);
        boolean auto = request.autoBackend() && !name.equals(CpuTrainingBackend.NAME);
        if (!auto) {
            return new BackendChoice(named.orElseThrow(() -> new UserInputException("the '" + name + "' backend "
                    + "cannot train: no training backend of that name is installed (installed: " + installed() + ")")),
                    null, null);
        }
        TrainingBackend cpu = trainingBackend(CpuTrainingBackend.NAME).orElseThrow(() -> new UserInputException(
                "no training backend can train this run: no '" + name + "' or '" + CpuTrainingBackend.NAME
                        + "' training backend is installed (installed: " + installed() + ")"));
        return named.map(b -> new BackendChoice(b, cpu, null)).orElseGet(() -> new BackendChoice(cpu, null,
                "the '" + name + "' backend cannot train: no training backend of that name is installed"));
    }

    private Optional<TrainingBackend> trainingBackend(String name) {
        return trainingBackends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    private List<String> installed() {
        return trainingBackends.stream().map(TrainingBackend::name).sorted().toList();
    }

    private DeformationModel deformationModel(String name) {
        return catalog.deformationModel(name).orElseThrow(() -> new UserInputException("unknown deformation model '"
                + name + "' (installed: " + catalog.deformationModels().stream().map(DeformationModel::name).toList()
                + ")"));
    }

    @Override
    public SceneState load(Path checkpoints) {
        CheckpointStore store = new CheckpointStore(checkpoints);
        CheckpointStore.Loaded c = store.load(store.newestStrict());
        CheckpointStore.Meta m = c.meta();
        GaussianModel surfels = new GaussianModel(m.surfels(), m.shDegree(), c.surfels().get(SurfelParameters.POSITIONS),
                c.surfels().get(SurfelParameters.ROTATIONS), c.surfels().get(SurfelParameters.LOG_SCALES),
                c.surfels().get(SurfelParameters.OPACITY_LOGITS), c.surfels().get(SurfelParameters.SH));
        DeformationField field = deformationModel(m.deformationModel()).restore(m.surfels(), c.deformation());
        return new SceneState(surfels, field, m.activeShDegree(), m.iteration(),
                option(m, "near", TrainOptions.published().near()), option(m, "far", TrainOptions.published().far()));
    }

    /** A training option recorded in the checkpoint (older checkpoints lack some: the published value). */
    private static double option(CheckpointStore.Meta m, String name, double fallback) {
        Object v = m.options() == null ? null : m.options().get(name);
        return v instanceof Number n ? n.doubleValue() : fallback;
    }

    @Override
    public java.util.Optional<String> checkpointProblem(Path checkpoints) {
        var all = new CheckpointStore(checkpoints).candidates();
        return all.isEmpty() ? java.util.Optional.empty() : CheckpointVerifier.problem(all.get(0));
    }

    @Override
    public RenderOutput render(SceneState scene, Camera camera, double time, Rasterizer rasterizer) {
        return new SceneRenderer().render(scene.surfels(), scene.deformation(), scene.activeShDegree(), camera, time,
                rasterizer, new RenderSettings(new float[3], scene.near(), scene.far()));
    }
}
