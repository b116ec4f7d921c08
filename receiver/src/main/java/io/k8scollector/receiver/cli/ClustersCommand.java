package io.k8scollector.receiver.cli;

import io.k8scollector.protocol.ClusterId;
import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.health.ClusterStatuses;
import io.k8scollector.receiver.health.HealthRule;
import io.k8scollector.receiver.store.ClusterData;
import io.k8scollector.receiver.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clusters list|delete}: the clusters in the receiver's database, and removing a decommissioned one. */
@Command(name = "clusters", mixinStandardHelpOptions = true, description = "List clusters with their health, or delete one.",
        subcommands = {ClustersCommand.ListClusters.class, ClustersCommand.Delete.class})
final class ClustersCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the clusters as JSON lines, as GET /v1/clusters/{id} shows them.")
    static final class ListClusters implements Runnable {
        @Mixin
        KeysCommand.DatabaseOption db;

        @Option(names = "--stale-after", defaultValue = "45m", paramLabel = "DURATION", converter = ServeCommand.MinutesOrHours.class,
                description = "As serve's: a CronJob's collector silent this long is stale (default ${DEFAULT-VALUE}).")
        Duration staleAfter;

        @Override
        public void run() {
            try (Database database = Database.open(db.url)) {
                new ClusterStatuses(database, new HealthRule(staleAfter), Clock.systemUTC())
                        .list().forEach(s -> System.out.println(Json.MAPPER.writeValueAsString(s)));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a cluster and all of its data (snapshots, records, bodies no other cluster shares,"
                    + " health), e.g. once decommissioned, so that it stops showing as stale. Stop its collector first:"
                    + " its next start would bring the cluster back.")
    static final class Delete implements Runnable {
        @Mixin
        KeysCommand.DatabaseOption db;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public void run() {
            if (!ClusterId.isValid(id)) {
                throw new BadInput("Invalid cluster id '" + id + "': use " + ClusterId.RULE + ".");
            }
            try (Database database = Database.open(db.url)) {
                Map<String, Integer> deleted = new ClusterData(database).delete(id);
                if (deleted.isEmpty()) {
                    throw new BadInput("Unknown cluster '" + id + "': see clusters list.");
                }
                System.err.println("Deleted cluster " + id + " " + deleted);
            }
        }
    }
}
