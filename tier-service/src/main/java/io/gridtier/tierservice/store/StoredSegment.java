package io.gridtier.tierservice.store;

import io.gridtier.schema.CustomerSegment;

/**
 * A segment as the view holds it: the record, when this service applied it ({@code receivedAt}) and when the
 * job wrote it to Kafka ({@code producedAt}, the record timestamp), both epoch milliseconds.
 */
public record StoredSegment(CustomerSegment segment, long receivedAt, long producedAt) {
}
