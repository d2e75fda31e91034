package io.gridtier.livedemo;

import io.gridtier.config.JobConfig;
import io.gridtier.kafka.AvroBinary;
import io.gridtier.kafka.KafkaConnectors;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.Properties;

/**
 * Reads the job's three outputs (segments, alerts, dead letters) from their beginning with a
 * {@code read_committed} consumer (no group, every partition assigned) on its own thread, decodes them and
 * hands each to a {@link Listener}, until {@link #stop()}. The live demo's summary and the end-to-end
 * bench both read the outputs this way; what they keep of them is theirs.
 */
public final class OutputTopicsReader implements Runnable {
    /** What a reader of the outputs does with each record; called on the reader's thread. */
    public interface Listener {
        /** A segment, or {@code segment == null} for a tombstone (the customer's key in {@code key}). */
        void onSegment(byte[] key, CustomerSegment segment, long readAtMillis);

        void onAlert(SegmentAlert alert, long readAtMillis);

        void onDeadLetter(DeadLetter deadLetter, long readAtMillis);

        /** A record of an output topic that does not decode; by default the reader fails with it. */
        default void onUndecodable(ConsumerRecord<byte[], byte[]> record, Exception e) throws Exception {
            throw e;
        }

        /** After each poll, with how many records it returned. */
        default void onPolled(int records) {
        }
    }

    private final JobConfig config;
    private final Properties client;
    private final String clientId;
    private final int maxPollRecordsHint;
    private final Duration pollTimeout;
    private final Listener listener;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private volatile Throwable failure;

    public OutputTopicsReader(JobConfig config, Properties client, String clientId, int maxPollRecords,
                              Duration pollTimeout, Listener listener) {
        this.config = config;
        this.client = client;
        this.clientId = clientId;
        this.maxPollRecordsHint = maxPollRecords;
        this.pollTimeout = pollTimeout;
        this.listener = listener;
    }

    @Override
    public void run() {
        AvroBinary<CustomerSegment> segments = new AvroBinary<>(CustomerSegment.class);
        AvroBinary<SegmentAlert> alerts = new AvroBinary<>(SegmentAlert.class);
        AvroBinary<DeadLetter> deadLetters = new AvroBinary<>(DeadLetter.class);
        try (KafkaConsumer<byte[], byte[]> c = KafkaConnectors.outputReader(config, client, clientId, maxPollRecordsHint)) {
            consumer = c;
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = c.poll(pollTimeout);
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    try {
                        if (r.topic().equals(config.customerSegmentsTopic())) {
                            listener.onSegment(r.key(), r.value() == null ? null : segments.decode(r.value()), now);
                        } else if (r.value() == null) {
                            continue; // alerts and dead letters have no tombstones
                        } else if (r.topic().equals(config.segmentAlertsTopic())) {
                            listener.onAlert(alerts.decode(r.value()), now);
                        } else {
                            listener.onDeadLetter(deadLetters.decode(r.value()), now);
                        }
                    } catch (Exception e) {
                        listener.onUndecodable(r, e);
                    }
                }
                listener.onPolled(records.count());
            }
        } catch (WakeupException e) {
            // stopped
        } catch (Throwable t) {
            if (!stopping) {
                failure = t;
            }
        } finally {
            consumer = null;
        }
    }

    /** Ends {@link #run()} at its next poll (or at once, if it is waiting in one). */
    public void stop() {
        stopping = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** What ended the reader other than {@link #stop()}, or null. */
    public Throwable failure() {
        return failure;
    }
}
