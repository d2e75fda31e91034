package io.gridtier.realdata;

import io.gridtier.cli.GridTier;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ReadingQuality;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TianchiConverter} on a tiny hand-made CSV: exact lines, counts, empty cells, placeholders. */
class TianchiConverterTest {
    /*
     * enterprise 1: a real meter with an empty cell on day 3
     * enterprise 2: constant 1 (placeholder)
     * enterprise 3: no value at all
     * enterprise 7: 0, 1, 0.5 - three distinct values, not a placeholder
     * enterprise 8: 0, 2, 0 - a value above 1, not a placeholder
     * enterprise 12: 0, 1, 0 - two distinct values <= 1 (placeholder)
     * the total of day 3 is wrong on purpose (1.5 is the row sum)
     */
    private static final String CSV = """
            record_date,1,2,3,7,8,12,total
            2015-01-01,10.5,1,,0,0,0,11.5
            2015-01-02,20,1,,1,2,1,25
            2015-01-03,,1,,0.5,0,0,9
            """;

    @TempDir
    Path dir;

    @Test
    void writesProfilesThenReadingsWithExactLines() throws Exception {
        Path csv = write("wide.csv", CSV);
        Path out = dir.resolve("out/events.jsonl");

        TianchiConversion c = new TianchiConverter().convert(csv, out);

        assertThat(c.enterprises()).isEqualTo(6);
        assertThat(c.days()).isEqualTo(3);
        assertThat(c.firstDay()).isEqualTo(LocalDate.of(2015, 1, 1));
        assertThat(c.lastDay()).isEqualTo(LocalDate.of(2015, 1, 3));
        assertThat(c.readings()).isEqualTo(14);          // 5 + 5 + 4
        assertThat(c.emptyCells()).isEqualTo(4);         // enterprise 3 on 3 days, enterprise 1 on day 3
        assertThat(c.lines()).isEqualTo(6 + 14);
        assertThat(c.placeholders()).containsExactly("TC-0002", "TC-0012");
        assertThat(c.withoutReadings()).containsExactly("TC-0003");
        assertThat(c.totalMismatchRows()).isEqualTo(1);
        assertThat(dir.resolve("out/events.jsonl.partial")).doesNotExist();

        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(20);
        assertThat(lines.get(0)).isEqualTo("{\"type\":\"CustomerProfile\",\"customerId\":\"TC-0001\","
                + "\"category\":\"GENERAL_INDUSTRIAL_COMMERCIAL\",\"industry\":null,\"voltageKv\":10.0,"
                + "\"contractCapacityKva\":null,\"accountOpened\":\"2015-01-01\",\"contractEnd\":null,"
                + "\"status\":\"ACTIVE\",\"updatedAt\":\"2015-01-01T00:00:00+08:00\",\"tariff\":null,"
                + "\"electricityTheft\":false}");
        assertThat(lines.get(6)).isEqualTo("{\"type\":\"MeterReading\",\"readingId\":\"TC-0001-2015-01-01\","
                + "\"customerId\":\"TC-0001\",\"meterId\":\"TC-0001-M1\",\"intervalEnd\":\"2015-01-02T00:00:00+08:00\","
                + "\"intervalMinutes\":1440,\"kwh\":10.5,\"quality\":\"ACTUAL\"}");

        // every line decodes; profiles first, then readings in intervalEnd order, column order within a day
        JsonLineCodec codec = new JsonLineCodec(TianchiConverter.ZONE);
        List<String> profileIds = new ArrayList<>();
        List<String> readingIds = new ArrayList<>();
        Instant previousEnd = Instant.MIN;
        for (String line : lines) {
            SpecificRecord r = codec.decode(line);
            if (r instanceof CustomerProfile p) {
                assertThat(readingIds).as("profiles come before every reading").isEmpty();
                assertThat(p.getCategory()).isEqualTo(CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL);
                assertThat(p.getStatus()).isEqualTo(CustomerStatus.ACTIVE);
                assertThat(p.getVoltageKv()).isEqualTo(10.0);
                assertThat(p.getIndustry()).isNull();
                assertThat(p.getContractCapacityKva()).isNull();
                assertThat(p.getAccountOpened()).isEqualTo(LocalDate.of(2015, 1, 1));
                assertThat(p.getUpdatedAt()).isEqualTo(Instant.parse("2014-12-31T16:00:00Z"));
                profileIds.add(p.getCustomerId());
            } else {
                MeterReading m = (MeterReading) r;
                assertThat(m.getIntervalEnd()).isAfterOrEqualTo(previousEnd);
                previousEnd = m.getIntervalEnd();
                assertThat(m.getIntervalMinutes()).isEqualTo(1440);
                assertThat(m.getQuality()).isEqualTo(ReadingQuality.ACTUAL);
                assertThat(m.getMeterId()).isEqualTo(m.getCustomerId() + "-M1");
                readingIds.add(m.getReadingId() + "=" + m.getKwh());
            }
        }
        assertThat(profileIds).containsExactly("TC-0001", "TC-0002", "TC-0003", "TC-0007", "TC-0008", "TC-0012");
        assertThat(readingIds).containsExactly(
                "TC-0001-2015-01-01=10.5", "TC-0002-2015-01-01=1.0", "TC-0007-2015-01-01=0.0",
                "TC-0008-2015-01-01=0.0", "TC-0012-2015-01-01=0.0",
                "TC-0001-2015-01-02=20.0", "TC-0002-2015-01-02=1.0", "TC-0007-2015-01-02=1.0",
                "TC-0008-2015-01-02=2.0", "TC-0012-2015-01-02=1.0",
                "TC-0002-2015-01-03=1.0", "TC-0007-2015-01-03=0.5", "TC-0008-2015-01-03=0.0",
                "TC-0012-2015-01-03=0.0");
        assertThat(lines.get(lines.size() - 1)).contains("\"intervalEnd\":\"2015-01-04T00:00:00+08:00\"");
    }

