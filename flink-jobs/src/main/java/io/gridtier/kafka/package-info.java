/**
 * The Kafka production pipeline ("Live on Kafka"): the segmentation workflow between Kafka topics,
 * exactly-once end to end.
 *
 * <ul>
 *   <li>{@link io.gridtier.kafka.KafkaJob} wires one {@code KafkaSource} over meter-readings,
 *       customer-profiles and billing-events (records kept raw by
 *       {@link io.gridtier.kafka.RawRecordDeserializer}, decoded in the workflow by
 *       {@link io.gridtier.kafka.AvroTopicDecoder} so that bad records become dead letters with
 *       their original bytes) to {@code SegmentationJob.defineWorkflow}, and its three outputs to
 *       exactly-once {@code KafkaSink}s (customer-segments, segment-alerts,
 *       segmentation-dead-letters: Avro binary, key = customerId, or the original key for dead
 *       letters).</li>
 *   <li>{@link io.gridtier.kafka.TopicSetup} creates the six topics if missing
 *       (customer-segments compacted) and checks them.</li>
 *   <li>{@link io.gridtier.kafka.KafkaClientProperties}: brokers from {@code kafka.bootstrapServers},
 *       security settings from {@code kafka.propertiesFile} and {@code GRIDTIER_KAFKA_*} variables,
 *       never from the command line.</li>
 * </ul>
 *
 * <p>Run locally: {@code bin/lib/kafka-broker.sh start work/kafka 9092}, then
 * {@code bin/gridtier run} (Ctrl-C stops; running it again resumes from the last checkpoint under
 * {@code work/run}). Every {@code kafka.*} key is listed by {@code bin/gridtier config}.
 *
 * <p>Tested by {@code KafkaPipelineIT} against a real broker (the local-kafka launcher as its
 * own process) and a local MiniCluster: a round trip compared with a bounded replay, dead letters of
 * bad records, and exactly-once output across two injected failures, all read back with
 * {@code isolation.level=read_committed}.
 */
package io.gridtier.kafka;
