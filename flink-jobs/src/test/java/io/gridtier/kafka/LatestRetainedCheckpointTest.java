package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.testkit.RepoPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which checkpoint a local {@code gridtier run} resumes from: the newest complete one, never a remote guess. */
class LatestRetainedCheckpointTest {
    @TempDir
    Path work;

    @Test
    void theNewestCheckpointWithMetadataWinsAcrossJobs() throws Exception {
        Path checkpoints = work.resolve("checkpoints");
        checkpoint(checkpoints.resolve("job-a/chk-9"), 3_000);
        checkpoint(checkpoints.resolve("job-b/chk-4"), 5_000);
        checkpoint(checkpoints.resolve("job-b/chk-2"), 1_000);
        Files.createDirectories(checkpoints.resolve("job-b/chk-5")); // in flight when the run stopped: no _metadata
        Files.createDirectories(checkpoints.resolve("job-c/shared"));

        assertThat(KafkaJob.latestCheckpointIn(checkpoints)).contains(checkpoints.resolve("job-b/chk-4").toString());
        assertThat(KafkaJob.latestRetainedCheckpoint(config(List.of()), work)).contains(checkpoints.resolve("job-b/chk-4").toString());
        assertThat(KafkaJob.latestRetainedCheckpoint(config(List.of("flink.checkpointDir=" + checkpoints.toUri())), work.resolve("x")))
                .contains(checkpoints.resolve("job-b/chk-4").toString());
    }

    @Test
    void nothingToResumeFromAnEmptyFolderOrRemoteStorage() throws Exception {
        assertThat(KafkaJob.latestCheckpointIn(work.resolve("none"))).isEmpty();
        checkpoint(work.resolve("checkpoints/job-a/chk-1"), 1_000);
        assertThat(KafkaJob.latestRetainedCheckpoint(config(List.of("flink.checkpointDir=s3://bucket/checkpoints")), work))
                .as("remote storage: the cluster decides").isEmpty();
    }

    private static void checkpoint(Path dir, long modifiedMillis) throws Exception {
        Path metadata = Files.createDirectories(dir).resolve("_metadata");
        Files.writeString(metadata, "x");
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
    }

    private static JobConfig config(List<String> sets) {
        Path home = RepoPaths.root();
        return JobConfig.load(home.resolve("config/gridtier.yaml"), sets, home);
    }
}
