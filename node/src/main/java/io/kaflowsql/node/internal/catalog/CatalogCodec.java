package io.kaflowsql.node.internal.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * <p>Versioning: a reader accepts every {@code format_version} up to {@link #FORMAT_VERSION} and ignores unknown
 * fields; a record of a newer version is refused with {@link CatalogRecordException#newerFormat()} so the reader keeps
 * its last known entry instead of misreading it. A format change that older nodes could read wrongly must bump the
 * version. Thread-safe (stateless).
 */
public final class CatalogCodec
{
    /** The format this build writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogCodec() {}

    public static byte[] encode(CatalogEntry entry)
    {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
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
        if (version.asInt() > FORMAT_VERSION) {
            throw new CatalogRecordException("the catalog record of pipeline '" + key + "' has format_version " + version.asInt()
                    + ", newer than " + FORMAT_VERSION + " that this node reads: a newer KaflowSQL wrote it; upgrade this node", true);
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
