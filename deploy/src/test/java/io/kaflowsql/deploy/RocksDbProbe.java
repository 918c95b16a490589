package io.kaflowsql.deploy;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.nio.charset.StandardCharsets;

/**
 * Run inside the image's file system by {@link ContainerImageRunTest}: loads RocksDB's JNI library (extracted to
 * {@code java.io.tmpdir}), opens a store in the directory given, writes and reads one key, and prints
 * {@code rocksdb ok <value>}. A main, not a test.
 */
public final class RocksDbProbe
{
    private RocksDbProbe() {}

    public static void main(String[] args)
            throws RocksDBException
    {
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, args[0])) {
            db.put("probe".getBytes(StandardCharsets.UTF_8), "written".getBytes(StandardCharsets.UTF_8));
            System.out.println("rocksdb ok " + new String(db.get("probe".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)
                    + " as " + System.getProperty("user.name"));
        }
    }
}
