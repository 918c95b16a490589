package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestJsonObjectWriter
{
    @Test
    void escapesEveryCharacterJsonRequires()
            throws Exception
    {
        String nasty = "Laptop Pro 15\" \\ back\nline\ttab\r\u0001\u001f \u2028 é 😀";
        String json = new JsonObjectWriter()
                .field("name", nasty)
                .field("tags", List.of("a\"b", ""))
                .finish();

        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.get("name").asText()).isEqualTo(nasty);
        assertThat(node.get("tags").get(0).asText()).isEqualTo("a\"b");
        assertThat(json).doesNotContain("\u2028").contains("\\u0001");
    }

    @Test
    void writesTypedFieldsInOrder()
            throws Exception
    {
        String json = new JsonObjectWriter()
                .field("i", 15L)
                .field("d", 2450.0)
                .field("b", true)
                .field("empty", List.of())
                .finish();

        assertThat(json).isEqualTo("{\"i\":15,\"d\":2450.0,\"b\":true,\"empty\":[]}");
        assertThat(new ObjectMapper().readTree(json).get("d").isFloatingPointNumber()).isTrue();
    }

    @Test
    void refusesNonFiniteNumbers()
    {
        assertThatThrownBy(() -> new JsonObjectWriter().field("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
    }
}
