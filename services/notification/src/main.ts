import { runService } from "@todo/common";
import { notificationService } from "./service.ts";

await runService(notificationService);
