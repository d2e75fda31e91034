package io.gridtier.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalePlotTest {
    @Test
    void drawsEverySeriesOfTheScaleRunIntoAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("plots/scale.png");
        ScalePlot.write(List.of(new ScalePlot.Point(1_000_000, 98_799, 391_794, 35.5, 1_000_000, 2.9),
                new ScalePlot.Point(3_000_000, 90_000, 380_000, 110.0, 3_000_000, 5.1)), "test series", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(3 * 420, image.getWidth());
        for (int rgb : new int[] {0x1f77b4, 0xff7f0e, 0x2ca02c, 0x9467bd}) {
            assertTrue(contains(image, rgb), "a series drawn in #" + Integer.toHexString(rgb));
        }
    }

    @Test
    void axisLabelsAreCompact() {
        assertEquals("1.5M", ScalePlot.compact(1_500_000));
        assertEquals("392K", ScalePlot.compact(391_794));
        assertEquals("35", ScalePlot.compact(35.4));
        assertEquals("2.9", ScalePlot.compact(2.9));
    }

    private static boolean contains(BufferedImage image, int rgb) {
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
