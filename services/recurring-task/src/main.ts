import { runService } from "@todo/common";
import { recurringTaskService } from "./service.ts";

await runService(recurringTaskService);
