package medkg.neo4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

/**
 * Embedded Neo4j 5.26 Community server with Bolt on 127.0.0.1, for medkg development and CI.
 *
 * <p>Usage: {@code MedkgNeo4j --port P --data DIR [--password PW]}; the password may instead be
 * given in the environment variable {@code NEO4J_PASSWORD} (preferred: not visible in ps).
 * Prints {@code NEO4J_READY bolt://127.0.0.1:P} once Bolt accepts connections; SIGTERM shuts
 * the databases down cleanly through a shutdown hook.
 */
public final class MedkgNeo4j {
    private MedkgNeo4j() {}

    public static void main(String[] args) throws Exception {
        int port = 7687;
        Path data = null;
        String password = System.getenv("NEO4J_PASSWORD");
        String pageCache = System.getenv().getOrDefault("NEO4J_PAGECACHE", "256m");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port": port = Integer.parseInt(v); i++; break;
                case "--data": data = Path.of(v); i++; break;
                case "--password": password = v; i++; break;
                default: usage("unknown argument: " + a);
            }
        }
        if (data == null) usage("--data DIR is required");
        if (password == null || password.isEmpty()) usage("--password PW or NEO4J_PASSWORD is required");

        long t0 = System.nanoTime();
        Path home = data.toAbsolutePath();
        // Fresh folder: write data/dbms/auth.ini like `neo4j-admin dbms set-initial-password`;
        // it is applied when the system database is created (saves a ~5 s Cypher admin command).
        boolean fresh = !Files.exists(home.resolve("data/databases/system"));
        Path authIni = fresh ? writeInitialPassword(home, password) : null;
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        // Optional neo4j.conf-style settings (tuning experiments); the settings below take precedence.
        String conf = System.getenv("NEO4J_CONF");
        if (conf != null && !conf.isEmpty()) builder.loadPropertiesFromFile(Path.of(conf));
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage data sent to Neo4j
                // Keep only the transaction logs recovery needs (the default keeps 2 days of them:
                // a few benchmark pushes left 14 GB). A test server needs no point-in-time restore.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // Internal (5.26) settings: no in-JVM "bolt-local" connector, and stop Bolt in ~1 s
                // instead of 2 x 5 s on SIGTERM.
                .setConfig(BoltConnectorInternalSettings.enable_local_connector, false)
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J_STOPPING");
            System.out.flush();
            try {
                dbms.shutdown();
            } finally {
                System.out.println("NEO4J_STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "medkg-neo4j-shutdown"));

        if (fresh) {
            Files.deleteIfExists(authIni); // applied by now; never re-read with a stale password
            System.out.println("NEO4J_INFO password: set as the initial password (auth.ini)");
        } else {
            setPasswordOnRunningDbms(dbms, password);
        }

        System.out.printf("NEO4J_READY bolt://127.0.0.1:%d (%.1f s)%n", port, (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        stopped.await();
    }

    /** Community's single user neo4j gets {@code password}, no change required, before first start. */
    private static Path writeInitialPassword(Path home, String password) throws Exception {
        Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home).build();
        Path authIni = CommunitySecurityModule.getInitialUserRepositoryFile(config);
        try (DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
            fs.mkdirs(authIni.getParent());
            fs.deleteFile(authIni);
            FileUserRepository users =
                    new FileUserRepository(fs, authIni, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
            users.start();
            users.create(new User("neo4j", null,
                    SystemGraphCredential.createCredentialForPassword(
                            password.getBytes(StandardCharsets.UTF_8), new SecureHasher()),
                    false, false));
            users.shutdown();
        }
        return authIni;
    }

    /**
     * Existing folder: if neo4j's stored credential does not already match {@code password} (or a
     * change is still required), set it with ALTER USER on the system database. Embedded calls
     * are not subject to auth.
     */
    private static void setPasswordOnRunningDbms(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try (Transaction tx = system.beginTx()) {
            Node user = tx.findNode(Label.label("User"), "name", "neo4j");
            if (user != null && Boolean.FALSE.equals(user.getProperty("passwordChangeRequired", true))) {
                SystemGraphCredential stored = SystemGraphCredential.deserialize(
                        (String) user.getProperty("credentials"), new SecureHasher());
                if (stored.matchesPassword(password.getBytes(StandardCharsets.UTF_8))) {
                    System.out.println("NEO4J_INFO password: unchanged");
                    return;
                }
            }
        } catch (Exception e) {
            System.out.println("NEO4J_INFO could not read the stored credential, resetting it: " + e);
        }
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            System.out.println("NEO4J_INFO password: changed with ALTER USER");
        } catch (RuntimeException e) {
            System.err.println("NEO4J_FAILED could not set the password: " + e.getMessage());
            System.exit(2); // the shutdown hook stops the databases
        }
    }

    private static void usage(String why) {
        System.err.println("MedkgNeo4j: " + why);
        System.err.println("usage: MedkgNeo4j --port P --data DIR [--password PW]  (or env NEO4J_PASSWORD)");
        System.exit(64);
    }
}
