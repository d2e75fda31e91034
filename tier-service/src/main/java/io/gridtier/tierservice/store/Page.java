package io.gridtier.tierservice.store;

import java.util.List;

/** One page of a list and the cursor of the next one (null when this is the last page). */
public record Page<T>(List<T> items, byte[] nextCursor) {
}
