package io.kaflowsql.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Writes one entry of an image layer under a root directory, keeping its mode. Stateless. */
final class TarExtraction
{
    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private TarExtraction() {}

    static void write(Path root, String path, TarReader.Entry entry, InputStream content)
            throws IOException
    {
        if (path.isEmpty()) {
            return;
        }
        if (path.contains(".wh.")) {
            throw new IllegalStateException("whiteout entries are not expected in an image built from scratch: " + path);
        }
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root)) {
            throw new IllegalStateException("entry outside the root: " + path);
        }
        Files.createDirectories(target.getParent());
        if (entry.isDirectory()) {
            Files.createDirectories(target);
        }
        else if (entry.isSymbolicLink()) {
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(entry.linkName()));
            return;
        }
        else if (entry.isFile()) {
            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
        }
        else {
            throw new IllegalStateException("unexpected entry type in the image: " + path);
        }
        Files.setPosixFilePermissions(target, permissions(entry.mode()));
    }

    static Set<PosixFilePermission> permissions(int mode)
    {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        return permissions;
    }
}
