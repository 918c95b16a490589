package io.kaflowsql.engine.internal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.sql.QueryCompiler;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonOutputEncoderTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesEveryValueKindAsValidJsonThatRoundTrips()
            throws Exception
    {
        QueryPlan plan = new QueryCompiler().compile("SELECT a, b, c, d, e, f, g FROM t");
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", List.of(1L, "x"));
        String tricky = "quote \" backslash \\ newline \n tab \t ctrl \u0001 é 中 emoji \uD83D\uDE00";
        Object[] values = {tricky, Long.MIN_VALUE, 1299.99, true, null, Arrays.asList("a", null, 2.5), nested};

        JsonNode node = JSON.readTree(new JsonOutputEncoder(plan).encode(new Object[1][], values));

        assertThat(node.get("a").asText()).isEqualTo(tricky);
        assertThat(node.get("b").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(node.get("c").asDouble()).isEqualTo(1299.99);
        assertThat(node.get("d").asBoolean()).isTrue();
        assertThat(node.get("e").isNull()).isTrue();
        assertThat(node.get("f").toString()).isEqualTo("[\"a\",null,2.5]");
        assertThat(node.get("g").toString()).isEqualTo("{\"k\":[1,\"x\"]}");
    }

    @Test
    void starWritesRecordFieldsAndLetsExplicitColumnsWin()
            throws Exception
    {
        QueryPlan plan = new QueryCompiler().compile("SELECT *, 1 AS a FROM t");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("a", "from record");
        fields.put("b", 2L);
        Object[] row = new Object[plan.driving().rowWidth()];
        row[row.length - 1] = fields;

        String json = new String(new JsonOutputEncoder(plan).encode(new Object[][] {row}, new Object[] {null, 1L}), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"b\":2,\"a\":1}");
    }
}
