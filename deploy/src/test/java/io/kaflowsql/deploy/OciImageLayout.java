package io.kaflowsql.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static java.util.Objects.requireNonNull;

/**
 * An OCI image layout (index.json, oci-layout, blobs/sha256/...) unpacked from the tarball Jib's {@code buildTar} writes
 * with {@code format OCI}: its manifest, its config and the files of its layers. Not thread-safe (the tests use it from
 * one thread).
 */
final class OciImageLayout
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int SMALL_FILE = 64 * 1024;
    private static OciImageLayout shared;

    private final Path directory;
    private final JsonNode index;
    private final JsonNode manifest;
    private final JsonNode config;
    private Map<String, LayerFile> files;
    private final Map<String, byte[]> smallFiles = new LinkedHashMap<>();

    private OciImageLayout(Path directory)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.index = readJson(directory.resolve("index.json"));
        this.manifest = readJson(blob(index.path("manifests").path(0).path("digest").asText()));
        this.config = readJson(blob(manifest.path("config").path("digest").asText()));
    }

    /** The build's image tarball, unpacked once per test JVM into deploy/target/image-layout (the tests share it). */
    static synchronized OciImageLayout shared()
    {
        if (shared == null) {
            Path directory = Repository.imageTarball().resolveSibling("image-layout");
            try {
                if (Files.exists(directory)) {
                    try (var paths = Files.walk(directory)) {
                        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
                Files.createDirectories(directory);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shared = unpack(Repository.imageTarball(), directory);
        }
        return shared;
    }

    /** Unpacks {@code tarball} (the outer archive, not its layers) into {@code directory}. */
    static OciImageLayout unpack(Path tarball, Path directory)
    {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball))) {
            new TarReader(in).forEach((entry, content) -> {
                Path target = directory.resolve(entry.name()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IllegalStateException("entry outside the archive: " + entry.name());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    return;
                }
                Files.createDirectories(target.getParent());
                Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OciImageLayout(directory);
    }

    JsonNode index()
    {
        return index;
    }

    JsonNode manifest()
    {
        return manifest;
    }

    /** The image configuration (User, Entrypoint, Cmd, Env, ... under {@code config}; {@code rootfs.diff_ids}). */
    JsonNode config()
    {
        return config;
    }

    Path directory()
    {
        return directory;
    }

    /** The file of the blob with this digest ({@code sha256:<hex>}). */
    Path blob(String digest)
    {
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("not a sha256 digest: '" + digest + "'");
        }
        return directory.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** The layer blobs, base first. */
    List<Path> layers()
    {
        List<Path> layers = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layers.add(blob(layer.path("digest").asText())));
        return layers;
    }

    /** Every path of the image's file system as the last layer that has it leaves it (paths without a leading slash). */
    Map<String, LayerFile> files()
    {
        if (files == null) {
            Map<String, LayerFile> merged = new LinkedHashMap<>();
            for (Path layer : layers()) {
                forEachEntry(layer, (entry, content) -> {
                    String path = normalize(entry.name());
                    merged.put(path, new LayerFile(path, entry.isDirectory(), entry.isSymbolicLink(), entry.mode(),
                            entry.uid(), entry.gid(), entry.size()));
                    if (entry.isFile() && entry.size() <= SMALL_FILE) {
                        smallFiles.put(path, content.readAllBytes());
                    }
                });
            }
            files = merged;
        }
        return files;
    }

    /** Reads one file (at most 64 KiB) of the image, from the last layer that has it. */
    byte[] read(String path)
    {
        files();
        byte[] content = smallFiles.get(path);
        if (content == null) {
            throw new IllegalArgumentException("no file " + path + " of at most " + SMALL_FILE + " bytes in the image");
        }
        return content;
    }

    /** Writes every layer, in order, under {@code root} (files, directories and symbolic links, with their modes). */
    void extractTo(Path root)
    {
        for (Path layer : layers()) {
            forEachEntry(layer, (entry, content) -> TarExtraction.write(root, normalize(entry.name()), entry, content));
        }
    }

    /** SHA-256 of the file, as {@code sha256:<hex>}; {@code gunzip} first when asked (a layer's diff id). */
    static String sha256(Path file, boolean gunzip)
    {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gunzip ? new GZIPInputStream(new BufferedInputStream(raw)) : new BufferedInputStream(raw);
                DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digesting.transferTo(OutputStream.nullOutputStream());
            return "sha256:" + HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalize(String name)
    {
        String path = name;
        while (path.startsWith("./") || path.startsWith("/")) {
            path = path.startsWith("./") ? path.substring(2) : path.substring(1);
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static void forEachEntry(Path layer, TarReader.Visitor visitor)
    {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(layer)), 1 << 16)) {
            new TarReader(in).forEach(visitor);
        }
        catch (IOException e) {
            throw new UncheckedIOException(layer + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(Path file)
    {
        try {
            return JSON.readTree(file.toFile());
        }
        catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** One path of the image: its type, mode and owner as the layer's tar entry gives them. */
    record LayerFile(String path, boolean directory, boolean symbolicLink, int mode, long uid, long gid, long size)
    {
        boolean executable()
        {
            return (mode & 0111) != 0;
        }
    }
}
