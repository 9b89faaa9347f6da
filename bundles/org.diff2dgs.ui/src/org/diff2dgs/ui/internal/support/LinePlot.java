package org.diff2dgs.ui.internal.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * A small line chart on an SWT canvas: one or more named series over a shared x axis, with min/max labels on both
 * axes. Enough for live training curves and per-frame errors without an AWT bridge.
 */
public final class LinePlot extends Canvas {

    /** One curve: its name, colour and points (x ascending). */
    public record Series(String name, RGB colour, double[] x, double[] y) {
    }

    public static final RGB BLUE = new RGB(31, 119, 180);
    public static final RGB ORANGE = new RGB(255, 127, 14);
    public static final RGB GREEN = new RGB(44, 160, 44);

    private final String title;
    private final String xLabel;
    private List<Series> series = new ArrayList<>();
    private boolean logY;

    public LinePlot(Composite parent, String title, String xLabel) {
        super(parent, SWT.DOUBLE_BUFFERED);
        this.title = title;
        this.xLabel = xLabel;
        setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        addPaintListener(e -> paint(e.gc));
    }

    public void setLogY(boolean on) {
        logY = on;
        redraw();
    }

    public void setSeries(List<Series> s) {
        series = List.copyOf(s);
        redraw();
    }

    public List<Series> series() {
        return series;
    }

    private double ty(double v) {
        return logY ? Math.log10(Math.max(v, 1e-12)) : v;
    }

    private void paint(GC gc) {
        Rectangle r = getClientArea();
        gc.setAntialias(SWT.ON);
        Point titleSize = gc.textExtent(title);
        gc.drawText(title, 8, 4, true);
        int left = 60;
        int right = r.width - 12;
        int top = titleSize.y + 10;
        int bottom = r.height - titleSize.y - 10;
        if (right - left < 20 || bottom - top < 20) {
            return;
        }
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double y = ty(s.y()[i]);
                if (!Double.isFinite(y) || !Double.isFinite(s.x()[i])) {
                    continue;
                }
                minX = Math.min(minX, s.x()[i]);
                maxX = Math.max(maxX, s.x()[i]);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
        gc.drawRectangle(left, top, right - left, bottom - top);
        if (minX > maxX) {
            gc.drawText("no data yet", left + 8, top + 8, true);
            return;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + Math.max(1e-9, Math.abs(minY) * 0.05);
        }
        gc.drawText(label(logY ? Math.pow(10, maxY) : maxY), 4, top - 2, true);
        gc.drawText(label(logY ? Math.pow(10, minY) : minY), 4, bottom - titleSize.y + 2, true);
        gc.drawText(label(minX), left, bottom + 2, true);
        String maxXs = label(maxX) + " " + xLabel;
        gc.drawText(maxXs, right - gc.textExtent(maxXs).x, bottom + 2, true);
        int legendX = left + 8;
        for (Series s : series) {
            Color c = new Color(getDisplay(), s.colour());
            try {
                gc.setForeground(c);
                gc.setLineWidth(2);
                int prevX = Integer.MIN_VALUE;
                int prevY = 0;
                for (int i = 0; i < s.x().length; i++) {
                    double y = ty(s.y()[i]);
                    if (!Double.isFinite(y)) {
                        prevX = Integer.MIN_VALUE;
                        continue;
                    }
                    int px = left + (int) Math.round((s.x()[i] - minX) / (maxX - minX) * (right - left));
                    int py = bottom - (int) Math.round((y - minY) / (maxY - minY) * (bottom - top));
                    if (prevX != Integer.MIN_VALUE) {
                        gc.drawLine(prevX, prevY, px, py);
                    } else if (s.x().length == 1) {
                        gc.fillOval(px - 2, py - 2, 5, 5);
                    }
                    prevX = px;
                    prevY = py;
                }
                if (series.size() > 1) {
                    gc.drawText(s.name(), legendX, top + 4, true);
                    legendX += gc.textExtent(s.name()).x + 16;
                }
            } finally {
                c.dispose();
            }
        }
        gc.setLineWidth(1);
    }

    private static String label(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