    @Test
    void placeholderRule() {
        assertThat(TianchiConverter.isPlaceholder(new double[] {1, 1, 1})).isTrue();
        assertThat(TianchiConverter.isPlaceholder(new double[] {0, 1, 0, 1})).isTrue();
        assertThat(TianchiConverter.isPlaceholder(new double[] {0, 0})).isTrue();
        assertThat(TianchiConverter.isPlaceholder(new double[] {0, 0.5, 1})).as("three distinct values").isFalse();
        assertThat(TianchiConverter.isPlaceholder(new double[] {1, 2})).as("a value above 1 kWh").isFalse();
        assertThat(TianchiConverter.isPlaceholder(new double[] {})).as("no value: not a meter at all").isFalse();
    }

    @Test
    void withoutTotalColumnAndWithBlankLines() throws Exception {
        Path csv = write("no-total.csv", "record_date,5\n\n2016-02-28,3\n2016-02-29,4\n\n2016-03-02,0\n");
        TianchiConversion c = new TianchiConverter().convert(csv, dir.resolve("e.jsonl"));
        assertThat(c.enterprises()).isEqualTo(1);
        assertThat(c.days()).isEqualTo(3);
        assertThat(c.readings()).isEqualTo(3);
        assertThat(c.totalMismatchRows()).isZero();
        assertThat(c.placeholders()).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("e.jsonl"))).hasSize(4)
                .anySatisfy(l -> assertThat(l).contains("\"readingId\":\"TC-0005-2016-02-29\"",
                        "\"intervalEnd\":\"2016-03-01T00:00:00+08:00\""));
    }

    @Test
    void rejectsWhatItCannotConvertAndLeavesNoFile() throws Exception {
        Path out = dir.resolve("bad.jsonl");
        TianchiConverter converter = new TianchiConverter();
        assertThatThrownBy(() -> converter.convert(write("a.csv", "record_date,1\n2015-01-02,1\n2015-01-01,2\n"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3")
                .hasMessageContaining("increasing date order");
        assertThatThrownBy(() -> converter.convert(write("b.csv", "record_date,1\n2015-01-01,1\n2015-01-01,2\n"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("each day once");
        assertThatThrownBy(() -> converter.convert(write("c.csv", "day,1\n2015-01-01,1\n"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("record_date");
        assertThatThrownBy(() -> converter.convert(write("d.csv", "record_date,1,2\n2015-01-01,1\n"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("columns");
        assertThatThrownBy(() -> converter.convert(write("e.csv", "record_date,1\n2015-01-01,-3\n"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2, column 2");
        assertThatThrownBy(() -> converter.convert(write("f.csv", "record_date,1\n2015-01-01,abc\n"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> converter.convert(write("g.csv", "record_date,x\n2015-01-01,1\n"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named by its number");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("bad.jsonl.partial")).doesNotExist();
    }

    @Test
    void commandLinePrintsTheCounts() throws Exception {
        Path csv = write("wide.csv", CSV);
        Path out = dir.resolve("cli/events.jsonl");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CommandLine cli = GridTier.commandLine(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        int rc = cli.execute("convert-tianchi", "--csv", csv.toString(), "--out", out.toString());
        assertThat(rc).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .contains("enterprises (CustomerProfile lines): 6")
                .contains("readings (MeterReading lines, daily): 14")
                .contains("empty cells (no reading written): 4")
                .contains("constant placeholder meters (at most 2 distinct values, all <= 1 kWh): 2 [TC-0002, TC-0012]");
        assertThat(Files.readAllLines(out)).hasSize(20);

        assertThat(cli.execute("convert-tianchi", "--csv", csv.toString())).isEqualTo(2);
        assertThat(cli.execute("convert-tianchi", "--csv", dir.resolve("missing.csv").toString(), "--out", "x.jsonl"))
                .isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--out=FILE.jsonl'")
                .contains("missing.csv does not exist");
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
