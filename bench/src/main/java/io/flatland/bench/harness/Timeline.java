package io.flatland.bench.harness;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The boot timeline picture: one horizontal bar per emulator (Flatland, QEMU), cut into the
 * intervals between consecutive POST milestones (median of each interval over the runs),
 * drawn with JFreeChart into an SVG document (JFreeSVG).
 */
final class Timeline {
    private Timeline() { }

    /**
     * @param sides    emulator name -> (interval label -> median ms); every side lists the same
     *                 labels in order, e.g. "start→01", "01→02", ..., "7e→exit"
     */
    static void write(Path svg, String title, Map<String, Map<String, Double>> sides, List<String> intervals) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String interval : intervals) {
            for (Map.Entry<String, Map<String, Double>> side : sides.entrySet()) {
                Double v = side.getValue().get(interval);
                data.addValue(v == null ? 0.0 : v, interval, side.getKey());
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(title, null,
                "milliseconds from process start (median of each interval)", data, PlotOrientation.HORIZONTAL,
                true, true, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(new Color(0xF4F4F4));
        plot.setRangeGridlinePaint(Color.GRAY);
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        r.setMaximumBarWidth(0.3);
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        r.setDrawBarOutline(true);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{0}", java.text.NumberFormat.getInstance()));
        r.setDefaultItemLabelsVisible(false);
        int w = 1000, h = 200 + 40 * sides.size() + 12 * intervals.size();
        SVGGraphics2D g = new SVGGraphics2D(w, h);
        chart.draw(g, new Rectangle(0, 0, w, h));
        Files.writeString(svg, g.getSVGDocument());
    }
}
