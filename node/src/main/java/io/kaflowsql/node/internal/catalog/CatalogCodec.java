package io.kaflowsql.node.internal.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.SupportedVersions;
import io.kaflowsql.protocol.UnsupportedFormatVersionException;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The value of a catalog record: JSON {@code {"format_version":1,"name":..,"yaml":..,"state":"RUNNING"|"PAUSED",
 * "revision":N,"updated_at":"ISO instant"}} ({@code yaml} absent for a state-only entry); the key is the pipeline name
 * and a tombstone (null value) deletes it.
 *
 * <p>Versioning ({@link Format#CATALOG}): a writer writes the version negotiated with the cluster
 * ({@link io.kaflowsql.protocol.FormatVersions}); a reader accepts the versions its build reads
 * ({@link SupportedVersions}) and ignores unknown fields; a record of a newer version is refused with
 * {@link CatalogRecordException#newerFormat()} so the reader keeps its last known entry instead of misreading it. A
 * format change that older nodes could read wrongly must bump the version. Thread-safe (stateless).
 */
public final class CatalogCodec
{
    /** The format this build writes by default ({@link SupportedVersions#CURRENT}). */
    public static final int FORMAT_VERSION = SupportedVersions.CURRENT;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogCodec() {}

    public static byte[] encode(CatalogEntry entry)
    {
        return encode(entry, FORMAT_VERSION);
    }

    /** The record of {@code entry} in catalog format {@code version}. */
    public static byte[] encode(CatalogEntry entry, int version)
    {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", version);
        root.put("name", entry.name());
        entry.yaml().ifPresent(yaml -> root.put("yaml", yaml));
        root.put("state", entry.state().name());
        root.put("revision", entry.revision());
        root.put("updated_at", entry.updatedAt().toString());
        try {
            return JSON.writeValueAsBytes(root);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the catalog entry of " + entry.name(), e);
        }
    }

    /**
     * Decodes the value stored under {@code key}.
     *
     * @throws CatalogRecordException when the value is not a catalog entry of a format this build reads
     */
    public static CatalogEntry decode(String key, byte[] value)
    {
        return decode(key, value, SupportedVersions.thisBuild());
    }

    /**
     * Decodes the value stored under {@code key}, accepting the catalog versions {@code supported} reads.
     *
     * @throws CatalogRecordException when the value is not a catalog entry of a format this build reads
     */
    public static CatalogEntry decode(String key, byte[] value, SupportedVersions supported)
    {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        }
        catch (IOException e) {
            throw new CatalogRecordException("the catalog record of pipeline '" + key + "' is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CatalogRecordException("the catalog record of pipeline '" + key + "' is not a JSON object", false);
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.canConvertToInt()) {
            throw new CatalogRecordException("the catalog record of pipeline '" + key + "' has no format_version", false);
        }
        try {
            supported.check(Format.CATALOG, version.asInt(), "of pipeline '" + key + "'");
        }
        catch (UnsupportedFormatVersionException e) {
            throw new CatalogRecordException(e.getMessage(), version.asInt() > e.supported().max());
        }
        String name = text(root, "name", key);
        if (!name.equals(key)) {
            throw new CatalogRecordException("the catalog record under key '" + key + "' names pipeline '" + name + "'", false);
        }
        try {
            Optional<String> yaml = root.hasNonNull("yaml") ? Optional.of(root.get("yaml").asText()) : Optional.empty();
            CatalogEntry.State state = CatalogEntry.State.valueOf(text(root, "state", key).toUpperCase(Locale.ROOT));
            JsonNode revision = root.get("revision");
            if (revision == null || !revision.canConvertToLong()) {
                throw new CatalogRecordException("the catalog record of pipeline '" + key + "' has no revision", false);
            }
            return new CatalogEntry(name, yaml, state, revision.asLong(), Instant.parse(text(root, "updated_at", key)));
        }
        catch (IllegalArgumentException | DateTimeParseException e) {
            throw new CatalogRecordException("the catalog record of pipeline '" + key + "' is invalid: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String field, String key)
    {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new CatalogRecordException("the catalog record of pipeline '" + key + "' has no " + field, false);
        }
        return node.asText();
    }
}
