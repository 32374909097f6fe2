import { auditService } from "@todo/audit/service";
import { chatApiService } from "@todo/chat-api/service";
import type { ServiceDescriptor } from "@todo/common";
import { notificationService } from "@todo/notification/service";
import { recurringTaskService } from "@todo/recurring-task/service";
import { websocketService } from "@todo/websocket/service";

/** Every service of the system, hosted in one process by `bun start` and deployed one per workload by the chart. */
export const services: readonly ServiceDescriptor<any>[] = [
  chatApiService,
  auditService,
  notificationService,
  recurringTaskService,
  websocketService,
];

/** The settings of every service, read once by `bun start` (a key means the same to every service that declares it). */
export const serviceSettings = Object.assign({}, ...services.map((service) => service.settings));
