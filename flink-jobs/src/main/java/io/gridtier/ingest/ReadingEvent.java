package io.gridtier.ingest;

import io.gridtier.schema.ReadingQuality;

/** A validated meter reading inside the job (Flink POJO). */
public class ReadingEvent {
    public String readingId;
    public String meterId;
    public long intervalEnd;
    public int intervalMinutes;
    public double kwh;
    public ReadingQuality quality;

    public ReadingEvent() {
    }
}
