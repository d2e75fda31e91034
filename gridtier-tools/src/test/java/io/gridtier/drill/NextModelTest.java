package io.gridtier.drill;

import io.gridtier.config.JobConfig;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.ModelTimeline;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.ModelUpdate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault drill's upgrade brings a real model change under a new version, from the start of the day it is given. */
class NextModelTest {
    private static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));

    @Test
    void theNextVersionLowersTheHighValueThresholdFromTheStartOfItsDay() throws Exception {
        JobConfig config = JobConfig.load(CONFIG_DIR.resolve("gridtier.yaml"), List.of(), CONFIG_DIR.getParent());
        SegmentationModel current = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());

        ModelUpdate next = FaultDrill.nextModel(config, LocalDate.of(2025, 3, 1));

        assertThat(next.getVersion()).isEqualTo(current.version() + "-drill-next");
        assertThat(next.getEffectiveFrom()).isEqualTo(LocalDate.of(2025, 3, 1).atStartOfDay(config.zone()).toInstant());
        assertThat(next.getModel()).contains("HIGH_VALUE: {enter: 52, exit: 47}").doesNotContain("HIGH_VALUE: {enter: 55");
        // the job takes it as it is: the checksum and version hold, the text validates
        assertThat(new ModelTimeline(current, config.zone()).offer(next).outcome()).isEqualTo(ModelTimeline.Outcome.ACCEPTED);
    }
}
