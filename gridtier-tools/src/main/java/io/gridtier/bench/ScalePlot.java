package io.gridtier.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The scale series as a PNG, drawn with the JDK's Java 2D (headless; no plotting library on this stack): three
 * panels against the number of customers — events a second (full job and bare ceiling), the midnight's wall time,
 * and the peak resident memory of the bench process.
 */
final class ScalePlot {
    /** One size of the series. */
    record Point(int customers, double fullJob, double ceiling, double midnightSeconds, long evaluations, double rssGb) {
    }

    private static final int PANEL_W = 420;
    private static final int PANEL_H = 320;
    private static final int MARGIN = 60;

    private ScalePlot() {
    }

    static void write(List<Point> points, String title, Path png) throws IOException {
        BufferedImage image = new BufferedImage(3 * PANEL_W, PANEL_H + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        panel(g, 0, "events/s", points, List.of(
                new Series("full job", new Color(0x1f77b4), Point::fullJob),
                new Series("bare ceiling", new Color(0xff7f0e), Point::ceiling)));
        panel(g, 1, "midnight wall time, s", points, List.of(
                new Series("largest day end", new Color(0x2ca02c), Point::midnightSeconds)));
        panel(g, 2, "peak RSS of the bench, GB", points, List.of(
                new Series("process", new Color(0x9467bd), Point::rssGb)));
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private record Series(String name, Color color, ToDoubleFunction<Point> y) {
    }

    private static void panel(Graphics2D g, int index, String label, List<Point> points, List<Series> series) {
        int x0 = index * PANEL_W + MARGIN;
        int y0 = 40 + PANEL_H - MARGIN; // the axes' origin
        int w = PANEL_W - MARGIN - 20;
        int h = PANEL_H - MARGIN - 20;
        double maxX = points.stream().mapToDouble(Point::customers).max().orElse(1);
        double maxY = 0;
        for (Series s : series) {
            for (Point p : points) {
                maxY = Math.max(maxY, s.y().applyAsDouble(p));
            }
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.15;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        g.drawLine(x0, y0, x0 + w, y0);
        g.drawLine(x0, y0, x0, y0 - h);
        g.drawString(label, x0, y0 - h - 6);
        g.drawString("customers", x0 + w - 50, y0 + 32);
        for (int t = 0; t <= 4; t++) {
            int ty = y0 - t * h / 4;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, ty, x0 + w, ty);
            g.setColor(Color.BLACK);
            g.drawString(compact(maxY * t / 4), x0 - 48, ty + 4);
        }
        for (Point p : points) {
            int px = x0 + (int) (w * p.customers() / maxX);
            g.drawString(compact(p.customers()), px - 14, y0 + 16);
        }
        int legend = 0;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (Point p : points) {
                int x = x0 + (int) (w * p.customers() / maxX);
                int y = y0 - (int) (h * s.y().applyAsDouble(p) / maxY);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawString(s.name(), x0 + 10, y0 - h + 14 + 14 * legend++);
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** 1,500,000 → "1.5M", 391,794 → "392K". */
    static String compact(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.0fK", v / 1e3);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v);
    }
}
