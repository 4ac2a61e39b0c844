package io.flatland.bench.harness;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;

/**
 * The picture of a {@code bench model} session (JFreeChart into SVG, as {@link Timeline}):
 * one group of bars per workload (and one for the geometric mean), one bar per engine. With
 * QEMU the bars are engine/QEMU time ratios and a line marks 1.0 = QEMU; without it they are
 * median wall times in ms. Log scale: the interpreter and the JIT differ by an order of magnitude.
 */
final class RatioChart {
    private RatioChart() { }

    /** The bars: series = engine, category = workload (+ "geomean" with QEMU); failed cells are left out. */
    static DefaultCategoryDataset data(ModelBench.Report rep) {
        ModelBench.Spec s = rep.spec;
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (String w : s.workloads) {
            for (String e : s.engines) {
                double v;
                if (s.vsQemu) {
                    v = rep.ratio(w, e, ModelBench.QEMU);
                } else {
                    Sample ms = rep.cell(w, e).ms();
                    v = ms == null ? Double.NaN : ms.median;
                }
                if (!Double.isNaN(v)) d.addValue(v, e, w);
            }
        }
        if (s.vsQemu) {
            for (String e : s.engines) {
                Double g = rep.geomeanOverQemu.get(e);
                if (g != null && !g.isNaN()) d.addValue(g, e, "geomean");
            }
        }
        return d;
    }

    static void write(Path svg, ModelBench.Report rep, ModelBench.Env env) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = chart(rep, env);
        int w = width(rep), h = HEIGHT;
        SVGGraphics2D g = new SVGGraphics2D(w, h);
        chart.draw(g, new Rectangle(0, 0, w, h));
        Files.writeString(svg, g.getSVGDocument());
    }

    static final int HEIGHT = 520;

    static int width(ModelBench.Report rep) {
        int groups = rep.spec.workloads.size() + (rep.spec.vsQemu ? 1 : 0);
        return Math.max(700, 200 + groups * (30 + 36 * rep.spec.engines.size()));
    }

    static JFreeChart chart(ModelBench.Report rep, ModelBench.Env env) {
        ModelBench.Spec s = rep.spec;
        DefaultCategoryDataset data = data(rep);
        String title = "kernel model, end to end, " + (s.vsQemu ? "Flatland / QEMU time" : "median wall time")
                + " (" + s.runs + " run" + (s.runs == 1 ? "" : "s") + " each)";
        String axis = s.vsQemu ? "time ratio engine / QEMU (median of runs, log scale; 1.0 = QEMU, lower is faster)"
                : "ms, process start to exit (median of runs, log scale)";
        JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data, PlotOrientation.VERTICAL, true, false, false);
        chart.addSubtitle(new org.jfree.chart.title.TextTitle(env.cpu() + ", " + env.cores() + " cores; " + env.jvm()
                + (s.vsQemu ? "; QEMU " + env.qemu() : "")));
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(new Color(0xF4F4F4));
        plot.setRangeGridlinePaint(Color.GRAY);
        CategoryAxis x = plot.getDomainAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);

        double lo = Double.MAX_VALUE, hi = 0;
        for (int r = 0; r < data.getRowCount(); r++) {
            for (int c = 0; c < data.getColumnCount(); c++) {
                Number v = data.getValue(r, c);
                if (v != null && v.doubleValue() > 0) {
                    lo = Math.min(lo, v.doubleValue());
                    hi = Math.max(hi, v.doubleValue());
                }
            }
        }
        if (s.vsQemu) {
            lo = Math.min(lo, 1);
            hi = Math.max(hi, 1);
        }
        if (hi == 0) { lo = 0.1; hi = 10; }
        // Whole decades around the data; bars grow from the bottom of the axis.
        double bottom = Math.pow(10, Math.floor(Math.log10(lo / 1.5))), top = Math.pow(10, Math.ceil(Math.log10(hi * 1.5)));
        LogAxis y = new LogAxis(axis);
        y.setBase(10);
        y.setNumberFormatOverride(new DecimalFormat("0.###"));
        y.setRange(bottom, top);
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));   // one tick per decade (log10 units)
        y.setMinorTickMarksVisible(true);
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        plot.setRangeAxis(y);

        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBase(bottom);
        r.setIncludeBaseInRange(false);
        r.setShadowVisible(false);
        r.setBarPainter(new StandardBarPainter());
        r.setDrawBarOutline(true);
        r.setItemMargin(0.05);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat(s.vsQemu ? "0.00" : "0")));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        if (s.vsQemu) {
            ValueMarker one = new ValueMarker(1.0, Color.RED, new BasicStroke(1.5f));
            one.setLabel("QEMU = 1.0");
            one.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            one.setLabelPaint(Color.RED);
            one.setLabelBackgroundColor(new Color(0, 0, 0, 0));
            one.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            one.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(one, org.jfree.chart.ui.Layer.FOREGROUND);
        }
        return chart;
    }
}
