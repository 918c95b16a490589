package io.kaflowsql.pipelines.personalization;

import java.util.List;

/**
 * Writes one flat JSON object into a string. Hand-written rather than Jackson because the generator
 * writes millions of small records and this avoids a generator and buffer per record; strings are
 * escaped per RFC 8259 (quote, backslash, control characters, and U+2028/U+2029 for JavaScript
 * readers). Field names are written as given: they must be plain ASCII without quotes or backslashes
 * (this package only uses snake_case constants). Not thread-safe; one instance per record.
 */
final class JsonObjectWriter
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);
    private boolean first = true;

    JsonObjectWriter()
    {
        out.append('{');
    }

    JsonObjectWriter field(String name, String value)
    {
        name(name);
        string(value);
        return this;
    }

    JsonObjectWriter field(String name, long value)
    {
        name(name);
        out.append(value);
        return this;
    }

    /** Writes a finite double in its shortest form ({@code 245.5}); callers round beforehand. */
    JsonObjectWriter field(String name, double value)
    {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no representation for " + value + " in field " + name);
        }
        name(name);
        out.append(value);
        return this;
    }

    JsonObjectWriter field(String name, boolean value)
    {
        name(name);
        out.append(value);
        return this;
    }

    JsonObjectWriter field(String name, List<String> values)
    {
        name(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(values.get(i));
        }
        out.append(']');
        return this;
    }

    String finish()
    {
        out.append('}');
        return out.toString();
    }

    private void name(String name)
    {
        if (!first) {
            out.append(',');
        }
        first = false;
        // Field names are this package's snake_case constants: no escaping needed.
        out.append('"').append(name).append("\":");
    }

    private void string(String value)
    {
        out.append('"');
        int plain = 0;
        while (plain < value.length() && isPlain(value.charAt(plain))) {
            plain++;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isPlain(char c)
    {
        return c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029';
    }
}
