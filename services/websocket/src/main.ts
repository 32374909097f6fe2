import { runService } from "@todo/common";
import { websocketService } from "./service.ts";

await runService(websocketService);
