/**
 * Keeps the kernel from handing the stack's fixed ports out as ephemeral
 * client ports (32768-60999 on Linux): a test run with thousands of client
 * sockets can otherwise hold 50006 or 54390 just when stack:up wants to
 * listen there. Needs root (CI); elsewhere it says what it would reserve.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { PORTS, SERVICES, servicePorts } from "./layout.ts";

const FILE = "/proc/sys/net/ipv4/ip_local_reserved_ports";

const fixed = [...Object.values(PORTS), ...SERVICES.flatMap((service) => Object.values(servicePorts(service)))];
const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
const inRange = fixed.filter((port) => port >= (low ?? 32768) && port <= (high ?? 60999)).sort((a, b) => a - b);
const already = readFileSync(FILE, "utf8").trim();
const wanted = [already, ...inRange.map(String)].filter(Boolean).join(",");
try {
  writeFileSync(FILE, wanted);
  console.log(`reserved ports ${inRange.join(",")} (no ephemeral client port takes them)`);
} catch (error) {
  console.log(`could not reserve ports ${inRange.join(",")}: ${(error as Error).message}`);
}
