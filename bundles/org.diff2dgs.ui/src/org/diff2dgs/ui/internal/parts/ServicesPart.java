package org.diff2dgs.ui.internal.parts;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.diff2dgs.core.api.ServiceCatalog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/**
 * What this installation can do: dataset readers, scene generators, deformation models, metrics and compute
 * backends, as registered in OSGi (a lab's bundle shows up here after Refresh). The catalog is injected by e4 DI.
 */
public class ServicesPart {

    record Row(String kind, String name, String detail) {
    }

    @Inject
    ServiceCatalog catalog;

    private TableViewer viewer;

    @PostConstruct
    public void createControls(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(8, 8).numColumns(2).applyTo(parent);
        Label header = new Label(parent, SWT.NONE);
        header.setText("Services of this installation");
        Button refresh = new Button(parent, SWT.PUSH);
        refresh.setText("Refresh");
        refresh.addListener(SWT.Selection, e -> viewer.setInput(rows()));
        viewer = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        column("Kind", 160, Row::kind);
        column("Name", 160, Row::name);
        column("Details", 600, Row::detail);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setInput(rows());
        GridDataFactory.fillDefaults().grab(true, true).span(2, 1).applyTo(viewer.getControl());
    }

    private void column(String title, int width, java.util.function.Function<Row, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(ColumnLabelProvider.createTextProvider(o -> text.apply((Row) o)));
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        catalog.computeBackends().forEach(b -> rows.add(new Row("Compute backend", b.name(),
                b.device() + (b.isAvailable() ? "" : " (unavailable: " + b.unavailableReason() + ")"))));
        catalog.datasetReaders().forEach(r -> rows.add(new Row("Dataset reader", r.format(), r.description())));
        catalog.sceneGenerators().forEach(g -> rows.add(new Row("Scene generator", g.name(), g.description())));
        catalog.deformationModels().forEach(m -> rows.add(new Row("Deformation model", m.name(), m.description())));
        catalog.metrics().forEach(m -> rows.add(new Row("Metric", m.name(), m.description()
                + (m.unavailableReason() == null ? "" : " (unavailable: " + m.unavailableReason() + ")"))));
        return rows;
    }
}
