package io.kaflowsql.coordinator.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** CRC32C of whole files, as the state-transfer manifest carries them. Stateless. */
final class FileChecksum
{
    private static final int BUFFER = 1 << 20;

    private FileChecksum() {}

    /** The CRC32C (Castagnoli) of the file's contents, as the protobuf fixed32 field holds it. */
    static int crc32c(Path file)
            throws IOException
    {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
            }
        }
        return (int) crc.getValue();
    }
}
