package io.gridtier.replay;

import io.gridtier.config.JobConfig;
import io.gridtier.job.FlinkSettings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one MiniCluster of a test class that runs {@link Replay}s (a {@code static @RegisterExtension}): the
 * cluster side of {@link FlinkSettings} for the configuration (slots = its parallelism, its managed memory),
 * temporary files under {@code dir}. Every replay the class runs goes to it instead of a MiniCluster of its own.
 */
public final class ReplayCluster {
    private ReplayCluster() {
    }

    /** @param extra more cluster settings (a metrics reporter, say) */
    public static MiniClusterExtension of(Supplier<JobConfig> config, Path dir, Consumer<Configuration> extra) {
        return new MiniClusterExtension(() -> {
            JobConfig c = config.get();
            Configuration flink = FlinkSettings.of(c, dir.toAbsolutePath(), false);
            extra.accept(flink);
            return new MiniClusterResourceConfiguration.Builder().setConfiguration(flink)
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(c.parallelism()).build();
        });
    }

    /** Runs {@code work} on the class's cluster from a {@code @BeforeAll} method (the extension sets it for test methods only). */
    public static <T> T onCluster(MiniCluster cluster, Callable<T> work) throws Exception {
        TestStreamEnvironment.setAsContext(cluster, cluster.getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS));
        try {
            return work.call();
        } finally {
            TestStreamEnvironment.unsetAsContext();
        }
    }
}
