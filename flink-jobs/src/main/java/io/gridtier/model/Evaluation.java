package io.gridtier.model;

import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;

import java.util.List;

/**
 * The result of one evaluation.
 *
 * @param segment the customer's segmentation now (always computed)
 * @param emit    whether it differs materially from the last one written out, so must be written
 * @param alerts  threshold crossings of this evaluation, in a fixed order
 */
public record Evaluation(CustomerSegment segment, boolean emit, List<SegmentAlert> alerts) {
}
