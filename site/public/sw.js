// Shows reminders as system notifications with Done and Snooze while the
// board's tab is in the background; a click hands the action to an open tab
// (which holds the session and calls the API) or opens the board.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const taskId = event.notification.data && event.notification.data.taskId;
  const action = event.action || "open";
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const tab = windows[0];
      if (!tab) return self.clients.openWindow(`/?view=today`);
      tab.postMessage({ type: "reminder-action", taskId, action });
      if (action === "open") return tab.focus();
    })(),
  );
});
