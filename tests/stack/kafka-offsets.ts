/**
 * Consumer progress read from Kafka itself: a consumer group has caught up on
 * a topic when its committed offset is at the end of every partition. daprd's
 * consumer group is the app id; it commits offsets about every second.
 */
import { PORTS } from "./layout.ts";
import { run } from "./processes.ts";
import { kafkaLibs } from "./stack.ts";

export async function consumerGroupCaughtUp(group: string, topic: string): Promise<boolean> {
  const libs = await kafkaLibs();
  const result = await run([
    "java",
    "-cp",
    `${libs}/*`,
    "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
    "--bootstrap-server",
    `127.0.0.1:${PORTS.kafka}`,
    "--describe",
    "--group",
    group,
  ]);
  // Columns: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
  const rows = result.stdout.split("\n").map((line) => line.trim().split(/\s+/)).filter((columns) => columns[1] === topic);
  return rows.length > 0 && rows.every(([, , , committed, end]) => committed === end || (committed === "-" && end === "0"));
}
