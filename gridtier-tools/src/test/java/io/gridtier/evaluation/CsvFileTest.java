package io.gridtier.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvFileTest {
    @TempDir
    Path dir;

    @Test
    void outcomesSurviveAWriteAndARead() throws IOException {
        Path file = dir.resolve("outcomes.csv");
        List<Outcome> rows = List.of(new Outcome("C1", Outcome.Kind.CHURNED, LocalDate.of(2025, 3, 1)),
                new Outcome("C2", Outcome.Kind.BECAME_KEY_ACCOUNT, LocalDate.of(2026, 1, 31)));
        Outcome.write(file, rows);
        assertThat(Files.readString(file)).isEqualTo(Outcome.HEADER + "\nC1,CHURNED,2025-03-01\nC2,BECAME_KEY_ACCOUNT,2026-01-31\n");
        assertThat(Outcome.read(file)).isEqualTo(rows);
    }

    @Test
    void aFieldWithACommaIsQuotedAndReadBack() throws IOException {
        Path file = dir.resolve("quoted.csv");
        CsvFile.write(file, "a,b", List.<String[]>of(new String[] {"x,y", "z"}), r -> r);
        assertThat(Files.readString(file)).isEqualTo("a,b\n\"x,y\",z\n");
        assertThat(CsvFile.read(file, "a,b", f -> f[0] + "|" + f[1])).containsExactly("x,y|z");
    }

    @Test
    void blankLinesAndSpacesAroundFieldsAreIgnored() throws IOException {
        Path file = dir.resolve("outcomes.csv");
        Files.writeString(file, Outcome.HEADER + "\n\n C1 , DEFAULTED , 2025-05-05 \n\n");
        assertThat(Outcome.read(file)).containsExactly(new Outcome("C1", Outcome.Kind.DEFAULTED, LocalDate.of(2025, 5, 5)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "customerId,outcome,date\\nC1,LEFT,2025-01-01 | line 2: No enum constant",
            "customerId,outcome,date\\nC1,CHURNED,2025-01-01\\nC2,CHURNED | line 3: expected 3 fields, found 2",
            "customerId,outcome,date\\nC1,CHURNED,2025-13-01 | line 2: Text '2025-13-01' could not be parsed",
            "id,what,when\\nC1,CHURNED,2025-01-01 | the first line must be the header 'customerId,outcome,date'",
            "'' | the first line must be the header",
    })
    void aBadFileIsAnErrorThatNamesTheLine(String content, String message) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, content.replace("\\n", "\n"));
        assertThatThrownBy(() -> Outcome.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }
}
