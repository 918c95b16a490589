package io.kaflowsql.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.List;

/**
 * Renders admin API answers as JSON for {@code --output json}: every field of the message (unset ones with their
 * default, so scripts always find them), named in lowerCamelCase as in the proto's JSON mapping; 64-bit integers
 * as numbers; a NaN double as null. Stateless and thread-safe.
 */
final class ProtoJson
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProtoJson() {}

    static String write(Message message)
    {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(message));
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** One line per message (for streams such as drain progress). */
    static String writeLine(Message message)
    {
        try {
            return MAPPER.writeValueAsString(toJson(message));
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static ObjectNode toJson(Message message)
    {
        ObjectNode node = MAPPER.createObjectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            Object value = message.getField(field);
            if (field.isRepeated()) {
                ArrayNode array = node.putArray(field.getJsonName());
                for (Object element : (List<?>) value) {
                    array.add(scalar(field, element));
                }
            }
            else {
                node.set(field.getJsonName(), scalar(field, value));
            }
        }
        return node;
    }

    private static JsonNode scalar(FieldDescriptor field, Object value)
    {
        return switch (field.getJavaType()) {
            case MESSAGE -> toJson((Message) value);
            case INT -> MAPPER.getNodeFactory().numberNode((Integer) value);
            case LONG -> MAPPER.getNodeFactory().numberNode((Long) value);
            case DOUBLE -> Double.isNaN((Double) value) ? MAPPER.getNodeFactory().nullNode() : MAPPER.getNodeFactory().numberNode((Double) value);
            case FLOAT -> MAPPER.getNodeFactory().numberNode((Float) value);
            case BOOLEAN -> MAPPER.getNodeFactory().booleanNode((Boolean) value);
            default -> MAPPER.getNodeFactory().textNode(value.toString());
        };
    }
}
