package io.gridtier.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.PaymentReceived;
import io.gridtier.schema.SegmentAlert;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The JSON-lines replay format of CONTRACT.md: one record per line, a {@code "type"} field naming the
 * record, the Avro field names, ISO-8601 timestamps with offset, ISO dates, money as numbers and
 * upper-case enums. Driven by the Avro schemas, so it cannot drift from the wire contract.
 */
public final class JsonLineCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String BASE64_PREFIX = "base64:";

    /** The record types a line may carry, by the name in its {@code "type"} field. */
    private static final Map<String, Schema> TYPES = Map.of(
            "MeterReading", MeterReading.getClassSchema(),
            "CustomerProfile", CustomerProfile.getClassSchema(),
            "BillIssued", BillIssued.getClassSchema(),
            "PaymentReceived", PaymentReceived.getClassSchema(),
            "CustomerSegment", CustomerSegment.getClassSchema(),
            "SegmentAlert", SegmentAlert.getClassSchema(),
            "DeadLetter", DeadLetter.getClassSchema(),
            "ModelUpdate", ModelUpdate.getClassSchema());

    private final ZoneId zone;

    /** @param zone the utility's zone, used for the offset of timestamps written out */
    public JsonLineCodec(ZoneId zone) {
        this.zone = zone;
    }

    /** Parses one line into its Avro record, or says precisely why it cannot. */
    public SpecificRecord decode(String line) throws BadRecordException {
        JsonNode root = parseObject(line);
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            throw new BadRecordException(DeadLetterReason.MISSING_FIELD, "field 'type' (the record name) is missing");
        }
        Schema schema = TYPES.get(type.asText());
        if (schema == null) {
            throw new BadRecordException(DeadLetterReason.UNKNOWN_TYPE, "unknown record type '" + type.asText()
                    + "'; expected one of " + TYPES.keySet());
        }
        return (SpecificRecord) readRecord(schema, root, "");
    }

    /**
     * Parses one line of an output file, whose record type the file determines (a SegmentAlert has
     * a field of its own named "type", so output lines carry no type name).
     */
    public SpecificRecord decode(String line, Schema schema) throws BadRecordException {
        return (SpecificRecord) readRecord(schema, parseObject(line), "");
    }

    private static JsonNode parseObject(String line) throws BadRecordException {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "a line must be one JSON object");
        }
        return root;
    }

    /**
     * Writes a record as one line (no trailing newline), with a "type" naming the record unless the
     * record has a field of that name itself (SegmentAlert: its "type" is the alert type).
     */
    public String encode(SpecificRecord record) {
        return toTree(record).toString();
    }

    /** The record as a JSON tree, for callers that embed it. */
    public ObjectNode toTree(SpecificRecord record) {
        ObjectNode node = NODES.objectNode();
        if (record.getSchema().getField("type") == null) {
            node.put("type", record.getSchema().getName());
        }
        writeFields(record, node);
        return node;
    }

    // ---------------------------------------------------------------- decoding

    private Object readRecord(Schema schema, JsonNode node, String path) throws BadRecordException {
        if (!node.isObject()) {
            throw invalid(path, "must be an object");
        }
        SpecificRecord record = (SpecificRecord) SpecificData.getForSchema(schema).newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            JsonNode value = node.get(field.name());
            if (value == null || value.isNull()) {
                if (isNullable(field.schema())) {
                    record.put(field.pos(), null);
                } else if (field.hasDefaultValue()) {
                    record.put(field.pos(), SpecificData.get().getDefaultValue(field));
                } else {
                    throw new BadRecordException(DeadLetterReason.MISSING_FIELD,
                            "field '" + fieldPath + "' is missing");
                }
            } else {
                record.put(field.pos(), readValue(field.schema(), value, fieldPath));
            }
        }
        return record;
    }

    private Object readValue(Schema schema, JsonNode node, String path) throws BadRecordException {
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return readValue(branch, node, path);
                    }
                }
                throw invalid(path, "has no non-null type");
            case STRING:
                if (!node.isTextual()) {
                    throw invalid(path, "must be a string");
                }
                return node.asText();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw invalid(path, "must be true or false");
                }
                return node.booleanValue();
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return parseDate(node, path);
                }
                if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                    throw invalid(path, "must be a whole number");
                }
                return node.intValue();
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return parseTimestamp(node, path);
                }
                if (!node.isIntegralNumber()) {
                    throw invalid(path, "must be a whole number");
                }
                return node.longValue();
            case DOUBLE:
            case FLOAT:
                if (!node.isNumber()) {
                    throw invalid(path, "must be a number");
                }
                double d = node.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw invalid(path, "must be a finite number");
                }
                return schema.getType() == Schema.Type.FLOAT ? (Object) (float) d : (Object) d;
            case BYTES:
                if (logical instanceof LogicalTypes.Decimal) {
                    return parseMoney(node, path, ((LogicalTypes.Decimal) logical).getScale());
                }
                if (!node.isTextual()) {
                    throw invalid(path, "must be a string");
                }
                return ByteBuffer.wrap(textToBytes(node.asText()));
            case ENUM:
                if (!node.isTextual() || !schema.getEnumSymbols().contains(node.asText())) {
                    throw invalid(path, "must be one of " + schema.getEnumSymbols() + ", was " + node);
                }
                return SpecificData.get().createEnum(node.asText(), schema);
            case ARRAY:
                if (!node.isArray()) {
                    throw invalid(path, "must be an array");
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(readValue(schema.getElementType(), node.get(i), path + "[" + i + "]"));
                }
                return items;
            case RECORD:
                return readRecord(schema, node, path);
            default:
                throw invalid(path, "has an unsupported type " + schema.getType());
        }
    }

    private static LocalDate parseDate(JsonNode node, String path) throws BadRecordException {
        if (!node.isTextual()) {
            throw invalid(path, "must be a date like 2016-09-01");
        }
        try {
            return LocalDate.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw invalid(path, "must be a date like 2016-09-01, was '" + node.asText() + "'");
        }
    }

    private static Instant parseTimestamp(JsonNode node, String path) throws BadRecordException {
        if (!node.isTextual()) {
            throw invalid(path, "must be an ISO-8601 timestamp with offset like 2016-09-01T00:15:00+08:00");
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(path, "must be an ISO-8601 timestamp with offset like 2016-09-01T00:15:00+08:00, was '"
                    + node.asText() + "'");
        }
    }

    private static BigDecimal parseMoney(JsonNode node, String path, int scale) throws BadRecordException {
        if (!node.isNumber()) {
            throw invalid(path, "must be an amount of money (a number)");
        }
        BigDecimal amount = node.decimalValue();
        if (amount.stripTrailingZeros().scale() > scale) {
            throw invalid(path, "has more than " + scale + " decimals: " + amount.toPlainString());
        }
        BigDecimal scaled = amount.setScale(scale);
        if (scaled.precision() > 14) {
            throw invalid(path, "is too large for decimal(14," + scale + "): " + amount.toPlainString());
        }
        return scaled;
    }

    private static BadRecordException invalid(String path, String what) {
        return new BadRecordException(DeadLetterReason.INVALID_VALUE, "field '" + path + "' " + what);
    }

    private static boolean isNullable(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return false;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- encoding

    private void writeFields(SpecificRecord record, ObjectNode target) {
        for (Schema.Field field : record.getSchema().getFields()) {
            target.set(field.name(), writeValue(field.schema(), record.get(field.pos())));
        }
    }

    private JsonNode writeValue(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return writeValue(branch, value);
                    }
                }
                return NODES.nullNode();
            case STRING:
            case ENUM:
                return NODES.textNode(value.toString());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return NODES.textNode(value.toString());
                }
                return NODES.numberNode((Integer) value);
            case LONG:
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return NODES.textNode(formatInstant((Instant) value));
                }
                return NODES.numberNode((Long) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            case FLOAT:
                return NODES.numberNode((Float) value);
            case BYTES:
                if (value instanceof BigDecimal) {
                    return NODES.numberNode((BigDecimal) value);
                }
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.textNode(bytesToText(bytes));
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(writeValue(schema.getElementType(), item));
                }
                return array;
            case RECORD:
                ObjectNode nested = NODES.objectNode();
                writeFields((SpecificRecord) value, nested);
                return nested;
            default:
                throw new IllegalStateException("unsupported Avro type " + schema.getType());
        }
    }

    /** ISO-8601 with the utility's offset, e.g. 2016-09-01T00:15:00+08:00. */
    public String formatInstant(Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone).toOffsetDateTime());
    }

    /** Original bytes as text when they are UTF-8 (a JSON line), else base64 with a {@code base64:} prefix. */
    static String bytesToText(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            String text = chars.toString();
            if (!text.startsWith(BASE64_PREFIX)) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // not text: fall through to base64
        }
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] textToBytes(String text) {
        if (text.startsWith(BASE64_PREFIX)) {
            return Base64.getDecoder().decode(text.substring(BASE64_PREFIX.length()));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
