package dev.rivulet.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A line chart as a PNG, drawn with Java2D: axes linear or logarithmic, one line a series. */
final class Plot {

    record Series(String name, Color color, boolean dashed, List<double[]> points) {
    }

    private static final int W = 1000;
    private static final int H = 640;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private Plot() {
    }

    static void draw(Path file, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                     List<Series> series) throws IOException {
        double xMin = Double.MAX_VALUE, xMax = -Double.MAX_VALUE, yMin = Double.MAX_VALUE, yMax = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xMin = Math.min(xMin, p[0]);
                xMax = Math.max(xMax, p[0]);
                yMin = Math.min(yMin, p[1]);
                yMax = Math.max(yMax, p[1]);
            }
        }
        Axis x = new Axis(logX, logX ? Math.max(xMin, 1) : 0, xMax);
        Axis y = new Axis(logY, logY ? Math.max(yMin, 0.01) : 0, yMax);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double t : x.ticks()) {
            int px = LEFT + (int) (x.at(t) * pw);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(px, TOP, px, TOP + ph);
            g.setColor(Color.BLACK);
            String label = label(t);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
        }
        for (double t : y.ticks()) {
            int py = TOP + ph - (int) (y.at(t) * ph);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.setColor(Color.BLACK);
            String label = label(t);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(xLabel, LEFT + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, H - 25);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(yLabel, -(TOP + ph / 2 + gy.getFontMetrics().stringWidth(yLabel) / 2), 25);
        gy.dispose();
        int legendY = TOP + 10;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {8f, 6f}, 0f) : new BasicStroke(2.5f));
            int lastX = -1, lastY = -1;
            for (double[] p : s.points()) {
                int px = LEFT + (int) (x.at(p[0]) * pw);
                int py = TOP + ph - (int) (y.at(p[1]) * ph);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, px, py);
                }
                g.fillOval(px - 4, py - 4, 8, 8);
                lastX = px;
                lastY = py;
            }
            g.drawLine(LEFT + pw + 15, legendY, LEFT + pw + 45, legendY);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + pw + 52, legendY + 4);
            legendY += 20;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static String label(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.0fM", v / 1_000_000);
        }
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Maps values to [0, 1] of the plot's width or height. */
    private record Axis(boolean log, double min, double max) {
        Axis {
            if (log) {
                min = Math.pow(10, Math.floor(Math.log10(min)));
                max = Math.pow(10, Math.ceil(Math.log10(Math.max(max, min * 10))));
            } else {
                max = max <= min ? min + 1 : max * 1.05;
            }
        }

        double at(double v) {
            if (log) {
                return (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            }
            return (v - min) / (max - min);
        }

        List<Double> ticks() {
            List<Double> t = new java.util.ArrayList<>();
            if (log) {
                for (double v = min; v <= max * 1.001; v *= 10) {
                    t.add(v);
                }
            } else {
                double step = Math.pow(10, Math.floor(Math.log10((max - min) / 5)));
                while ((max - min) / step > 8) {
                    step *= 2;
                }
                for (double v = min; v <= max; v += step) {
                    t.add(v);
                }
            }
            return t;
        }
    }
}
