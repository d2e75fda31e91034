import io.gridtier.config.JobConfig;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.kafka.KafkaJob;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Run by ShadedJobJarIT with Java's source launcher, in a JVM whose class path is the shaded job
 * jar plus only the jars the Flink image provides: compiling this file and building the production
 * job's JobGraph (Kafka source, workflow, three Kafka sinks, Avro types, RocksDB settings; every
 * operator serialized) there shows that the jar and Flink's own jars together hold what the job
 * links against. Nothing is executed and no broker is contacted.
 *
 * <p>Arguments: the job configuration file, the folder its relative paths are resolved against, a
 * work folder.
 */
public class JobGraphProbe {
    public static void main(String[] args) {
        JobConfig config = JobConfig.load(Path.of(args[0]), List.of(), Path.of(args[1]));
        SegmentationModel model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
        Properties client = KafkaClientProperties.of(config, Map.of());
        StreamExecutionEnvironment env = KafkaJob.environment(config, Path.of(args[2]), null);
        KafkaJob.wire(env, config, model, client);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        for (JobVertex vertex : graph.getVertices()) {
            System.out.println("vertex: " + vertex.getName());
        }
        System.out.println("job graph: " + graph.getNumberOfVertices() + " vertices");
    }
}
