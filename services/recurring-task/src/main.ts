import { runService } from "@todo/common";
import { createApp } from "./app.ts";

await runService("recurring-task", createApp);
